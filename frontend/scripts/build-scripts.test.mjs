// The build's own checks: the first-load JS budget and the precompressed files.
// Node's test runner (`node --test scripts/`, run by `make test-frontend`): plain JS, no type-check needed.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { checkBudget, eagerScripts } from './check-bundle-size.mjs'
import { compressDir } from './compress.mjs'

function fakeDist(files) {
  const dir = mkdtempSync(join(tmpdir(), 'steward-dist-'))
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true })
    writeFileSync(join(dir, name), text)
  }
  return dir
}

// Random-looking text compresses badly, so its gzipped size stays near its raw size.
function noise(bytes) {
  return `export const n="${randomBytes(Math.ceil(bytes * 3 / 4)).toString('base64')}";`
}

const html = '<!doctype html><script type="module" crossorigin src="/assets/index-a.js"></script>' +
  '<link rel="modulepreload" crossorigin href="/assets/vendor-b.js"><link rel="stylesheet" href="/assets/x.css">'

describe('first-load JS budget', () => {
  it('counts the entry, its modulepreloads and their static imports, not lazy chunks', () => {
    const dist = fakeDist({
      'index.html': html,
      'assets/index-a.js': 'import{a}from"./vendor-b.js";import"./shared-c.js";const v=()=>import("./LazyView-d.js");',
      'assets/vendor-b.js': 'export const a=1;',
      'assets/shared-c.js': 'export{};',
      'assets/LazyView-d.js': noise(500_000),
    })
    assert.deepEqual(eagerScripts(dist), ['assets/index-a.js', 'assets/shared-c.js', 'assets/vendor-b.js'])
    assert.ok(checkBudget(dist, 200).total < 1000)
  })

  it('fails the build when the eager JS passes the budget', () => {
    const dist = fakeDist({
      'index.html': html, 'assets/index-a.js': 'import"./vendor-b.js";', 'assets/vendor-b.js': noise(300_000),
    })
    assert.throws(() => checkBudget(dist, 200), /OVER BUDGET/)
    assert.ok(checkBudget(dist, 400).total > 200_000)
  })

  it('fails when the page loads no module at all (a broken build is no pass)', () => {
    assert.throws(() => checkBudget(fakeDist({ 'index.html': '<!doctype html>' }), 200), /no module script/)
  })
})

describe('precompression', () => {
  it('writes .gz and .br that decode to the file, and skips tiny and binary files', () => {
    const js = 'console.log("红管家");\n'.repeat(200)
    const dist = fakeDist({ 'assets/app.js': js, 'tiny.txt': 'x', 'icons/a.png': 'not text'.repeat(100) })
    compressDir(dist)
    assert.equal(gunzipSync(readFileSync(join(dist, 'assets/app.js.gz'))).toString(), js)
    assert.equal(brotliDecompressSync(readFileSync(join(dist, 'assets/app.js.br'))).toString(), js)
    assert.ok(readFileSync(join(dist, 'assets/app.js.br')).length < readFileSync(join(dist, 'assets/app.js.gz')).length)
    assert.equal(existsSync(join(dist, 'tiny.txt.gz')), false)
    assert.equal(existsSync(join(dist, 'icons/a.png.gz')), false)
  })
})
