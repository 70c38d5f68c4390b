import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { useAuthStore } from '@/stores/auth'
import { ApiError } from '@/api'
import { loadTokens } from '@/api/tokens'
import { json, me, problem, stubFetch, tokenPair } from './helpers'

describe('auth store', () => {
  beforeEach(() => {
    localStorage.clear()
    setActivePinia(createPinia())
  })

  it('login posts the credentials and keeps the tokens and the user', async () => {
    const { seen } = stubFetch(() => json(200, tokenPair('staff', 1)))
    const auth = useAuthStore()
    const user = await auth.login('13800000002', 'Steward@2026')

    expect(seen[0]).toMatchObject({ method: 'POST', path: '/api/v1/auth/login', body: { phone: '13800000002', password: 'Steward@2026' } })
    expect(user.role).toBe('staff')
    expect(auth.isAuthenticated).toBe(true)
    expect(auth.me?.name).toBe('张阿姨')
    expect(auth.isConsoleUser).toBe(true)
    expect(auth.landing).toBe('/console')
    expect(loadTokens()).toEqual({ access: 'access-1', refresh: 'refresh-1' })
  })

  it('a refused login stores nothing and surfaces the problem', async () => {
    stubFetch(() => problem(401, 'Unauthorized', '手机号或密码错误'))
    const auth = useAuthStore()
    const err = (await auth.login('13800000002', 'nope').catch((e: unknown) => e)) as ApiError
    expect(err).toBeInstanceOf(ApiError)
    expect(err.detail).toBe('手机号或密码错误')
    expect(auth.isAuthenticated).toBe(false)
    expect(loadTokens()).toBeNull()
  })

  it('logout clears the session and asks the server to revoke it', async () => {
    const { seen } = stubFetch((req) =>
      req.path.endsWith('/auth/login') ? json(200, tokenPair('resident', 1)) : new Response(null, { status: 204 }),
    )
    const auth = useAuthStore()
    await auth.login('13800000005', 'Steward@2026')
    await auth.logout()

    expect(auth.isAuthenticated).toBe(false)
    expect(auth.me).toBeNull()
    expect(loadTokens()).toBeNull()
    const logout = seen[1]
    expect(logout).toMatchObject({ method: 'POST', path: '/api/v1/auth/logout' })
    expect(logout.headers.get('authorization')).toBe('Bearer access-1')
  })

  it('logout still clears the session when the server is unreachable', async () => {
    stubFetch((req) => {
      if (req.path.endsWith('/auth/login')) return json(200, tokenPair('resident', 1))
      throw new TypeError('Failed to fetch')
    })
    const auth = useAuthStore()
    await auth.login('13800000005', 'Steward@2026')
    await auth.logout()
    expect(auth.isAuthenticated).toBe(false)
    expect(loadTokens()).toBeNull()
  })

  it('restores the session from storage and loads the user once', async () => {
    localStorage.setItem('steward.access_token', 'a')
    localStorage.setItem('steward.refresh_token', 'r')
    const { seen } = stubFetch(() => json(200, me('volunteer')))
    const auth = useAuthStore()
    expect(auth.isAuthenticated).toBe(true)
    await auth.ensureMe()
    await auth.ensureMe()
    expect(auth.role).toBe('volunteer')
    expect(seen).toHaveLength(1)
  })

  it('follows a silent token refresh and a refused refresh made by the API client', async () => {
    localStorage.setItem('steward.access_token', 'old')
    localStorage.setItem('steward.refresh_token', 'r')
    let refreshOk = true
    stubFetch((req) => {
      if (req.path.endsWith('/auth/refresh')) return refreshOk ? json(200, tokenPair('resident', 2)) : problem(401, 'Unauthorized')
      if (req.headers.get('authorization') === 'Bearer access-2' && refreshOk) return json(200, me('resident'))
      return problem(401, 'Unauthorized')
    })
    const auth = useAuthStore()
    await auth.fetchMe()
    expect(auth.tokens).toEqual({ access: 'access-2', refresh: 'refresh-2' })

    refreshOk = false
    await auth.fetchMe().catch(() => undefined)
    expect(auth.isAuthenticated).toBe(false)
    expect(auth.me).toBeNull()
  })
})
