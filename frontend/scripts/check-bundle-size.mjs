// The first-load JavaScript budget: what index.html makes the browser fetch before the app can run —
// the entry module, every <link rel="modulepreload">, and (to be safe) whatever those import statically —
// measured gzipped (1 KB = 1000 B, as Vite prints). The build fails above the budget (default 200 KB, STEWARD_JS_BUDGET_KB overrides).
// Usage: node scripts/check-bundle-size.mjs [dist]   (run by the Vite build through vite.config.ts)
import { readFileSync } from 'node:fs'
import { join, posix } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'

export const BUDGET_KB = Number(process.env.STEWARD_JS_BUDGET_KB ?? 200)

/** Paths (relative to dist, e.g. "assets/index-abc.js") of the JS the entry HTML loads eagerly. */
export function eagerScripts(dist, html = 'index.html') {
  const page = readFileSync(join(dist, html), 'utf8')
  const seeds = [
    ...page.matchAll(/<script\b[^>]*\btype=["']?module["']?[^>]*\bsrc=["']([^"']+)["']/g),
    ...page.matchAll(/<link\b[^>]*\brel=["']?modulepreload["']?[^>]*\bhref=["']([^"']+)["']/g),
  ].map((m) => m[1])
  const seen = new Set()
  const todo = seeds.filter((u) => !/^(?:[a-z]+:)?\/\//i.test(u)).map((u) => u.replace(/^\//, ''))
  while (todo.length) {
    const path = todo.pop()
    if (seen.has(path)) continue
    seen.add(path)
    const code = readFileSync(join(dist, path), 'utf8')
    // static imports only: `import"./x.js"`, `import{a}from"./x.js"`, `export*from"./x.js"` — not `import("./x.js")`
    for (const m of code.matchAll(/(?:\bimport|\bfrom)\s*["'](\.{1,2}\/[^"']+\.js)["']/g)) {
      todo.push(posix.normalize(posix.join(posix.dirname(path), m[1])))
    }
  }
  return [...seen].sort()
}

/** Gzipped sizes of the eager JS; throws when the total passes the budget. */
export function checkBudget(dist, budgetKb = BUDGET_KB) {
  const rows = eagerScripts(dist).map((path) => ({ path, gzip: gzipSync(readFileSync(join(dist, path)), { level: 9 }).length }))
  const total = rows.reduce((n, r) => n + r.gzip, 0)
  const lines = rows.map((r) => `  ${(r.gzip / 1000).toFixed(1).padStart(7)} KB  ${r.path}`)
  const summary = `first-load JS (entry + modulepreload, gzip): ${(total / 1000).toFixed(1)} KB of ${budgetKb} KB budget`
  if (!rows.length) throw new Error(`bundle budget: no module script found in ${dist}/index.html`)
  if (total > budgetKb * 1000) {
    throw new Error(`${summary} — OVER BUDGET\n${lines.join('\n')}\n` +
      'Load the rest lazily (route components, rarely used Vant components) or raise the budget on purpose.')
  }
  return { total, rows, summary, lines }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dist = process.argv[2] ?? fileURLToPath(new URL('../dist', import.meta.url))
  try {
    const { summary, lines } = checkBudget(dist)
    console.log(`${summary}\n${lines.join('\n')}`)
  } catch (e) {
    console.error(e.message)
    process.exit(1)
  }
}
