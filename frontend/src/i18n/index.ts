import { createI18n } from 'vue-i18n'
import { Locale } from 'vant'
import vantEnUS from 'vant/es/locale/lang/en-US'
import vantZhCN from 'vant/es/locale/lang/zh-CN'
import sharedZhCN from './zh-CN'

export const LOCALES = ['zh-CN', 'en'] as const
export type AppLocale = (typeof LOCALES)[number]
export const DEFAULT_LOCALE: AppLocale = 'zh-CN'
const STORAGE_KEY = 'steward.locale'

type Tree = { [key: string]: string | Tree }

function isLocale(v: unknown): v is AppLocale {
  return typeof v === 'string' && (LOCALES as readonly string[]).includes(v)
}

/**
 * Each feature brings its own strings in `src/features/<feature>/locales/<locale>.ts` (top-level keys are
 * its namespaces); they are merged here with the shared ones, so adding a feature edits no shared list.
 * Two sources claiming the same namespace is a mistake, reported at once.
 */
export function mergeMessages(
  shared: Record<AppLocale, Tree>,
  modules: Record<string, { default: Tree }>,
): Record<AppLocale, Tree> {
  const out = { 'zh-CN': { ...shared['zh-CN'] }, en: { ...shared.en } } as Record<AppLocale, Tree>
  const owner: Record<string, string> = {}
  for (const [path, mod] of Object.entries(modules).sort(([a], [b]) => a.localeCompare(b))) {
    const m = /\/features\/([^/]+)\/locales\/([^/]+)\.ts$/.exec(path)
    if (!m || !isLocale(m[2])) throw new Error(`unexpected locale file ${path}`)
    const [, feature, locale] = m
    for (const [ns, value] of Object.entries(mod.default)) {
      const who = `${locale}:${ns}`
      if (ns in out[locale] && owner[who] !== feature) {
        throw new Error(`message namespace "${ns}" (${locale}) is defined twice (${owner[who] ?? 'shared'} and ${feature})`)
      }
      owner[who] = feature
      out[locale][ns] = value
    }
  }
  return out
}

// Chinese ships with the app; English is a chunk of its own, fetched when it is chosen (or remembered), so
// the first load of the app carries one language.
const chineseModules = import.meta.glob<{ default: Tree }>('../features/*/locales/zh-CN.ts', { eager: true })
const englishLoaders = import.meta.glob<{ default: Tree }>('../features/*/locales/en.ts')
export const messages = mergeMessages({ 'zh-CN': sharedZhCN, en: {} }, chineseModules)
let english: Promise<void> | null = null

/** Makes sure `locale`'s strings are loaded (English is fetched once; Chinese is always there). */
export function loadLocale(locale: AppLocale): Promise<void> {
  if (locale !== 'en') return Promise.resolve()
  english ??= Promise.all([
    import('./en'),
    ...Object.entries(englishLoaders).map(async ([path, load]) => [path, await load()] as const),
  ]).then(([shared, ...features]) => {
    const merged = mergeMessages({ 'zh-CN': {}, en: (shared as { default: Tree }).default },
      Object.fromEntries(features as (readonly [string, { default: Tree }])[])).en
    Object.assign(messages.en, merged)
    i18n.global.setLocaleMessage('en', merged)
  })
  return english
}

export function storedLocale(): AppLocale {
  const v = localStorage.getItem(STORAGE_KEY)
  return isLocale(v) ? v : DEFAULT_LOCALE
}

export const i18n = createI18n({
  legacy: false,
  locale: storedLocale(),
  fallbackLocale: DEFAULT_LOCALE,
  messages,
})

export function getLocale(): AppLocale {
  return i18n.global.locale.value as AppLocale
}

/** Reflects the current locale in <html lang> and in Vant's own component strings. */
export function applyLocale(locale: AppLocale = getLocale()): void {
  document.documentElement.lang = locale
  if (locale === 'en') Locale.use('en-US', vantEnUS)
  else Locale.use('zh-CN', vantZhCN)
}

/** Switches the UI language, remembers it, and updates <html lang>. */
export function setLocale(locale: AppLocale): void {
  if (!isLocale(locale)) throw new Error(`unsupported locale ${String(locale)}`)
  void loadLocale(locale) // until English arrives (a moment), its strings fall back to Chinese
  i18n.global.locale.value = locale
  localStorage.setItem(STORAGE_KEY, locale)
  applyLocale(locale)
}

export const t = i18n.global.t
