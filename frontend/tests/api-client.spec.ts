import { beforeEach, describe, expect, it, vi } from 'vitest'
import { api, ApiError } from '@/api'
import { addSessionListener, apiBaseUrl, authFetch } from '@/api/client'
import { loadTokens, saveTokens } from '@/api/tokens'
import { setLocale } from '@/i18n'
import { json, me, problem, stubFetch, tokenPair } from './helpers'

describe('API wrapper', () => {
  beforeEach(() => {
    localStorage.clear()
    setLocale('zh-CN')
  })

  it('sends the access token, the locale and JSON to /api/v1', async () => {
    saveTokens({ access: 'a1', refresh: 'r1' })
    setLocale('en')
    const { seen } = stubFetch(() => json(200, me('resident')))
    const user = await api.me()
    expect(user.name).toBe('张阿姨')
    expect(seen).toHaveLength(1)
    expect(seen[0].path).toBe('/api/v1/me')
    expect(seen[0].headers.get('authorization')).toBe('Bearer a1')
    expect(seen[0].headers.get('accept-language')).toBe('en')
  })

  it('maps a problem+json validation answer to an ApiError with field errors', async () => {
    stubFetch(() => problem(422, 'Unprocessable Entity', '输入有误', { phone: ['手机号格式不正确'], room: ['必填', '过长'] }))
    const err = await api.register({
      phone: 'x', code: '1', password: 'p', name: 'n', household_id: 1, accept_privacy: true,
    }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiError)
    const e = err as ApiError
    expect(e.status).toBe(422)
    expect(e.title).toBe('Unprocessable Entity')
    expect(e.detail).toBe('输入有误')
    expect(e.fieldErrors).toEqual({ phone: ['手机号格式不正确'], room: ['必填', '过长'] })
    expect(e.field('room')).toBe('必填；过长')
    expect(e.field('name')).toBeUndefined()
  })

  it('maps a non-JSON error page to an ApiError carrying the status', async () => {
    stubFetch(() => new Response('<html>Bad Gateway</html>', { status: 502, statusText: 'Bad Gateway', headers: { 'Content-Type': 'text/html' } }))
    const err = (await api.communities().catch((e: unknown) => e)) as ApiError
    expect(err).toBeInstanceOf(ApiError)
    expect(err.status).toBe(502)
    expect(err.title).toBe('Bad Gateway')
    expect(err.fieldErrors).toEqual({})
  })

  it('reports a network failure in words', async () => {
    vi.stubGlobal('fetch', vi.fn(() => Promise.reject(new TypeError('Failed to fetch'))))
    const err = (await api.communities().catch((e: unknown) => e)) as ApiError
    expect(err).toBeInstanceOf(ApiError)
    expect(err.isNetworkError).toBe(true)
    expect(err.title).toBe('网络连接失败，请检查网络后重试')
  })

  it('on a 401 refreshes once with the refresh token and retries the request with the new token', async () => {
    saveTokens({ access: 'old-access', refresh: 'old-refresh' })
    const refreshed = vi.fn()
    addSessionListener({ refreshed })
    const { seen } = stubFetch((req) => {
      if (req.path === '/api/v1/auth/refresh') return json(200, tokenPair('resident', 2))
      if (req.headers.get('authorization') === 'Bearer access-2') return json(200, { items: [], next_cursor: null })
      return problem(401, 'Unauthorized', 'Token has expired')
    })

    const page = await api.residents({ q: '张', limit: 20 })

    expect(page).toEqual({ items: [], next_cursor: null })
    expect(seen.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /api/v1/residents', 'POST /api/v1/auth/refresh', 'GET /api/v1/residents',
    ])
    expect(seen[1].headers.get('authorization')).toBe('Bearer old-refresh')
    expect(seen[2].search).toBe('?q=%E5%BC%A0&limit=20')
    expect(loadTokens()).toEqual({ access: 'access-2', refresh: 'refresh-2' })
    expect(refreshed).toHaveBeenCalledOnce()
  })

  it('keeps the request body for the retry', async () => {
    saveTokens({ access: 'old', refresh: 'r' })
    const { seen } = stubFetch((req) => {
      if (req.path.endsWith('/auth/refresh')) return json(200, tokenPair('resident', 2))
      if (req.headers.get('authorization') === 'Bearer old') return problem(401, 'Unauthorized')
      return json(201, { id: 1 })
    })
    const res = await authFetch(new Request(`${apiBaseUrl()}/residents`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: '李', tags: ['hardship'] }),
    }))
    expect(res.status).toBe(201)
    expect(seen.map((r) => r.method)).toEqual(['POST', 'POST', 'POST'])
    expect(seen[2].body).toEqual({ name: '李', tags: ['hardship'] })
    expect(seen[2].headers.get('authorization')).toBe('Bearer access-2')
  })

  it('does not refresh for anonymous calls such as registration', async () => {
    saveTokens({ access: 'old', refresh: 'r' })
    const { seen } = stubFetch(() => problem(401, 'Unauthorized'))
    await expect(api.register({ phone: '13900000000', password: 'Steward@2026', name: '李', code: '123456', household_id: 7, accept_privacy: true }))
      .rejects.toMatchObject({ status: 401 })
    expect(seen).toHaveLength(1)
    expect(loadTokens()).not.toBeNull()
  })

  it('shares one refresh between concurrent requests', async () => {
    saveTokens({ access: 'old', refresh: 'r' })
    const { seen } = stubFetch(async (req) => {
      if (req.path.endsWith('/auth/refresh')) {
        await new Promise((r) => setTimeout(r, 5))
        return json(200, tokenPair('resident', 2))
      }
      if (req.headers.get('authorization') === 'Bearer access-2') return json(200, me('resident'))
      return problem(401, 'Unauthorized')
    })
    await Promise.all([api.me(), api.me(), api.me()])
    expect(seen.filter((r) => r.path.endsWith('/auth/refresh'))).toHaveLength(1)
  })

  it('ends the session when the refresh token is refused', async () => {
    saveTokens({ access: 'old', refresh: 'revoked' })
    const expired = vi.fn()
    addSessionListener({ expired })
    const { seen } = stubFetch(() => problem(401, 'Unauthorized', 'Token has been revoked'))

    const err = (await api.me().catch((e: unknown) => e)) as ApiError

    expect(err).toBeInstanceOf(ApiError)
    expect(err.status).toBe(401)
    expect(seen).toHaveLength(2) // the call and one refresh, no retry loop
    expect(loadTokens()).toBeNull()
    expect(expired).toHaveBeenCalledOnce()
  })

  it('picks up the tokens another tab saved when the server says the refresh token was just replaced', async () => {
    saveTokens({ access: 'old', refresh: 'r1' })
    const expired = vi.fn()
    addSessionListener({ expired })
    const { seen } = stubFetch((req) => {
      if (req.path.endsWith('/auth/refresh')) {
        saveTokens({ access: 'from-other-tab', refresh: 'r2' }) // the other tab won the race
        return json(401, { type: 'https://steward.example.org/problems/refresh-superseded', title: 'x', status: 401 })
      }
      return req.headers.get('authorization') === 'Bearer from-other-tab'
        ? json(200, me('resident'))
        : problem(401, 'Unauthorized', 'expired')
    })

    const user = await api.me()

    expect(user.name).toBe('张阿姨')
    expect(seen.map((r) => r.path)).toEqual(['/api/v1/me', '/api/v1/auth/refresh', '/api/v1/me'])
    expect(loadTokens()).toEqual({ access: 'from-other-tab', refresh: 'r2' })
    expect(expired).not.toHaveBeenCalled()
  })

  it('keeps the session when the refresh fails for network reasons', async () => {
    saveTokens({ access: 'old', refresh: 'r' })
    const expired = vi.fn()
    addSessionListener({ expired })
    stubFetch((req) => {
      if (req.path.endsWith('/auth/refresh')) throw new TypeError('Failed to fetch')
      return problem(401, 'Unauthorized')
    })
    await expect(api.me()).rejects.toBeInstanceOf(ApiError)
    expect(loadTokens()).toEqual({ access: 'old', refresh: 'r' })
    expect(expired).not.toHaveBeenCalled()
  })

  it('does not try to refresh when the login itself is refused', async () => {
    saveTokens({ access: 'old', refresh: 'r' })
    const { seen } = stubFetch(() => problem(401, 'Unauthorized', '手机号或密码错误'))
    const err = (await api.login('13800000000', 'wrong').catch((e: unknown) => e)) as ApiError
    expect(err.detail).toBe('手机号或密码错误')
    expect(seen).toHaveLength(1)
  })
})
