import { beforeEach, describe, expect, it, vi } from 'vitest'
import { api } from '@/api'
import { createIdempotentSubmit, newIdempotencyKey } from '@/api/idempotency'
import { saveTokens } from '@/api/tokens'
import { setLocale } from '@/i18n'
import { json, problem, residentOut, stubFetch, tokenPair } from './helpers'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

describe('Idempotency-Key', () => {
  beforeEach(() => {
    localStorage.clear()
    setLocale('zh-CN')
  })

  it('is a v4 UUID, also where crypto.randomUUID is missing (plain-HTTP pages)', () => {
    expect(newIdempotencyKey()).toMatch(UUID)
    const real = globalThis.crypto
    vi.stubGlobal('crypto', { getRandomValues: real.getRandomValues.bind(real) })
    const keys = new Set(Array.from({ length: 50 }, () => newIdempotencyKey()))
    expect(keys.size).toBe(50)
    for (const k of keys) expect(k).toMatch(UUID)
  })

  it('stays the same while the same content is retried, and changes for new content or after success', () => {
    const submit = createIdempotentSubmit()
    const a = submit.keyFor({ name: '张小明', household_id: 3 })
    expect(submit.keyFor({ name: '张小明', household_id: 3 })).toBe(a)
    const b = submit.keyFor({ name: '张小明明', household_id: 3 })
    expect(b).not.toBe(a)
    expect(submit.keyFor({ name: '张小明明', household_id: 3 })).toBe(b)
    submit.done()
    expect(submit.keyFor({ name: '张小明明', household_id: 3 })).not.toBe(b)
  })

  it('survives the silent token refresh: the retried POST carries the same key and body', async () => {
    saveTokens({ access: 'old', refresh: 'r1' })
    const { seen } = stubFetch((req) => {
      if (req.path.endsWith('/auth/refresh')) return json(200, tokenPair('resident', 2))
      if (req.headers.get('authorization') !== 'Bearer access-2') return problem(401, 'Unauthorized')
      return json(201, residentOut({ id: 11 }), { ETag: '"11.1"' })
    })
    const created = await api.createResident({ household_id: 3, name: '张小明' }, 'key-123')
    expect(created.etag).toBe('"11.1"')
    const posts = seen.filter((r) => r.path === '/api/v1/residents')
    expect(posts).toHaveLength(2)
    expect(posts.map((r) => r.headers.get('idempotency-key'))).toEqual(['key-123', 'key-123'])
    expect(posts[1].body).toEqual({ household_id: 3, name: '张小明' })
  })
})
