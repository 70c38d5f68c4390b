// Precompresses the built app: writes NAME.gz (gzip -9) and NAME.br (brotli q11) beside every text file
// in dist/, so neither the Flask app (steward/web.py) nor nginx (gzip_static, brotli_static) compresses
// per request. Node's own zlib; no dependency. A variant is kept only when it is smaller.
// Usage: node scripts/compress.mjs [dist]   (run by the Vite build through vite.config.ts)
import { readdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'

export const COMPRESSIBLE = /\.(?:js|mjs|css|html|json|webmanifest|svg|txt|xml|map|ico)$/
const MIN_BYTES = 256 // below this, the headers cost more than the bytes saved

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) yield* files(path)
    else yield path
  }
}

/** Compresses every compressible file under `dir`; returns [{ path, raw, gzip, brotli }]. */
export function compressDir(dir) {
  const out = []
  for (const path of [...files(dir)]) {
    if (!COMPRESSIBLE.test(path)) continue
    const raw = readFileSync(path)
    const row = { path, raw: raw.length, gzip: null, brotli: null }
    if (raw.length >= MIN_BYTES) {
      const gz = gzipSync(raw, { level: 9 })
      const br = brotliCompressSync(raw, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
          [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
          [constants.BROTLI_PARAM_MODE]: /\.(?:js|mjs|css|html|json|webmanifest|svg|txt|xml|map)$/.test(path)
            ? constants.BROTLI_MODE_TEXT : constants.BROTLI_MODE_GENERIC,
        },
      })
      for (const [ext, data, key] of [['.gz', gz, 'gzip'], ['.br', br, 'brotli']]) {
        if (data.length < raw.length) {
          writeFileSync(path + ext, data)
          row[key] = data.length
        } else {
          try { unlinkSync(path + ext) } catch { /* none */ }
        }
      }
    }
    out.push(row)
  }
  return out
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = process.argv[2] ?? fileURLToPath(new URL('../dist', import.meta.url))
  const rows = compressDir(dir)
  const sum = (k) => rows.reduce((n, r) => n + (r[k] ?? r.raw), 0)
  console.log(`precompressed ${rows.length} files: ${sum('raw')} B raw, ${sum('gzip')} B gzip, ${sum('brotli')} B brotli`)
}
