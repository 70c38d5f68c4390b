// Writes src/api/spec-constants.ts: the validation rules the SPA checks before sending, read from
// ../openapi.yaml so that the app and the server can't disagree (openapi-typescript emits types only,
// not patterns). Run by `npm run gen:api`; tests/spec-constants.spec.ts fails when the file is stale.
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import yaml from 'js-yaml'

const PHONE_FIELDS = new Set(['phone', 'new_phone'])

/** The one `pattern` of the spec's phone fields (a `Phone` schema, or properties named phone/new_phone). */
export function phonePattern(spec) {
  const schemas = spec?.components?.schemas ?? {}
  const resolve = (s) => (s && s.$ref ? schemas[s.$ref.split('/').pop()] : s)
  const found = new Set()
  if (schemas.Phone?.pattern) found.add(schemas.Phone.pattern)
  for (const schema of Object.values(schemas)) {
    for (const [name, prop] of Object.entries(schema?.properties ?? {})) {
      const p = resolve(prop)
      if (PHONE_FIELDS.has(name) && p?.pattern) found.add(p.pattern)
    }
  }
  if (found.size > 1) throw new Error(`the spec has several phone patterns: ${[...found].join(', ')}`)
  return found.size ? [...found][0] : null
}

/** The API takes case photos: POST /cases/{case_id}/photos exists and POST /cases accepts multipart. */
export function casePhotos(spec) {
  const paths = spec?.paths ?? {}
  const upload = paths['/cases/{case_id}/photos']?.post
  const create = paths['/cases']?.post?.requestBody?.content ?? {}
  return !!upload && 'multipart/form-data' in create
}

export function render(spec) {
  return `// Generated from ../openapi.yaml by tools/gen-spec-constants.mjs (npm run gen:api). Do not edit.

/** The \`pattern\` of the API's phone fields; null while the spec states none. */
export const PHONE_PATTERN: string | null = ${JSON.stringify(phonePattern(spec))}

/** The API takes case photos (multipart POST /cases and POST /cases/{case_id}/photos). */
export const CASE_PHOTOS: boolean = ${casePhotos(spec)}
`
}

export function parseSpec(text) {
  return yaml.load(text)
}

if (import.meta.url.startsWith('file:') && process.argv[1] === fileURLToPath(import.meta.url)) {
  const spec = parseSpec(readFileSync(fileURLToPath(new URL('../../openapi.yaml', import.meta.url)), 'utf8'))
  writeFileSync(fileURLToPath(new URL('../src/api/spec-constants.ts', import.meta.url)), render(spec))
}
