import { afterEach, describe, expect, it, vi } from 'vitest'
import { json, me, stubFetch } from './helpers'
import { useSignedInApp } from './mountApp'

const item = (id: number, over: Record<string, unknown> = {}) => ({
  id, kind: 'notice.important', title: `重要通知：停水${id}`, body: '请提前储水', subject_type: 'notice', subject_id: 1,
  created_at: '2026-11-26T02:00:00+00:00', read_at: null, ...over,
})

/** A stand-in for the browser's EventSource: the test plays the server. */
class FakeEventSource {
  static last: FakeEventSource | null = null
  url: string
  onerror: (() => void) | null = null
  closed = false
  private handlers = new Map<string, (() => void)[]>()
  constructor(url: string) {
    this.url = url
    FakeEventSource.last = this
  }
  addEventListener(name: string, fn: () => void) {
    this.handlers.set(name, [...(this.handlers.get(name) ?? []), fn])
  }
  emit(name: string) {
    for (const fn of this.handlers.get(name) ?? []) fn()
  }
  close() {
    this.closed = true
  }
}

describe('我的消息 (inbox)', () => {
  const mountSignedIn = useSignedInApp()
  afterEach(() => {
    vi.unstubAllGlobals()
    FakeEventSource.last = null
  })

  function server(state = { unread: 2 }, role = 'resident', items = [item(2), item(1, { read_at: '2026-11-26T03:00:00+00:00' })]) {
    return stubFetch((req) => {
      if (req.path.endsWith('/me')) return json(200, me(role))
      if (req.path === '/api/v1/notifications/unread-count') {
        const etag = `"n42-${state.unread}"`
        if (req.headers.get('If-None-Match') === etag) return new Response(null, { status: 304, headers: { ETag: etag } })
        return json(200, { unread: state.unread, latest_id: 9 }, { ETag: etag })
      }
      if (req.path === '/api/v1/notifications/stream-tickets') return json(201, { ticket: 'tkt-abc', expires_in: 60 })
      if (req.path === '/api/v1/notifications' && req.method === 'GET') return json(200, { items, next_cursor: null })
      if (req.path === '/api/v1/notifications/2/read') {
        state.unread -= 1
        return json(200, item(2, { read_at: new Date().toISOString() }))
      }
      if (req.path === '/api/v1/notifications/read-all') {
        state.unread = 0
        return json(200, { marked: 1 })
      }
      if (req.path === '/api/v1/notices') return json(200, { items: [], next_cursor: null })
      return json(404, {})
    })
  }

  it('lists the messages, marks one read on tap and all read at once', async () => {
    server()
    const { wrapper: w, router } = await mountSignedIn('/inbox')
    await vi.waitFor(() => expect(w.findAll('[data-testid="inbox-item"]')).toHaveLength(2))
    expect(w.findAll('[data-testid="inbox-item-unread"]')).toHaveLength(1)
    expect(w.get('[data-testid="inbox-status"]').text()).toBe('2 条未读')
    await w.get('[data-testid="inbox-item"][data-id="2"]').trigger('click')
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/notices/1'))
    await router.push('/inbox')
    await vi.waitFor(() => expect(w.findAll('[data-testid="inbox-item"]')).toHaveLength(2))
    await w.get('[data-testid="inbox-read-all"]').trigger('click')
    await vi.waitFor(() => expect(w.get('[data-testid="inbox-status"]').text()).toBe('消息都已读'))
  })

  it('staff have it in the console: a 消息 link with the unread count, and messages open the console screens', async () => {
    server({ unread: 2 }, 'staff', [item(2, { kind: 'case.new', title: '新的报事', subject_type: 'case', subject_id: 7 })])
    const { wrapper: w, router } = await mountSignedIn('/console/inbox')
    await vi.waitFor(() => expect(w.findAll('[data-testid="inbox-item"]')).toHaveLength(1))
    await vi.waitFor(() => expect(w.get('[data-testid="nav-console-inbox"]').text()).toContain('2'))
    expect(w.get('[data-testid="inbox-badge"]').text()).toContain('2')
    await w.get('[data-testid="inbox-item"][data-id="2"]').trigger('click')
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/console/cases/7'))
  })

  it('the badge changes when the server pushes a notification (EventSource with a ticket)', async () => {
    vi.stubGlobal('EventSource', FakeEventSource)
    const state = { unread: 2 }
    const { seen } = server(state)
    const { wrapper: w } = await mountSignedIn('/')
    await vi.waitFor(() => expect(FakeEventSource.last).not.toBeNull())
    expect(FakeEventSource.last!.url).toContain('/api/v1/notifications/stream?ticket=tkt-abc')
    expect(seen.find((r) => r.path.endsWith('/stream-tickets'))!.headers.get('Authorization')).toBe('Bearer a')
    FakeEventSource.last!.emit('ready')
    await vi.waitFor(() => expect(w.get('[data-testid="unread-badge"]').text()).toBe('2'))
    state.unread = 3
    FakeEventSource.last!.emit('notification')
    await vi.waitFor(() => expect(w.get('[data-testid="unread-badge"]').text()).toBe('3'))
  })

  it('falls back to polling with If-None-Match when live updates are refused', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true })
    try {
      vi.stubGlobal('EventSource', FakeEventSource)
      const state = { unread: 1 }
      const { seen } = server(state)
      const { wrapper: w } = await mountSignedIn('/')
      await vi.waitFor(() => expect(FakeEventSource.last).not.toBeNull())
      FakeEventSource.last!.onerror?.()
      expect(FakeEventSource.last!.closed).toBe(true)
      await vi.waitFor(() => expect(w.get('[data-testid="unread-badge"]').text()).toBe('1'))
      await vi.advanceTimersByTimeAsync(30_000)
      const polls = seen.filter((r) => r.path.endsWith('/unread-count'))
      expect(polls.at(-1)!.headers.get('If-None-Match')).toBe('"n42-1"')
      state.unread = 4
      await vi.advanceTimersByTimeAsync(30_000)
      await vi.waitFor(() => expect(w.get('[data-testid="unread-badge"]').text()).toBe('4'))
    } finally {
      vi.useRealTimers()
    }
  })
})
