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
    expect(consoleNav('staff').map((l) => l.name)).toEqual(['console', 'console-cases', 'console-case-stats',
      'console-residents', 'console-claims', 'console-services', 'console-service-requests', 'console-service-reports',
      'console-activities', 'console-audit', 'console-me'])
    // a provider unit's partner accounts: the cases dispatched to it and the services it provides
    expect(consoleNav('partner').map((l) => l.name)).toEqual(['console', 'console-unit-cases', 'console-services',
      'console-service-requests', 'console-service-reports', 'console-me'])
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
