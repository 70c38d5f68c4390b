import { vi } from 'vitest'

export interface SeenRequest {
  method: string
  path: string
  search: string
  headers: Headers
  body: unknown
}

type Handler = (req: SeenRequest, n: number) => Response | Promise<Response>

/** Replaces the global fetch with a handler and records every request as the server would see it. */
export function stubFetch(handler: Handler) {
  const seen: SeenRequest[] = []
  const fn = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = input instanceof Request ? input : new Request(input, init)
    const url = new URL(req.url)
    const text = await req.text()
    const r: SeenRequest = {
      method: req.method,
      path: url.pathname,
      search: url.search,
      headers: req.headers,
      body: text ? JSON.parse(text) : undefined,
    }
    seen.push(r)
    return handler(r, seen.length)
  })
  vi.stubGlobal('fetch', fn)
  return { fn, seen }
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  })
}

export function problem(status: number, title: string, detail?: string, errors?: Record<string, string[]>): Response {
  return new Response(JSON.stringify({ type: 'about:blank', title, status, detail, errors }), {
    status,
    headers: { 'Content-Type': 'application/problem+json' },
  })
}

export const area = (over: Record<string, unknown> = {}) => ({
  id: 7, parent_id: 1, kind: 'community', name: '丽水湾', code: 'LSW', path: '/1/7/', depth: 1, ...over,
})

export function me(role: string, over: Record<string, unknown> = {}) {
  return {
    id: 42, phone: '13800000005', name: '张阿姨', role, area: area(), resident_id: 9, household_id: 3, claim: null,
    community: { id: 7, name: '丽水湾', code: 'LSW' },
    ...over,
  }
}

export function tokenPair(role = 'resident', n = 1, over: Record<string, unknown> = {}) {
  return {
    access_token: `access-${n}`, refresh_token: `refresh-${n}`, token_type: 'Bearer', expires_in: 900,
    user: me(role, over),
  }
}

/** A resident as the API answers it (phone and ID card masked). */
export function residentOut(over: Record<string, unknown> = {}) {
  return {
    id: 5, name: '张秀英', gender: 'female', birth_date: '1948-05-20', phone: '138****5678', id_card: '310***********1234',
    tags: ['elderly_alone'], household: { id: 3, room: '302', address: '丽水湾12号楼1单元302室' },
    grid: { id: 20, name: '第3网格', code: 'G03' }, community: { id: 7, name: '丽水湾', code: 'LSW' },
    version: 3, created_at: '2026-01-01T00:00:00+08:00', updated_at: '2026-02-01T08:00:00+08:00', ...over,
  }
}
