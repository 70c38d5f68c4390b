export function phonePattern(spec: unknown): string | null
export function casePhotos(spec: unknown): boolean
export function render(spec: unknown): string
export function parseSpec(text: string): unknown
