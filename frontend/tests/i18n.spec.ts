import { beforeEach, describe, expect, it } from 'vitest'
import { mergeMessages, messages } from '@/i18n'

const zhCN = messages['zh-CN']
const en = messages.en
const get = (o: object, k: string) => k.split('.').reduce<unknown>((x, p) => (x as Record<string, unknown>)[p], o)

function keys(obj: object, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) =>
    v && typeof v === 'object' ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`],
  )
}

describe('i18n', () => {
  beforeEach(() => {
    localStorage.clear()
  })

  it('starts in Chinese and switches to English, remembering the choice and updating <html lang>', async () => {
    const { i18n, setLocale, applyLocale, t } = await import('@/i18n')
    applyLocale()
    expect(i18n.global.locale.value).toBe('zh-CN')
    expect(document.documentElement.lang).toBe('zh-CN')
    expect(t('tabbar.home')).toBe('首页')
    expect(t('tags.elderly_alone')).toBe('独居老人')

    setLocale('en')
    expect(t('tabbar.home')).toBe('Home')
    expect(document.documentElement.lang).toBe('en')
    expect(localStorage.getItem('steward.locale')).toBe('en')

    setLocale('zh-CN')
    expect(t('me.logout')).toBe('退出登录')
    expect(document.documentElement.lang).toBe('zh-CN')
    expect(localStorage.getItem('steward.locale')).toBe('zh-CN')
  })

  it('reads the remembered locale and ignores junk', async () => {
    const { storedLocale } = await import('@/i18n')
    localStorage.setItem('steward.locale', 'en')
    expect(storedLocale()).toBe('en')
    localStorage.setItem('steward.locale', 'fr')
    expect(storedLocale()).toBe('zh-CN')
  })

  it('keeps English out of the first load: its strings come in a chunk of their own', async () => {
    const fs: { readFileSync(p: string, enc: string): string } = await import(/* @vite-ignore */ 'node:fs' as string)
    const source = fs.readFileSync('src/i18n/index.ts', 'utf8')
    expect(source).not.toMatch(/import .* from '\.\/en'/)
    expect(source).toMatch(/locales\/zh-CN\.ts', \{ eager: true \}/)
    expect(source).toMatch(/locales\/en\.ts'\)/)
  })

  it('refuses an unsupported locale', async () => {
    const { setLocale } = await import('@/i18n')
    // @ts-expect-error deliberately wrong
    expect(() => setLocale('fr')).toThrow()
  })

  it('compiles every message in both languages (no stray @ or | syntax)', async () => {
    const { setLocale, t } = await import('@/i18n')
    for (const locale of ['zh-CN', 'en'] as const) {
      setLocale(locale)
      for (const k of keys(zhCN)) expect(() => t(k, { field: 'x', message: 'y', address: 'a', feature: 'f', n: 1, name: 'n', building: 1, unit: 2 }), k).not.toThrow()
    }
    expect(t('login.demoHint')).toContain('Steward@2026')
    setLocale('zh-CN')
  })

  it('has the same keys and no empty strings in both languages', () => {
    expect(keys(en).sort()).toEqual(keys(zhCN).sort())
    for (const k of keys(en)) {
      expect(get(en, k), k).not.toBe('')
      expect(get(zhCN, k), k).not.toBe('')
    }
  })

  it('merges the strings of every feature (src/features/*/locales) with the shared ones', () => {
    expect(get(zhCN, 'household.title')).toBe('我的家庭')
    expect(get(en, 'claims.title')).toBe('Household claims')
    expect(get(zhCN, 'common.retry')).toBe('重试')
  })

  it('refuses two sources of one namespace', () => {
    const shared = { 'zh-CN': { common: { a: '甲' } }, en: { common: { a: 'A' } } }
    expect(() => mergeMessages(shared, { '../features/x/locales/zh-CN.ts': { default: { common: { b: '乙' } } } }))
      .toThrow(/defined twice/)
    expect(() => mergeMessages(shared, {
      '../features/x/locales/en.ts': { default: { x: { a: 'A' } } },
      '../features/y/locales/en.ts': { default: { x: { b: 'B' } } },
    })).toThrow(/defined twice/)
  })

  it('writes English without Chinese characters or full-width punctuation', () => {
    // Names in the language list are written in their own language on purpose.
    const allowed = new Set(['language.zh-CN'])
    for (const k of keys(en)) {
      if (allowed.has(k)) continue
      expect(String(get(en, k)), k).not.toMatch(/[\u3000-\u303f\uff00-\uffef\u4e00-\u9fff]/)
    }
  })
})
