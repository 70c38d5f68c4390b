// Regenerates src/api/schema.d.ts from ../openapi.yaml (via `npm run gen:api`) when the backend has
// produced it; otherwise keeps the committed schema.d.ts so the SPA still builds on its own.
import { existsSync } from 'node:fs'
import { execSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const spec = fileURLToPath(new URL('../../openapi.yaml', import.meta.url))
if (existsSync(spec)) {
  execSync('npm run gen:api', { stdio: 'inherit', cwd: fileURLToPath(new URL('..', import.meta.url)) })
} else {
  console.warn(`gen:api skipped: ${spec} not found; using the committed src/api/schema.d.ts`)
}
