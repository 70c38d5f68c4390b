export function phonePattern(spec: unknown): string | null
export function render(spec: unknown): string
export function parseSpec(text: string): unknown
