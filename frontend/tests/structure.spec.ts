import { describe, expect, it, vi } from 'vitest'
import { composeRoutes, consoleNav, homeEntries, routes } from '@/router'
import { setLocale } from '@/i18n'
import { json, me, stubFetch } from './helpers'
import { useSignedInApp } from './mountApp'

describe('feature structure', () => {
  it('puts the features under the two shells as layout routes', () => {
    const consoleShell = routes.find((r) => r.path === '/console')!
    const appShell = routes.find((r) => r.path === '/')!
    expect(consoleShell.meta?.section).toBe('console')
    expect(appShell.meta?.section).toBe('app')
    expect(consoleShell.children!.map((r) => r.name)).toEqual(
      expect.arrayContaining(['console', 'console-residents', 'console-claims', 'console-me']))
    expect(appShell.children!.map((r) => r.name)).toEqual(expect.arrayContaining(['home', 'household', 'me']))
    expect(routes.filter((r) => r.meta?.public).map((r) => r.name)).toEqual(expect.arrayContaining(['login', 'register']))
  })

  it('a feature is added by its routes alone: public, app and console pages land in the right place', () => {
    const C = { render: () => null }
    const composed = composeRoutes([{
      public: [{ path: '/p', name: 'p', component: C }],
      app: [{ path: 'a', name: 'a', component: C }],
      console: [{ path: 'c', name: 'c', component: C, meta: { nav: { labelKey: 'x', order: 1 } } }],
    }])
    expect(composed.find((r) => r.name === 'p')?.meta?.public).toBe(true)
    expect(composed.find((r) => r.path === '/')!.children!.map((r) => r.name)).toEqual(['a'])
    expect(composed.find((r) => r.path === '/console')!.children!.map((r) => r.name)).toEqual(['c'])
  })

  it('builds the console navigation from the pages that declare it, by role', () => {
    // The invariants, not an exact list: a new feature adds its pages here without editing this test.
    const staff = consoleNav('staff').map((l) => l.name)
    expect(staff[0]).toBe('console')
    expect(staff.at(-1)).toBe('console-me')
    expect(new Set(staff).size).toBe(staff.length)
    for (const page of ['console-cases', 'console-residents', 'console-claims', 'console-audit']) expect(staff).toContain(page)
    // a provider unit's partner accounts: what is dispatched to or run by their unit, never people's data
    const partner = consoleNav('partner').map((l) => l.name)
    expect(partner).toContain('console-unit-cases')
    for (const page of ['console-residents', 'console-claims', 'console-audit']) expect(partner).not.toContain(page)
    expect(partner.every((name) => staff.includes(name) || name === 'console-unit-cases')).toBe(true)
  })

  it('builds the home tiles of built features from their routes', () => {
    expect(homeEntries('resident').map((e) => e.name)).toContain('household')
  })
})

describe('document title', () => {
  const mountSignedIn = useSignedInApp()

  it('follows the page and the language', async () => {
    stubFetch((req) => (req.path.endsWith('/me') ? json(200, me('resident')) : json(404, {})))
    await mountSignedIn('/me')
    expect(document.title).toBe('我的 · 红管家')
    setLocale('en')
    await vi.waitFor(() => expect(document.title).toBe('Me · Steward'))
    setLocale('zh-CN')
  })
})
