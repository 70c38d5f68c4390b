import { afterEach, describe, expect, it, vi } from 'vitest'
import { json, me, stubFetch, type SeenRequest } from './helpers'
import { useSignedInApp } from './mountApp'
import { useElderStore } from '@/stores/elder'

const area = { id: 7, name: '丽水湾', full_name: '丽水湾', code: 'LSW' }
const grid = (id: number, n: number) => ({ id, name: `${n}号网格`, full_name: `丽水湾 ${n}号网格`, code: `LSW-G${n}` })
function brief(over: Record<string, unknown> = {}) {
  return {
    id: 1, category: 'important', category_label: '重要通知', title: '二次供水水箱清洗停水通知', summary: '11 月 29 日停水',
    important: true, pinned: true, status: 'published', area, tag: null, publish_at: '2026-11-26T02:00:00+00:00',
    expire_at: null, has_attachments: true, read: false, ...over,
  }
}
function full(over: Record<string, unknown> = {}) {
  return {
    ...brief(), body_md: '**停水**', body_html: '<p><strong>停水</strong> 请提前储水</p>', published_at: '2026-11-26T02:00:00+00:00',
    created_at: '2026-11-26T01:00:00+00:00', updated_at: '2026-11-26T01:00:00+00:00',
    attachments: [{ id: 5, kind: 'pdf', filename: '停水范围.pdf', content_type: 'application/pdf', size: 1200 }], ...over,
  }
}
const page = (items: unknown[], next: string | null = null) => ({ items, next_cursor: next })
const q = (r: SeenRequest) => new URLSearchParams(r.search)

function residentServer(extra?: (r: SeenRequest) => Response | undefined) {
  return stubFetch((req) => {
    const r = extra?.(req)
    if (r) return r
    if (req.path.endsWith('/me')) return json(200, me('resident'))
    if (req.path === '/api/v1/notifications/unread-count') return json(200, { unread: 3, latest_id: 9 }, { ETag: '"n42-3-9"' })
    if (req.path === '/api/v1/notifications/stream-tickets') return json(503, {})
    if (req.path === '/api/v1/notices' && q(req).get('pinned') === 'true') return json(200, page([brief()]))
    if (req.path === '/api/v1/notices') return json(200, page([brief(), brief({ id: 2, category: 'guide', category_label: '办事指南', title: '居住证办理指南', important: false, pinned: false, read: true })]))
    if (req.path === '/api/v1/notices/1') return json(200, full(), { ETag: '"1.1"' })
    return json(404, {})
  })
}

describe('通知公告 (residents)', () => {
  const mountSignedIn = useSignedInApp()
  afterEach(() => {
    useElderStore().set(false)
  })

  it('the home shows the pinned notices, the unread badge and the tiles', async () => {
    residentServer()
    const { wrapper: w } = await mountSignedIn('/')
    await vi.waitFor(() => expect(w.findAll('[data-testid="pinned-notice"]')).toHaveLength(1))
    expect(w.get('[data-testid="pinned-notice"]').text()).toContain('二次供水水箱清洗停水通知')
    expect(w.get('[data-testid="pinned-notice"]').attributes('href')).toBe('/notices/1')
    await vi.waitFor(() => expect(w.get('[data-testid="unread-badge"]').text()).toBe('3'))
    expect(w.get('[data-testid="inbox-bell"]').attributes('aria-label')).toBe('我的消息，3 条未读')
    expect(w.get('[data-testid="entry-notices"]').attributes('href')).toBe('/notices')
    expect(w.get('[data-testid="entry-guides"]').attributes('href')).toBe('/guides')
  })

  it('lists notices by category', async () => {
    const { seen } = residentServer()
    const { wrapper: w, router } = await mountSignedIn('/notices')
    await vi.waitFor(() => expect(w.findAll('[data-testid="notice-card"]')).toHaveLength(2))
    expect(w.findAll('[data-testid="notice-unread"]')).toHaveLength(1)
    await w.get('[data-testid="notice-cat-guide"]').trigger('click')
    await vi.waitFor(() => expect(seen.some((r) => r.path === '/api/v1/notices' && q(r).get('category') === 'guide')).toBe(true))
    expect(router.currentRoute.value.query.category).toBe('guide')
    expect(w.get('[data-testid="notice-cat-guide"]').attributes('aria-pressed')).toBe('true')
  })

  it('reads a notice: the sanitised HTML as the server sent it, and its PDF to download', async () => {
    residentServer()
    const { wrapper: w } = await mountSignedIn('/notices/1')
    await vi.waitFor(() => expect(w.find('[data-testid="notice-body"]').exists()).toBe(true))
    expect(w.get('[data-testid="notice-title"]').text()).toBe('二次供水水箱清洗停水通知')
    expect(w.get('[data-testid="notice-body"]').html()).toContain('<strong>停水</strong>')
    expect(w.get('[data-testid="notice-file-download"]').text()).toContain('停水范围.pdf')
  })

  it('works in elder mode (长辈版): the same reader with the large layout switched on', async () => {
    residentServer()
    useElderStore().set(true)
    const { wrapper: w } = await mountSignedIn('/notices/1')
    await vi.waitFor(() => expect(w.find('[data-testid="notice-body"]').exists()).toBe(true))
    expect(document.documentElement.classList.contains('elder')).toBe(true)
    expect(w.get('[data-testid="nav-back"]').element.tagName).toBe('BUTTON')
  })

  it('searches the guide library', async () => {
    const { seen } = residentServer()
    const { wrapper: w } = await mountSignedIn('/guides')
    await vi.waitFor(() => expect(w.findAll('[data-testid="notice-card"]').length).toBeGreaterThan(0))
    await w.get('[data-testid="guide-q"]').setValue('居住证')
    await w.get('form[role="search"]').trigger('submit')
    await vi.waitFor(() => expect(seen.some((r) => q(r).get('q') === '居住证' && q(r).get('category') === 'guide')).toBe(true))
  })
})

describe('通知公告 (the grid volunteer)', () => {
  const mountSignedIn = useSignedInApp()

  it('sees under a notice the households of the grid nobody has told yet, and marks one told at the door', async () => {
    const { seen } = stubFetch((req) => {
      if (req.path.endsWith('/me')) return json(200, me('volunteer'))
      if (req.path === '/api/v1/notices/1') return json(200, full(), { ETag: '"1.1"' })
      if (req.path === '/api/v1/notices/1/stats') return json(200, { households: 12, read: 3, rate: 0.25, grids: [] })
      if (req.path === '/api/v1/notices/1/unread-households') {
        return json(200, page([{ id: 65, address: '丽水湾5号楼1单元101室', grid: grid(21, 1) }, { id: 66, address: '丽水湾5号楼1单元102室', grid: grid(21, 1) }]))
      }
      if (req.path === '/api/v1/notices/1/informed') return json(200, { households: 12, read: 4, rate: 0.33, grids: [] })
      return json(404, {})
    })
    const { wrapper: w } = await mountSignedIn('/notices/1')
    await vi.waitFor(() => expect(w.findAll('[data-testid="door"]')).toHaveLength(2))
    expect(w.get('[data-testid="door-list-rate"]').text()).toBe('12 户中 3 户已读')
    await w.get('[data-testid="door-informed"]').trigger('click')
    await vi.waitFor(() => expect(w.get('[data-testid="door-list-rate"]').text()).toBe('12 户中 4 户已读'))
    expect(w.findAll('[data-testid="door"]')).toHaveLength(1)
    expect(seen.find((r) => r.path.endsWith('/informed'))!.body).toEqual({ household_id: 65 })
  })

  it('a resident sees no such list', async () => {
    residentServer()
    const { wrapper: w } = await mountSignedIn('/notices/1')
    await vi.waitFor(() => expect(w.find('[data-testid="notice-body"]').exists()).toBe(true))
    expect(w.find('[data-testid="door-list"]').exists()).toBe(false)
  })
})

describe('通知公告 (console)', () => {
  const mountSignedIn = useSignedInApp()

  function staffServer() {
    return stubFetch((req) => {
      if (req.path.endsWith('/me')) return json(200, me('staff', { resident_id: null, household_id: null }))
      if (req.path === '/api/v1/areas') return json(200, page([{ id: 7, parent_id: 1, kind: 'community', name: '丽水湾', full_name: '丽水湾', code: 'LSW', path: '/1/7/', depth: 1 }]))
      if (req.path === '/api/v1/notices/preview') return json(200, { body_html: '<p><strong>停水</strong></p>' })
      if (req.path === '/api/v1/notices' && req.method === 'POST') return json(201, full({ id: 9, ...(req.body as object) }), { ETag: '"9.1"' })
      if (req.path === '/api/v1/notices/9') return json(200, full({ id: 9 }), { ETag: '"9.1"' })
      if (req.path === '/api/v1/notices/9/stats') {
        return json(200, { households: 4, read: 1, rate: 0.25, grids: [
          { grid: grid(21, 1), households: 2, read: 1, rate: 0.5 }, { grid: grid(22, 2), households: 2, read: 0, rate: 0 }] })
      }
      if (req.path === '/api/v1/notices/9/unread-households') {
        return json(200, page([{ id: 65, address: '丽水湾5号楼1单元101室', grid: grid(21, 1) }]))
      }
      if (req.path === '/api/v1/notices/9/informed') return json(200, { households: 4, read: 2, rate: 0.5, grids: [] })
      if (req.path === '/api/v1/notices') return json(200, page([brief({ id: 9 })]))
      return json(404, {})
    })
  }

  it('writes a notice with a server preview and publishes it', async () => {
    const { seen } = staffServer()
    const { wrapper: w, router } = await mountSignedIn('/console/notices/new')
    await vi.waitFor(() => expect(w.find('[data-testid="ne-area"] option').exists()).toBe(true))
    await w.get('[data-testid="ne-title"]').setValue('二次供水水箱清洗停水通知')
    await w.get('[data-testid="ne-category"]').setValue('important')
    await w.get('[data-testid="ne-body"]').setValue('**停水**<script>x()</script>')
    await w.get('[data-testid="ne-pinned"]').setValue(true)
    await w.get('[data-testid="ne-preview"]').trigger('click')
    await vi.waitFor(() => expect(w.get('[data-testid="ne-preview-html"]').html()).toContain('<strong>停水</strong>'))
    expect(w.get('[data-testid="ne-preview-html"]').html()).not.toContain('script')
    await w.get('form.notice-editor-form').trigger('submit')
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('console-notice'))
    const post = seen.find((r) => r.path === '/api/v1/notices' && r.method === 'POST')!
    expect(post.body).toMatchObject({ title: '二次供水水箱清洗停水通知', category: 'important', area_id: 7, pinned: true, publish: true })
  })

  it('shows the read rate per grid and the doors to knock on', async () => {
    const { seen } = staffServer()
    const { wrapper: w } = await mountSignedIn('/console/notices/9')
    await vi.waitFor(() => expect(w.find('[data-testid="notice-rate"]').exists()).toBe(true))
    expect(w.get('[data-testid="notice-rate"]').text()).toBe('25%')
    expect(w.findAll('[data-testid="notice-grid-row"]')).toHaveLength(2)
    await vi.waitFor(() => expect(w.findAll('[data-testid="door"]')).toHaveLength(1))
    await w.get('[data-testid="door-informed"]').trigger('click')
    await vi.waitFor(() => expect(w.get('[data-testid="notice-rate"]').text()).toBe('50%'))
    expect(seen.find((r) => r.path.endsWith('/informed'))!.body).toEqual({ household_id: 65 })
    expect(w.findAll('[data-testid="door"]')).toHaveLength(0)
  })
})
