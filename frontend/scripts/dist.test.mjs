// The built app (dist/, made by `npm run build`; `make test-frontend` builds it first) is what the
// slow-link load time depends on: precompressed files, no font inlined in render-blocking CSS, the
// first screen preloaded, and the first-load JS within its budget.
import assert from 'node:assert/strict'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { checkBudget, eagerScripts } from './check-bundle-size.mjs'

const dist = fileURLToPath(new URL('../dist', import.meta.url))
const assets = existsSync(join(dist, 'assets')) ? readdirSync(join(dist, 'assets')) : []

describe('built app', { skip: !existsSync(join(dist, 'index.html')) && 'dist/ is not built' }, () => {
  it('has .br and .gz beside the page, every script and stylesheet', () => {
    for (const f of ['index.html', ...assets.filter((a) => /\.(?:js|css)$/.test(a)).map((a) => `assets/${a}`)]) {
      const size = readFileSync(join(dist, f)).length
      if (size < 256) continue
      assert.ok(existsSync(join(dist, `${f}.br`)) && existsSync(join(dist, `${f}.gz`)), f)
    }
  })

  it('inlines no font in its stylesheets (fonts are files, fetched only when used)', () => {
    for (const css of assets.filter((a) => a.endsWith('.css'))) {
      assert.doesNotMatch(readFileSync(join(dist, 'assets', css), 'utf8'), /data:font\//, css)
    }
    assert.ok(assets.some((a) => /^vant-icon-.*\.woff2$/.test(a)))
  })

  it('preloads the login screen with the entry', () => {
    assert.ok(eagerScripts(dist).some((f) => /\/LoginView-[\w-]+\.js$/.test(f)), eagerScripts(dist).join(', '))
  })

  it('keeps the first-load JS within the budget', () => {
    assert.doesNotThrow(() => checkBudget(dist))
  })
})
