import { createI18n } from 'vue-i18n'
import { Locale } from 'vant'
import vantEnUS from 'vant/es/locale/lang/en-US'
import vantZhCN from 'vant/es/locale/lang/zh-CN'
import zhCN, { type Messages } from './zh-CN'
import en from './en'

export const LOCALES = ['zh-CN', 'en'] as const
export type AppLocale = (typeof LOCALES)[number]
export const DEFAULT_LOCALE: AppLocale = 'zh-CN'
const STORAGE_KEY = 'steward.locale'

function isLocale(v: unknown): v is AppLocale {
  return typeof v === 'string' && (LOCALES as readonly string[]).includes(v)
}

export function storedLocale(): AppLocale {
  const v = localStorage.getItem(STORAGE_KEY)
  return isLocale(v) ? v : DEFAULT_LOCALE
}

export const i18n = createI18n<[Messages], AppLocale, false>({
  legacy: false,
  locale: storedLocale(),
  fallbackLocale: DEFAULT_LOCALE,
  messages: { 'zh-CN': zhCN, en },
})

export function getLocale(): AppLocale {
  return i18n.global.locale.value
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
  i18n.global.locale.value = locale
  localStorage.setItem(STORAGE_KEY, locale)
  applyLocale(locale)
}

export const t = i18n.global.t
