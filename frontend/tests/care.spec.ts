import { describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { json, me, problem, residentOut, stubFetch, type SeenRequest } from './helpers'
import { useSignedInApp } from './mountApp'

const gridArea = { id: 21, parent_id: 10, kind: 'grid', name: '1号网格', code: 'G1', path: '/1/7/10/21/', depth: 3 }
const DAY = 86_400_000
const iso = (msAgo: number) => new Date(Date.now() - msAgo).toISOString()

function pair(over: Record<string, unknown> = {}) {
  return {
    id: 1, household: { id: 65, address: '丽水湾5号楼1单元101室', grid: { id: 21, name: '1号网格', full_name: '丽水湾 1号网格', code: 'G1' } },
    volunteer: { id: 5, name: '张国强' }, unit: null, note: '每周电话问候、两周上门探访', active: true,
    started_at: iso(100 * DAY), ended_at: null, end_reason: null, last_visit_at: iso(3 * DAY), visits_count: 8, overdue: false,
    ...over,
  }
}
const overduePair = pair({ id: 4, household: { id: 70, address: '丽水湾33号楼1单元201室', grid: { id: 22, name: '4号网格', full_name: '丽水湾 4号网格', code: 'G4' } }, last_visit_at: iso(20 * DAY), visits_count: 4, overdue: true })
const page = (items: unknown[], next: string | null = null) => ({ items, next_cursor: next })
const q = (r: SeenRequest) => new URLSearchParams(r.search)

describe('我的结对 (volunteers)', () => {
  const mountSignedIn = useSignedInApp()

  function volunteerServer(onVisit?: (r: SeenRequest, n: number) => Response) {
    let visits = 8
    let last = iso(3 * DAY)
    return stubFetch((req, n) => {
      if (req.path.endsWith('/me')) return json(200, me('volunteer', { area: gridArea }))
      if (req.path === '/api/v1/care/hours') {
        return json(200, { volunteers: [{ id: 5, name: '张国强', visits: 8, hours: 4.9, activities: 1, activity_hours: 2, total_hours: 6.9 }], units: [],
          visits: 8, hours: 4.9, activities: 1, activity_hours: 2, total_hours: 6.9 })
      }
      if (req.path === '/api/v1/care/pairs') return json(200, page([pair(), overduePair]))
      if (req.path === '/api/v1/care/pairs/1') return json(200, pair({ visits_count: visits, last_visit_at: last }))
      if (req.path === '/api/v1/care/pairs/1/visits' && req.method === 'GET') {
        return json(200, page([{ id: 11, kind: 'visit', minutes: 44, note: '检查了燃气和电器。', visited_at: iso(3 * DAY), volunteer: { id: 5, name: '张国强' } }]))
      }
      if (req.path === '/api/v1/care/pairs/1/visits' && req.method === 'POST') {
        const r = onVisit?.(req, n)
        if (r) return r
        visits += 1
        last = new Date().toISOString()
        const b = req.body as { kind: string; minutes: number; note?: string }
        return json(201, { id: 99, ...b, note: b.note ?? null, visited_at: last, volunteer: { id: 5, name: '张国强' } })
      }
      return json(404, {})
    })
  }

  it('has a tile on the volunteer home', async () => {
    volunteerServer()
    const { wrapper: w } = await mountSignedIn('/')
    expect(w.get('[data-testid="entry-care"]').attributes('href')).toBe('/care')
    expect(w.get('[data-testid="entry-care"]').text()).toContain('我的结对')
  })

  it('lists the households, the overdue one first and flagged in words, and my hours', async () => {
    volunteerServer()
    const { wrapper: w } = await mountSignedIn('/care')
    await vi.waitFor(() => expect(w.findAll('[data-testid="care-pair"]')).toHaveLength(2))
    const [first, second] = w.findAll('[data-testid="care-pair"]')
    expect(first.text()).toContain('丽水湾33号楼1单元201室')
    expect(first.get('[data-testid="care-overdue"]').text()).toContain('已经 20 天没有探访（超过 14 天）')
    expect(second.find('[data-testid="care-overdue"]').exists()).toBe(false)
    expect(second.get('[data-testid="care-last-visit"]').text()).toContain('3 天前')
    expect(second.text()).toContain('共探访 8 次')
    expect(w.get('[data-testid="care-hours-total"]').text()).toBe('6.9')  // care visits and activities served
    expect(w.get('[data-testid="care-hours-activities"]').text()).toBe('1')
    expect(w.get('[data-testid="care-hours-visits"]').text()).toBe('8')
    expect(second.get('[data-testid="care-pair-open"]').attributes('href')).toBe('/care/pairs/1')
  })

  it('logs a visit in three taps (kind, minutes, save): the pair shows it at once', async () => {
    const { seen } = volunteerServer()
    const { wrapper: w } = await mountSignedIn('/care/pairs/1')
    await vi.waitFor(() => expect(w.find('[data-testid="visit-form"]').exists()).toBe(true))
    expect(w.get('[data-testid="care-visits-count"]').text()).toContain('8')

    await w.get('[data-testid="visit-kind-lunch"] input').setValue(true)
    await w.get('[data-testid="visit-minutes-30"] input').setValue(true)
    await w.get('[data-testid="visit-form"]').trigger('submit')
    await vi.waitFor(() => expect(w.find('[data-testid="visit-saved"]').exists()).toBe(true))

    const post = seen.find((r) => r.method === 'POST')!
    expect(post.path).toBe('/api/v1/care/pairs/1/visits')
    expect(post.body).toEqual({ kind: 'lunch', minutes: 30 })
    expect(post.headers.get('Idempotency-Key')).toMatch(/^[0-9a-f-]{36}$/)
    expect(w.get('[data-testid="visit-saved"]').text()).toContain('已记录：爱心午餐 30 分钟')
    await vi.waitFor(() => expect(w.get('[data-testid="care-visits-count"]').text()).toContain('共探访 9 次'))
    expect(w.get('[data-testid="care-last-visit"]').text()).toContain('刚刚')
    expect(w.findAll('[data-testid="visit-row"]')[0].text()).toContain('爱心午餐')
    // the form is ready for the next visit
    expect((w.get('[data-testid="visit-kind-lunch"] input').element as HTMLInputElement).checked).toBe(false)
  })

  it('says in words what is missing, checks "other" minutes, and shows the server\'s field error beside its field', async () => {
    const { seen } = volunteerServer((_r, n) => (n > 0 ? problem(422, 'Unprocessable Entity', '输入有误', { note: ['最多 500 个字'] }) : undefined as never))
    const { wrapper: w } = await mountSignedIn('/care/pairs/1')
    await vi.waitFor(() => expect(w.find('[data-testid="visit-form"]').exists()).toBe(true))
    await w.get('[data-testid="visit-form"]').trigger('submit')
    expect(w.text()).toContain('请选择做了什么')
    expect(w.text()).toContain('请选择用了多长时间')
    expect(seen.some((r) => r.method === 'POST')).toBe(false)

    await w.get('[data-testid="visit-kind-visit"] input').setValue(true)
    await w.get('[data-testid="visit-minutes-other"] input').setValue(true)
    await w.get('[data-testid="visit-minutes-input"]').setValue('700')
    await w.get('[data-testid="visit-form"]').trigger('submit')
    expect(w.text()).toContain('请填写 5–600 之间的整数分钟')
    expect(w.get('[data-testid="visit-minutes-input"]').attributes('aria-invalid')).toBe('true')

    await w.get('[data-testid="visit-minutes-input"]').setValue('120')
    await w.get('[data-testid="visit-note-toggle"]').trigger('click')
    await w.get('[data-testid="visit-note"]').setValue('很长的备注')
    await w.get('[data-testid="visit-form"]').trigger('submit')
    await flushPromises()
    expect(seen.find((r) => r.method === 'POST')!.body).toEqual({ kind: 'visit', minutes: 120, note: '很长的备注' })
    const note = w.get('[data-testid="visit-note"]')
    expect(note.attributes('aria-invalid')).toBe('true')
    expect(w.get(`#${note.attributes('aria-describedby')}`).text()).toContain('最多 500 个字')
  })

  it('a retry after a network failure keeps the Idempotency-Key', async () => {
    let fail = true
    const { seen } = volunteerServer(() => {
      if (fail) {
        fail = false
        throw new TypeError('Failed to fetch')
      }
      return undefined as never
    })
    const { wrapper: w } = await mountSignedIn('/care/pairs/1')
    await vi.waitFor(() => expect(w.find('[data-testid="visit-form"]').exists()).toBe(true))
    await w.get('[data-testid="visit-kind-haircut"] input').setValue(true)
    await w.get('[data-testid="visit-minutes-60"] input').setValue(true)
    await w.get('[data-testid="visit-form"]').trigger('submit')
    await flushPromises()
    expect(w.text()).toContain('网络连接失败')
    await w.get('[data-testid="visit-form"]').trigger('submit')
    await vi.waitFor(() => expect(w.find('[data-testid="visit-saved"]').exists()).toBe(true))
    const posts = seen.filter((r) => r.method === 'POST')
    expect(posts).toHaveLength(2)
    expect(posts[0].headers.get('Idempotency-Key')).toBe(posts[1].headers.get('Idempotency-Key'))
  })

  it('is for volunteers only', async () => {
    stubFetch((req) => (req.path.endsWith('/me') ? json(200, me('resident')) : json(404, {})))
    const { router } = await mountSignedIn('/care')
    expect(router.currentRoute.value.fullPath).toBe('/')
  })
})

describe('关爱我家 (residents)', () => {
  const mountSignedIn = useSignedInApp()

  it('says nobody is paired yet and how to ask the committee', async () => {
    stubFetch((req) => {
      if (req.path.endsWith('/me')) return json(200, me('resident', { community: { id: 7, name: '丽水湾', code: 'LSW', office_phone: '021-57461001' } }))
      if (req.path === '/api/v1/care/my-household') return json(200, { items: [] })
      return json(404, {})
    })
    const { wrapper: w } = await mountSignedIn('/care/my-household')
    await vi.waitFor(() => expect(w.find('[data-testid="my-care-empty"]').exists()).toBe(true))
    expect(w.text()).toContain('您家目前没有结对的志愿者')
    expect(w.get('[data-testid="office-phone"]').attributes('href')).toBe('tel:021-57461001')
  })

  it('shows who looks after the household and when they last came', async () => {
    stubFetch((req) => {
      if (req.path.endsWith('/me')) return json(200, me('resident'))
      if (req.path === '/api/v1/care/my-household') {
        return json(200, { items: [
          { id: 1, volunteer: { id: 5, name: '张国强' }, unit: null, started_at: '2026-08-16T08:30:00+00:00', last_visit_at: iso(2 * DAY), visits_count: 8 },
          { id: 2, volunteer: null, unit: { id: 3, kind: 'volunteer_team', name: '丽水湾红管家志愿者服务队' }, started_at: '2026-02-01T08:30:00+00:00', last_visit_at: null, visits_count: 0 },
        ] })
      }
      return json(404, {})
    })
    const { wrapper: w } = await mountSignedIn('/care/my-household')
    await vi.waitFor(() => expect(w.findAll('[data-testid="my-carer"]')).toHaveLength(2))
    const [a, b] = w.findAll('[data-testid="my-carer"]')
    expect(a.text()).toContain('志愿者 张国强')
    expect(a.text()).toContain('上次来访：2 天前')
    expect(a.text()).toContain('共来访 8 次')
    expect(a.text()).toContain('2026年8月16日开始结对')
    expect(b.text()).toContain('志愿服务队：丽水湾红管家志愿者服务队')
    expect(b.text()).toContain('还没有探访记录')
  })

  it('waits for a verified household', async () => {
    stubFetch((req) => (req.path.endsWith('/me') ? json(200, me('resident', { household_id: null })) : json(404, {})))
    const { router } = await mountSignedIn('/care/my-household')
    expect(router.currentRoute.value.name).toBe('household')
  })
})

describe('结对关爱 (staff console)', () => {
  const mountSignedIn = useSignedInApp()

  function staffServer(extra?: (req: SeenRequest) => Response | undefined) {
    return stubFetch((req) => {
      const hit = extra?.(req)
      if (hit) return hit
      if (req.path.endsWith('/me')) return json(200, me('staff'))
      if (req.path === '/api/v1/care/pairs') {
        if (q(req).get('overdue') === 'true') return json(200, page([overduePair]))
        return json(200, page([pair(), overduePair], 'c2'))
      }
      if (req.path === '/api/v1/users') return json(200, page([{ id: 5, name: '张国强', role: 'volunteer', is_active: true, area: { id: 21, name: '1号网格', full_name: '丽水湾 1号网格', code: 'G1' } }]))
      if (req.path === '/api/v1/units') return json(200, page([{ id: 3, kind: 'volunteer_team', name: '丽水湾红管家志愿者服务队', is_active: true, area: { id: 7, name: '丽水湾', full_name: '丽水湾', code: 'LSW' }, contact_name: null, contact_phone: null, description: null }]))
      if (req.path === '/api/v1/areas') return json(200, page([{ ...gridArea, full_name: '丽水湾 1号网格' }]))
      return json(404, {})
    })
  }

  it('lists the pairs with the flagged households first, and filters', async () => {
    const { seen } = staffServer()
    const { wrapper: w } = await mountSignedIn('/console/care')
    await vi.waitFor(() => expect(w.findAll('[data-testid="care-pair-row"]')).toHaveLength(2))
    const rows = w.findAll('[data-testid="care-pair-row"]')
    expect(rows[0].attributes('data-pair-id')).toBe('4')
    expect(rows[0].get('[data-testid="care-overdue"]').text()).toContain('20 天未探访')
    expect(rows[1].attributes('data-pair-id')).toBe('1')
    expect(w.get('[data-testid="care-flagged-count"]').text()).toContain('有 1 户超过 14 天没有探访')

    await w.get('[data-testid="care-filter-overdue"]').trigger('click')
    await flushPromises()
    expect(w.findAll('[data-testid="care-pair-row"]')).toHaveLength(1)

    await w.get('[data-testid="care-filter-volunteer"]').setValue('5')
    await flushPromises()
    const last = seen.filter((r) => r.path === '/api/v1/care/pairs').at(-1)!
    expect(q(last).get('volunteer_id')).toBe('5')
    expect(q(last).get('overdue')).toBe('true')
    await w.get('[data-testid="care-filter-grid"]').setValue('21')
    await flushPromises()
    expect(q(seen.filter((r) => r.path === '/api/v1/care/pairs').at(-1)!).get('area_id')).toBe('21')
  })

  it('ends a pair only with a reason', async () => {
    const { seen } = staffServer((req) => {
      if (req.path === '/api/v1/care/pairs/1' && req.method === 'GET') return json(200, pair())
      if (req.path === '/api/v1/care/pairs/1/visits') return json(200, page([]))
      if (req.path === '/api/v1/care/pairs/1/end') return json(200, pair({ active: false, ended_at: new Date().toISOString(), end_reason: (req.body as { reason: string }).reason }))
      return undefined
    })
    const { wrapper: w } = await mountSignedIn('/console/care/pairs/1')
    await vi.waitFor(() => expect(w.find('[data-testid="care-end"]').exists()).toBe(true))
    expect(w.get('[data-testid="visits-empty"]').text()).toContain('还没有探访记录')
    await w.get('[data-testid="care-end"]').trigger('click')
    await w.get('[data-testid="care-end-form"]').trigger('submit')
    expect(w.text()).toContain('请填写结束原因（2–200 个字）')
    await w.get('[data-testid="care-end-reason"]').setValue('老人搬去子女家居住')
    await w.get('[data-testid="care-end-form"]').trigger('submit')
    await vi.waitFor(() => expect(w.find('[data-testid="care-pair-ended"]').exists()).toBe(true))
    const end = seen.find((r) => r.path.endsWith('/end'))!
    expect(end.body).toEqual({ reason: '老人搬去子女家居住' })
    expect(end.headers.get('Idempotency-Key')).toBeTruthy()
    expect(w.get('[data-testid="care-pair-status"]').text()).toContain('老人搬去子女家居住')
    expect(w.find('[data-testid="care-end"]').exists()).toBe(false)
  })

  it('creates a pair: a household found through its resident, then a team; a field error lands beside the team', async () => {
    let attempt = 0
    const { seen } = staffServer((req) => {
      if (req.path === '/api/v1/residents') return json(200, page([residentOut({ name: '冯桂英', household: { id: 88, room: '301', address: '丽水湾71号楼1单元301室' } })]))
      if (req.path === '/api/v1/care/pairs' && req.method === 'POST') {
        attempt += 1
        if (attempt === 1) return problem(422, 'Unprocessable Entity', '输入有误', { unit_id: ['请选择服务本社区的志愿服务队'] })
        return json(201, pair({ id: 30, household: { id: 88, address: '丽水湾71号楼1单元301室', grid: { id: 21, name: '1号网格', full_name: '丽水湾 1号网格', code: 'G1' } }, volunteer: null, unit: { id: 3, kind: 'volunteer_team', name: '丽水湾红管家志愿者服务队' } }))
      }
      if (req.path === '/api/v1/care/pairs/30') return json(200, pair({ id: 30 }))
      if (req.path === '/api/v1/care/pairs/30/visits') return json(200, page([]))
      return undefined
    })
    const { wrapper: w, router } = await mountSignedIn('/console/care/new')
    await vi.waitFor(() => expect(w.find('[data-testid="care-new-resident"]').exists()).toBe(true))
    expect(q(seen.find((r) => r.path === '/api/v1/residents')!).get('tag')).toBe('elderly_alone')

    await w.get('[data-testid="care-new-form"]').trigger('submit')
    expect(w.get('[data-testid="care-new-household-error"]').text()).toContain('请先选择一户')

    await w.get('[data-testid="care-new-pick"]').trigger('click')
    expect(w.get('[data-testid="care-new-household"]').text()).toContain('丽水湾71号楼1单元301室')
    await w.get('[data-testid="care-new-kind-team"] input').setValue(true)
    await flushPromises()
    await w.get('[data-testid="care-new-team"]').setValue('3')
    await w.get('[data-testid="care-new-note"]').setValue('每周二送爱心午餐')
    await w.get('[data-testid="care-new-form"]').trigger('submit')
    await flushPromises()
    const posts = seen.filter((r) => r.path === '/api/v1/care/pairs' && r.method === 'POST')
    expect(posts[0].body).toEqual({ household_id: 88, unit_id: 3, note: '每周二送爱心午餐' })
    const team = w.get('[data-testid="care-new-team"]')
    expect(team.attributes('aria-invalid')).toBe('true')
    expect(w.text()).toContain('请选择服务本社区的志愿服务队')

    await w.get('[data-testid="care-new-form"]').trigger('submit')
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/console/care/pairs/30'))
    await vi.waitFor(() => expect(w.find('[data-testid="care-flash"]').exists()).toBe(true))
    expect(w.get('[data-testid="care-flash"]').text()).toContain('已为丽水湾71号楼1单元301室建立结对')
  })

  it('hours per volunteer (care visits and activities) and per team', async () => {
    const { seen } = staffServer((req) => (req.path === '/api/v1/care/hours'
      ? json(200, { volunteers: [{ id: 5, name: '张国强', visits: 8, hours: 4.9, activities: 2, activity_hours: 3.5, total_hours: 8.4 }],
        units: [{ id: 3, name: '丽水湾红管家志愿者服务队', visits: 62, hours: 41.8 }], visits: 70, hours: 46.7, activities: 2, activity_hours: 3.5, total_hours: 50.2 })
      : undefined))
    const { wrapper: w } = await mountSignedIn('/console/care/hours')
    await vi.waitFor(() => expect(w.find('[data-testid="hours-total"]').exists()).toBe(true))
    expect(w.get('[data-testid="hours-total"]').text()).toBe('50.2')
    expect(w.get('[data-testid="hours-care"]').text()).toBe('46.7')
    expect(w.get('[data-testid="hours-activities"]').text()).toBe('3.5')
    expect(w.get('[data-testid="hours-row-total"]').text()).toBe('8.4')
    expect(w.get('[data-testid="hours-volunteers"]').text()).toContain('张国强')
    expect(w.get('[data-testid="hours-units"]').text()).toContain('41.8')
    await w.get('[data-testid="hours-since"]').setValue('2026-11-01')
    await w.get('[data-testid="hours-until"]').setValue('2026-11-30')
    await w.get('form').trigger('submit')
    await flushPromises()
    const last = seen.filter((r) => r.path === '/api/v1/care/hours').at(-1)!
    expect(q(last).get('since')).toBe('2026-11-01T00:00:00+08:00')
    expect(q(last).get('until')).toBe('2026-12-01T00:00:00+08:00')
  })
})
