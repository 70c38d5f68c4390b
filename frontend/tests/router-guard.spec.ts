import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory } from 'vue-router'
import { createAppRouter, safeRedirect } from '@/router'
import { loadTokens, saveTokens } from '@/api/tokens'
import { json, me, problem, stubFetch } from './helpers'

function loggedInAs(role: string) {
  saveTokens({ access: 'a', refresh: 'r' })
  return stubFetch(() => json(200, me(role)))
}

async function go(path: string) {
  const router = createAppRouter(createMemoryHistory())
  await router.push(path)
  return router
}

describe('router guard', () => {
  beforeEach(() => {
    localStorage.clear()
    setActivePinia(createPinia())
  })

  it('sends a visitor without a session to /login, remembering where they were going', async () => {
    const { fn } = stubFetch(() => json(500, {}))
    const router = await go('/household')
    expect(router.currentRoute.value.name).toBe('login')
    expect(router.currentRoute.value.query.redirect).toBe('/household')
    expect(fn).not.toHaveBeenCalled()
  })

  it('leaves login and register open to visitors', async () => {
    stubFetch(() => json(500, {}))
    expect((await go('/register')).currentRoute.value.name).toBe('register')
    expect((await go('/login')).currentRoute.value.name).toBe('login')
  })

  it.each(['resident', 'volunteer'])('keeps a %s out of the console', async (role) => {
    loggedInAs(role)
    expect((await go('/console')).currentRoute.value.fullPath).toBe('/')
    expect((await go('/console/residents')).currentRoute.value.fullPath).toBe('/')
    expect((await go('/household')).currentRoute.value.name).toBe('household')
  })

  it.each(['staff', 'town_staff', 'admin'])('lets %s into the console and sends them there from the resident home', async (role) => {
    loggedInAs(role)
    expect((await go('/console/residents')).currentRoute.value.name).toBe('console-residents')
    expect((await go('/')).currentRoute.value.fullPath).toBe('/console')
  })

  it('keeps partners out of the resident list (they only handle dispatched work)', async () => {
    loggedInAs('partner')
    expect((await go('/console')).currentRoute.value.name).toBe('console')
    expect((await go('/console/residents')).currentRoute.value.fullPath).toBe('/console')
  })

  it('opens 我的 inside the console for console roles and inside the app for the others', async () => {
    loggedInAs('staff')
    expect((await go('/me')).currentRoute.value.fullPath).toBe('/console/me')
    expect((await go('/console/me')).currentRoute.value.name).toBe('console-me')
    setActivePinia(createPinia())
    loggedInAs('volunteer')
    expect((await go('/me')).currentRoute.value.name).toBe('me')
    expect((await go('/console/me')).currentRoute.value.fullPath).toBe('/')
  })

  it('sends a logged-in user from /login to their landing page', async () => {
    loggedInAs('town_staff')
    expect((await go('/login')).currentRoute.value.fullPath).toBe('/console')
  })

  it('drops a dead session (refresh refused) and goes to /login', async () => {
    saveTokens({ access: 'a', refresh: 'r' })
    stubFetch(() => problem(401, 'Unauthorized', 'Token has been revoked'))
    const router = await go('/me')
    expect(router.currentRoute.value.name).toBe('login')
    expect(loadTokens()).toBeNull()
  })

  it('sends unknown paths home', async () => {
    loggedInAs('resident')
    expect((await go('/nowhere')).currentRoute.value.fullPath).toBe('/')
  })
})

describe('post-login redirect', () => {
  const router = createAppRouter(createMemoryHistory())

  it('follows a local path the role may open', () => {
    expect(safeRedirect(router, '/household', 'resident')).toBe('/household')
    expect(safeRedirect(router, '/console/residents', 'staff')).toBe('/console/residents')
  })

  it('ignores foreign, public or forbidden targets and falls back to the landing page', () => {
    expect(safeRedirect(router, '//evil.example/x', 'resident')).toBe('/')
    expect(safeRedirect(router, 'https://evil.example/', 'staff')).toBe('/console')
    expect(safeRedirect(router, '/console', 'resident')).toBe('/')
    expect(safeRedirect(router, '/login', 'admin')).toBe('/console')
    expect(safeRedirect(router, undefined, 'volunteer')).toBe('/')
    expect(safeRedirect(router, '/console/residents', 'partner')).toBe('/console')
  })
})
