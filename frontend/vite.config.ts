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
  plugins: [vue(), noThirdPartyFonts(), budgetAndPrecompress()],
  define: {
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
