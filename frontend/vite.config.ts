/// <reference types="vitest/config" />
import { fileURLToPath, URL } from 'node:url'
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import type { Plugin } from 'vite'
import { compressDir } from './scripts/compress.mjs'
import { checkBudget } from './scripts/check-bundle-size.mjs'

// Vant's icon font is embedded as woff2; its CSS also names fallbacks on a third-party CDN. Drop
// them so the app never calls out (and the Content-Security-Policy has nothing to block).
const CDN_FONT = /,\s*url\((?:https?:)?\/\/at\.alicdn\.com\/[^)]*\)\s*format\("[^"]*"\)/g
function noThirdPartyFonts(): Plugin {
  return {
    name: 'steward-no-third-party-fonts',
    enforce: 'pre',
    transform(code, id) {
      if (id.endsWith('.css') && code.includes('alicdn.com')) return { code: code.replace(CDN_FONT, ''), map: null }
    },
  }
}

// Vant's icon font (25 KB of woff2) comes inlined as base64 in its CSS, which blocks the first paint and
// cannot be compressed. Emit it as a file of its own: the browser fetches it only when an icon shows, in
// parallel, and keeps it a year like every hashed asset.
const INLINE_WOFF2 = /url\(["']?data:font\/woff2;(?:charset=utf-8;)?base64,([A-Za-z0-9+/=]+)["']?\)/g
function iconFontAsFile(): Plugin {
  return {
    name: 'steward-icon-font-as-file',
    enforce: 'pre',
    apply: 'build',
    transform(code, id) {
      if (!id.endsWith('.css') || !code.includes('data:font/woff2')) return
      return {
        code: code.replace(INLINE_WOFF2, (_, b64: string) => {
          const ref = this.emitFile({ type: 'asset', name: 'vant-icon.woff2', source: Buffer.from(b64, 'base64') })
          return `url(__VITE_ASSET__${ref}__)`
        }),
        map: null,
      }
    },
  }
}

// A visitor without a session lands on the login page, whose view is a lazy route chunk: the router asks
// for it only after the main bundle has run, one more round trip on a slow link. Preload it (and what it
// imports) from index.html; it is a few KB for everyone else.
const FIRST_SCREEN = /(?:^|\/)LoginView\.vue$/
function preloadFirstScreen(): Plugin {
  return {
    name: 'steward-preload-first-screen',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const bundle = ctx.bundle ?? {}
        const chunks = Object.values(bundle).flatMap((c) => (c.type === 'chunk' ? [c] : []))
        const screen = chunks.find((c) => c.facadeModuleId && FIRST_SCREEN.test(c.facadeModuleId))
        if (!screen) {
          this.warn?.(`no chunk matches ${FIRST_SCREEN}: the first screen is not preloaded`)
          return html
        }
        const files = new Set<string>()
        const visit = (fileName: string) => {
          if (files.has(fileName) || html.includes(`/${fileName}"`)) return
          files.add(fileName)
          for (const dep of (bundle[fileName] as { imports?: string[] } | undefined)?.imports ?? []) visit(dep)
        }
        visit(screen.fileName)
        return [...files].map((f) => ({
          tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `/${f}` }, injectTo: 'head' as const,
        }))
      },
    },
  }
}

// After the bundle is written: fail the build when the first-load JS passes its budget, then write
// .gz and .br beside every text file for web.py and nginx to serve as they are.
function budgetAndPrecompress(): Plugin {
  let outDir = 'dist'
  return {
    name: 'steward-budget-and-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir.startsWith('/') ? config.build.outDir : `${config.root}/${config.build.outDir}`
    },
    closeBundle() {
      const { summary } = checkBudget(outDir)
      this.info(summary)
      compressDir(outDir)
    },
  }
}

export default defineConfig({
  base: '/',
  plugins: [vue(), noThirdPartyFonts(), iconFontAsFile(), preloadFirstScreen(), budgetAndPrecompress()],
  define: {
    // The app and Vant use the Composition API only: drop Vue's Options API support from the bundle.
    __VUE_OPTIONS_API__: false,
    __VUE_PROD_DEVTOOLS__: false,
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: false,
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: 'http://127.0.0.1:8000', changeOrigin: false },
    },
  },
  preview: {
    port: 4173,
    proxy: {
      '/api': { target: 'http://127.0.0.1:8000', changeOrigin: false },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
  },
  test: {
    environment: 'jsdom',
    include: ['tests/**/*.spec.ts'],
    setupFiles: ['tests/setup.ts'],
    restoreMocks: true,
    unstubGlobals: true,
  },
})
