import { describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import encodeQR, { Bitmap } from '@paulmillr/qr'
import decodeQR from '@paulmillr/qr/decode.js'
import { setLocale } from '@/i18n'
import { addDays, dayParts, isoToLocalInput, localInputToIso, slotText, townDay, weekdayOf } from '@/features/services/time'
import { whoMayBook } from '@/features/services/labels'
import { json, me, problem, stubFetch, type SeenRequest } from './helpers'
import { useSignedInApp } from './mountApp'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

function service(over: Record<string, unknown> = {}) {
  return {
    id: 2, kind: 'slots', category: 'haircut', title: '爱心理发', description: '党员志愿者为老人免费理发', place: '睦邻点 2 号室',
    area: { id: 2, name: '丽水湾', full_name: '丽水湾', code: 'LSW' }, provider: { id: 3, kind: 'volunteer_team', name: '志愿者服务队' },
    status: 'published', audience: 'all', required_tags: [], min_age: 60, slot_minutes: 30, capacity: 3, book_ahead_days: 14,
    cancel_cutoff_minutes: 120, max_active_per_resident: 1, waitlist: true, rules: [{ id: 6, weekday: 1, start: '09:00', end: '11:00', capacity: null }],
    can_book: true, ineligible_reason: null, allowed_steps: [], version: 1, created_at: '2026-11-01T00:00:00+00:00', ...over,
  }
}

function slotOut(id: number, startsAt: string, over: Record<string, unknown> = {}) {
  const start = new Date(startsAt)
  return {
    id, starts_at: start.toISOString(), ends_at: new Date(start.getTime() + 30 * 60000).toISOString(), day: townDay(startsAt),
    capacity: 3, booked: 1, waiting: 0, seats_left: 2, full: false, status: 'open', closed_reason: null, mine: null, ...over,
  }
}

function booking(over: Record<string, unknown> = {}) {
  const slot = slotOut(79, '2099-12-01T01:00:00Z')
  return {
    id: 400, status: 'booked', code: 'K7QXM2PA', service: { id: 2, title: '爱心理发', category: 'haircut', place: '睦邻点 2 号室' },
    slot, starts_at: slot.starts_at, person: { id: 6, name: '王秀英' }, phone: null, note: null, position: null,
    created_at: '2026-11-27T08:00:00+00:00', promoted_at: null, cancelled_at: null, cancel_reason: null, checked_in_at: null,
    cancel_before: '2099-11-30T23:00:00+00:00', ics_url: '/api/v1/bookings/400/calendar.ics', allowed_steps: ['cancel'], ...over,
  }
}

const posts = (seen: SeenRequest[], path: string) => seen.filter((r) => r.method === 'POST' && r.path === `/api/v1${path}`)

describe('town time (Asia/Shanghai) and words', () => {
  it('puts 23:30 in Shanghai on its own day although it is 15:30 UTC, and 00:30 on the next', () => {
    expect(townDay('2026-12-01T15:30:00Z')).toBe('2026-12-01')
    expect(townDay('2026-12-01T16:30:00Z')).toBe('2026-12-02')
    expect(weekdayOf('2026-12-01')).toBe(1) // a Tuesday; 0 is Monday as the schedule rules count
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01')
    setLocale('zh-CN')
    expect(slotText('2026-12-01T15:30:00Z', '2026-12-01T16:00:00Z')).toBe('12月1日 周二 23:30–00:00')
    expect(dayParts('2026-12-01')).toEqual({ date: '12月1日', weekday: '周二' })
  })

  it('reads a datetime-local value as the town\'s wall time, whatever the device zone', () => {
    expect(localInputToIso('2026-12-01T09:00')).toBe('2026-12-01T01:00:00.000Z')
    expect(isoToLocalInput('2026-12-01T16:30:00Z')).toBe('2026-12-02T00:30')
    expect(localInputToIso('not a time')).toBeNull()
  })

  it('says who may book in words, in both languages', () => {
    setLocale('zh-CN')
    expect(whoMayBook({ audience: 'all', min_age: null, required_tags: [] })).toBe('本居民区居民都可以预约')
    expect(whoMayBook({ audience: 'verified', min_age: 60, required_tags: ['elderly_alone', 'hardship'] }))
      .toBe('年满 60 周岁、住址已核实的居民，限独居老人或困难家庭')
    setLocale('en')
    expect(whoMayBook({ audience: 'all', min_age: 60, required_tags: [] })).toBe('Residents aged 60 or over')
    setLocale('zh-CN')
  })

  it('draws a QR code that reads back as the check-in code', () => {
    const bits = encodeQR('K7QXM2PA', 'raw', { border: 2, scale: 4 })
    const bm = new Bitmap({ width: bits[0].length, height: bits.length })
    bm.data = bits
    expect(decodeQR(bm.toImage())).toBe('K7QXM2PA')
  })
})

describe('resident: services and booking', () => {
  const mountSignedIn = useSignedInApp()

  it('lists services with who may book, and why not in words when the resident may not', async () => {
    const { seen } = stubFetch((req) => {
      if (req.path.endsWith('/me')) return json(200, me('resident'))
      if (req.path.endsWith('/services')) {
        return json(200, { items: [service(), service({ id: 3, title: '法律咨询', category: 'legal', min_age: null, audience: 'verified',
          can_book: false, ineligible_reason: '仅限已核实住户的居民预约。' })], next_cursor: null })
      }
      return json(404, {})
    })
    const { wrapper: w } = await mountSignedIn('/services')
    const cards = w.findAll('[data-testid="service-card"]')
    expect(cards).toHaveLength(2)
    expect(cards[0].text()).toContain('谁可以预约：年满 60 周岁的居民')
    expect(cards[0].get('[data-testid="service-open-2"]').text()).toBe('选择时间')
    expect(cards[1].get('[data-testid="service-ineligible"]').text()).toContain('您暂时不能预约：仅限已核实住户的居民预约。')
    expect(cards[1].get('[data-testid="service-open-3"]').text()).toBe('查看详情')
    await w.get('[data-testid="services-kind-on_request"]').trigger('click')
    await flushPromises()
    expect(new URLSearchParams(seen.at(-1)!.search).get('kind')).toBe('on_request')
  })

  it('shows full slots as 已约满 in words, books with an Idempotency-Key, and offers the queue on 409 slot-full', async () => {
    const day = '2099-12-01'
    let full = false
    const { seen } = stubFetch((req) => {
      if (req.path.endsWith('/me')) return json(200, me('resident'))
      if (req.path.endsWith('/services/2')) return json(200, service(), { ETag: '"1"' })
      if (req.path.endsWith('/services/2/slots')) {
        return json(200, {
          service: { id: 2, title: '爱心理发', category: 'haircut', place: null }, since: day, until: addDays(day, 13), eligible: true,
          items: [
            slotOut(79, `${day}T01:00:00Z`, full ? { booked: 3, seats_left: 0, full: true } : { booked: 2, seats_left: 1 }),
            slotOut(80, `${day}T01:30:00Z`, { booked: 3, seats_left: 0, full: true, waiting: 2 }),
            slotOut(81, `${day}T02:00:00Z`, { status: 'closed', closed_reason: '理发师生病' }),
          ],
        })
      }
      if (req.path.endsWith('/bookings') && req.method === 'POST') {
        const body = req.body as { waitlist: boolean }
        if (!body.waitlist) {
          full = true
          return new Response(JSON.stringify({ type: 'https://steward.example.org/problems/slot-full', title: '数据冲突', status: 409,
            detail: '这个时段已约满。', waitlist: true }), { status: 409, headers: { 'Content-Type': 'application/problem+json' } })
        }
        return json(201, booking({ status: 'waiting', position: 3, allowed_steps: ['cancel'] }))
      }
      if (req.path.endsWith('/bookings/400')) return json(200, booking({ status: 'waiting', position: 3 }))
      return json(404, {})
    })
    const { wrapper: w, router } = await mountSignedIn('/services/2')
    const slot = (id: number) => w.get(`[data-testid="slot"][data-slot-id="${id}"]`)
    expect(slot(80).text()).toContain('已约满，2 人在排队')
    expect(slot(80).attributes('data-state')).toBe('full')
    expect(slot(81).text()).toContain('已关闭：理发师生病')
    expect(slot(81).attributes('disabled')).toBeDefined()
    expect(w.get(`[data-testid="day-${day}"]`).attributes('aria-pressed')).toBe('true')
    expect(w.get(`[data-testid="day-${addDays(day, 1)}"]`).text()).toContain('不开放')

    await slot(79).trigger('click')
    expect(w.get('[data-testid="slot-confirm"]').text()).toContain('预约 12月1日 周二 09:00–09:30 的“爱心理发”？')
    await w.get('[data-testid="slot-confirm"]').trigger('submit')
    await flushPromises()
    const [first] = posts(seen, '/bookings')
    expect(first.body).toEqual({ slot_id: 79, waitlist: false })
    expect(first.headers.get('idempotency-key')).toMatch(UUID)
    expect(w.get('[data-testid="slot-just-filled"]').text()).toContain('这个时段刚刚被约满了')
    expect(slot(79).attributes('data-state')).toBe('full')
    expect(w.get('[data-testid="join-waitlist"]').text()).toBe('排队候补')

    await w.get('[data-testid="slot-confirm"]').trigger('submit')
    await flushPromises()
    const second = posts(seen, '/bookings')[1]
    expect(second.body).toEqual({ slot_id: 79, waitlist: true })
    expect(second.headers.get('idempotency-key')).not.toBe(first.headers.get('idempotency-key'))
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/bookings/400'))
    await flushPromises()
    expect(w.get('[data-testid="booking-done"]').text()).toContain('已加入排队，您现在排第 3 位')
    expect(w.get('[data-testid="booking-position"]').text()).toBe('排队第 3 位')
  })

  it('retrying a failed book sends the same Idempotency-Key', async () => {
    let n = 0
    const day = '2099-12-01'
    const { seen } = stubFetch((req) => {
      if (req.path.endsWith('/me')) return json(200, me('resident'))
      if (req.path.endsWith('/services/2')) return json(200, service())
      if (req.path.endsWith('/slots')) {
        return json(200, { service: {}, since: day, until: day, eligible: true, items: [slotOut(79, `${day}T01:00:00Z`)] })
      }
      if (req.path.endsWith('/bookings') && req.method === 'POST') return ++n === 1 ? problem(503, '服务暂不可用') : json(201, booking())
      if (req.path.endsWith('/bookings/400')) return json(200, booking())
      return json(404, {})
    })
    const { wrapper: w } = await mountSignedIn('/services/2')
    await w.get('[data-testid="slot"][data-slot-id="79"]').trigger('click')
    await w.get('[data-testid="slot-confirm"]').trigger('submit')
    await flushPromises()
    expect(w.get('[data-testid="slot-confirm"] [role="alert"]').text()).toContain('没有预约成功')
    await w.get('[data-testid="slot-confirm"]').trigger('submit')
    await flushPromises()
    const [a, b] = posts(seen, '/bookings')
    expect(b.headers.get('idempotency-key')).toBe(a.headers.get('idempotency-key'))
  })
})

describe('resident: my booking', () => {
  const mountSignedIn = useSignedInApp()

  function server(b: ReturnType<typeof booking>) {
    return stubFetch((req) => {
      if (req.path.endsWith('/me')) return json(200, me('resident'))
      if (req.path.endsWith('/bookings/400/cancel')) return json(200, { ...b, status: 'cancelled', allowed_steps: [] })
      if (req.path.endsWith('/calendar.ics')) return new Response('BEGIN:VCALENDAR', { headers: { 'Content-Type': 'text/calendar' } })
      if (req.path.endsWith('/bookings/400')) return json(200, b)
      return json(404, {})
    })
  }

  it('shows the code as text and QR, cancels after asking (with an Idempotency-Key)', async () => {
    const { seen } = server(booking())
    const { wrapper: w } = await mountSignedIn('/bookings/400')
    expect(w.get('[data-testid="booking-code"]').text()).toBe('K7QXM2PA')
    const qr = w.get('[data-testid="qr-code"]')
    expect(qr.attributes('role')).toBe('img')
    expect(qr.attributes('aria-label')).toContain('K7QXM2PA')
    expect(qr.find('path').attributes('d')).toMatch(/^M\d/)
    await w.get('[data-testid="booking-cancel"]').trigger('click')
    expect(posts(seen, '/bookings/400/cancel')).toHaveLength(0)
    await w.get('[data-testid="booking-cancel-box"]').trigger('submit')
    await flushPromises()
    const [req] = posts(seen, '/bookings/400/cancel')
    expect(req.headers.get('idempotency-key')).toMatch(UUID)
    expect(w.get('[data-testid="booking-status"]').text()).toBe('已取消')
    expect(w.find('[data-testid="booking-cancel"]').exists()).toBe(false)
  })

  it('hides cancel after the cut-off and says why; downloads the .ics with the session', async () => {
    const soon = new Date(Date.now() + 60 * 60000).toISOString()
    const { seen } = server(booking({ starts_at: soon, cancel_before: new Date(Date.now() - 60 * 60000).toISOString(),
      slot: slotOut(79, soon) }))
    URL.createObjectURL = vi.fn(() => 'blob:x')
    URL.revokeObjectURL = vi.fn()
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {})
    const { wrapper: w } = await mountSignedIn('/bookings/400')
    expect(w.find('[data-testid="booking-cancel"]').exists()).toBe(false)
    expect(w.get('[data-testid="booking-cutoff"]').text()).toContain('离开始已不到 2 小时，不能在手机上取消了')
    await w.get('[data-testid="booking-ics"]').trigger('click')
    await flushPromises()
    const ics = seen.find((r) => r.path.endsWith('/calendar.ics'))!
    expect(ics.headers.get('authorization')).toBe('Bearer a')
    expect(click).toHaveBeenCalled()
  })
})

describe('resident: calendar feed and requests', () => {
  const mountSignedIn = useSignedInApp()

  it('makes a private address, copies it, and revokes it after asking', async () => {
    const { seen } = stubFetch((req) => {
      if (req.path.endsWith('/me')) return json(200, me('resident'))
      if (req.path.endsWith('/calendar-feeds') && req.method === 'GET') return json(200, { active: false, created_at: null, url: null })
      if (req.path.endsWith('/calendar-feeds') && req.method === 'POST') {
        return json(201, { active: true, created_at: '2026-11-27T08:00:00+00:00', url: '/api/v1/calendar-feeds/SECRET.ics' })
      }
      if (req.method === 'DELETE') return new Response(null, { status: 204 })
      return json(404, {})
    })
    const writeText = vi.fn(async () => {})
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true })
    const { wrapper: w } = await mountSignedIn('/bookings/calendar')
    expect(w.get('[data-testid="feed-none"]').text()).toContain('还没有开启')
    await w.get('[data-testid="feed-create"]').trigger('click')
    await flushPromises()
    const url = (w.get('[data-testid="feed-url"]').element as HTMLInputElement).value
    expect(url).toBe(`${window.location.origin}/api/v1/calendar-feeds/SECRET.ics`)
    await w.get('[data-testid="feed-copy"]').trigger('click')
    await flushPromises()
    expect(writeText).toHaveBeenCalledWith(url)
    expect(w.get('[data-testid="feed-copy"]').text()).toBe('已复制')
    await w.get('[data-testid="feed-revoke"]').trigger('click')
    await w.get('[data-testid="feed-revoke-confirm"]').trigger('click')
    await flushPromises()
    expect(seen.some((r) => r.method === 'DELETE' && r.path.endsWith('/calendar-feeds'))).toBe(true)
    expect(w.get('[data-testid="feed-message"]').text()).toContain('旧地址已失效')
  })

  it('on-request form: says what is missing, and puts the server\'s field errors beside their fields', async () => {
    const { seen } = stubFetch((req) => {
      if (req.path.endsWith('/me')) return json(200, me('resident'))
      if (req.path.endsWith('/services/6')) return json(200, service({ id: 6, kind: 'on_request', category: 'medicine', title: '代购药品' }))
      if (req.path.endsWith('/service-requests')) return problem(422, '提交的内容有误', '部分字段填写有误，请检查。', { preferred_at: ['请选择以后的时间。'] })
      return json(404, {})
    })
    const { wrapper: w } = await mountSignedIn('/services/6/request')
    await w.get('[data-testid="request-form"]').trigger('submit')
    expect(w.text()).toContain('请写一下需要什么')
    expect(posts(seen, '/service-requests')).toHaveLength(0)
    await w.get('[data-testid="request-details"]').setValue('降压药两盒')
    await w.get('[data-testid="request-preferred-note"]').setValue('工作日上午')
    await w.get('[data-testid="request-form"]').trigger('submit')
    await flushPromises()
    const [req] = posts(seen, '/service-requests')
    expect(req.body).toEqual({ service_id: 6, details: '降压药两盒', preferred_note: '工作日上午' })
    expect(req.headers.get('idempotency-key')).toMatch(UUID)
    const at = w.get('[data-testid="request-preferred-at"]')
    expect(at.attributes('aria-invalid')).toBe('true')
    expect(w.get(`#${at.attributes('aria-describedby')!.split(' ').at(-1)}`).text()).toContain('请选择以后的时间。')
  })

  it('a done request asks for a rating, once', async () => {
    const request = {
      id: 8, service: { id: 6, title: '代购药品', category: 'medicine', place: null }, status: 'done', details: '眼药水两支',
      address: '丽水湾31号楼1单元402室', preferred_at: null, preferred_note: '越快越好', scheduled_at: '2026-11-25T08:30:00+00:00',
      person: { id: 6, name: '王秀英' }, created_at: '2026-11-24T08:30:00+00:00', done_at: '2026-11-25T09:00:00+00:00',
      rating: null, rating_comment: null, allowed_steps: ['rate'], version: 3,
    }
    const { seen } = stubFetch((req) => {
      if (req.path.endsWith('/me')) return json(200, me('resident'))
      if (req.path.endsWith('/events')) {
        return json(200, { items: [{ id: 1, at: '2026-11-24T08:30:00+00:00', kind: 'submitted', actor_name: '王秀英', actor_role: 'resident',
          from_status: null, to_status: 'submitted', note: '眼药水两支' }] })
      }
      if (req.path.endsWith('/rate')) return json(200, { ...request, rating: 5, allowed_steps: [] })
      if (req.path.endsWith('/service-requests/8')) return json(200, request)
      return json(404, {})
    })
    const { wrapper: w } = await mountSignedIn('/requests/8')
    expect(w.get('[data-testid="request-status"]').text()).toBe('已完成')
    expect(w.get('[data-testid="request-timeline"]').text()).toContain('提交申请')
    expect(w.get('[data-testid="request-timeline"]').text()).toContain('王秀英（居民）')
    await w.get('[data-testid="request-rate"]').trigger('submit')
    expect(w.text()).toContain('请选择 1 到 5 星')
    await w.get('[data-testid="rate-5"] input').setValue(true)
    await w.get('[data-testid="request-rate"]').trigger('submit')
    await flushPromises()
    expect(posts(seen, '/service-requests/8/rate')[0].body).toEqual({ rating: 5 })
    expect(w.find('[data-testid="request-rate"]').exists()).toBe(false)
    expect(w.get('[data-testid="request-rating"]').text()).toContain('5 星')
  })
})

describe('console: services', () => {
  const mountSignedIn = useSignedInApp()

  it('roster: checks a resident in, and by the code they show', async () => {
    const today = townDay(new Date().toISOString())
    const b = booking({ allowed_steps: ['cancel', 'check_in', 'no_show'], phone: '138****0005' })
    const { seen } = stubFetch((req) => {
      if (req.path.endsWith('/me')) return json(200, me('staff'))
      if (req.path.endsWith('/services/2')) return json(200, service())
      if (req.path.endsWith('/services/2/roster')) {
        return json(200, { items: [{ slot: b.slot, service: b.service, bookings: [b] }] })
      }
      if (req.path.endsWith('/bookings/400/check-in')) return json(200, { ...b, status: 'checked_in', allowed_steps: [], checked_in_at: new Date().toISOString() })
      if (req.path.endsWith('/bookings/check-in')) return problem(404, '没有找到', '没有这个签到码。')
      return json(404, {})
    })
    const { wrapper: w } = await mountSignedIn(`/console/services/2/roster?day=${today}`)
    expect(w.get('[data-testid="roster-row"]').text()).toContain('王秀英')
    expect(w.get('[data-testid="roster-row"]').text()).toContain('K7QXM2PA')
    await w.get('[data-testid="roster-check-in"]').trigger('click')
    await flushPromises()
    expect(posts(seen, '/bookings/400/check-in')[0].headers.get('idempotency-key')).toMatch(UUID)
    expect(w.get('[data-testid="roster-status"]').text()).toBe('已签到')
    expect(w.get('[data-testid="roster-checked-in"]').text()).toBe('1')

    await w.get('[data-testid="roster-code"]').setValue(' k7qx-m2pa ')
    await w.get('[data-testid="roster-code-form"]').trigger('submit')
    await flushPromises()
    expect(posts(seen, '/bookings/check-in')[0].body).toEqual({ code: 'K7QX-M2PA' })
    expect(w.text()).toContain('没有这个签到码。')
  })

  it('editor: sends only what changed with If-Match, and says so when a colleague changed it first', async () => {
    const { seen } = stubFetch((req) => {
      if (req.path.endsWith('/me')) return json(200, me('staff'))
      if (req.path.endsWith('/services/2') && req.method === 'PATCH') return problem(412, '已被修改')
      if (req.path.endsWith('/services/2')) return json(200, service({ allowed_steps: ['archive', 'unpublish'] }), { ETag: '"v1"' })
      if (req.path.endsWith('/exceptions')) return json(200, { items: [] })
      if (req.path.endsWith('/units')) return json(200, { items: [], next_cursor: null })
      return json(404, {})
    })
    const { wrapper: w } = await mountSignedIn('/console/services/2')
    expect(w.get('[data-testid="service-status"]').text()).toBe('已发布')
    expect(w.find('[data-testid="service-step-publish"]').exists()).toBe(false)
    expect(w.get('[data-testid="service-step-archive"]').text()).toBe('归档')
    expect(w.findAll('[data-testid="rule-row"]')).toHaveLength(1)
    await w.get('[data-testid="sf-capacity"]').setValue('4')
    await w.get('[data-testid="service-form"]').trigger('submit')
    await flushPromises()
    const patch = seen.find((r) => r.method === 'PATCH')!
    expect(patch.body).toEqual({ capacity: 4 })
    expect(patch.headers.get('if-match')).toBe('"v1"')
    expect(w.find('[data-testid="service-stale"]').exists()).toBe(true)
  })
})

describe('volunteer: check-in at an activity', () => {
  const mountSignedIn = useSignedInApp()

  it('types a code (upper-cased, spaces trimmed) and sees who was checked in', async () => {
    const activity = {
      id: 5, kind: 'culture', title: '冬至包馄饨', description: '', place: '睦邻点食堂', area: { id: 2, name: '丽水湾', full_name: '丽水湾', code: 'LSW' },
      unit: null, starts_at: '2099-12-07T06:00:00+00:00', ends_at: '2099-12-07T08:00:00+00:00', signup_deadline: '2099-12-06T18:00:00+00:00',
      capacity: 30, booked: 1, seats_left: 29, volunteer_minutes: 0, audience: 'all', required_tags: [], min_age: null, status: 'published',
      summary: null, ineligible_reason: null, allowed_steps: [], version: 1,
    }
    const signup = { id: 56, activity: { id: 5, title: '冬至包馄饨', starts_at: activity.starts_at, place: activity.place },
      person: { id: 6, name: '王秀英' }, phone: '138****0005', role: 'participant', status: 'signed_up', code: 'M8K9SQU5',
      created_at: '2026-11-27T00:00:00+00:00', checked_in_at: null, minutes_credited: 0 }
    const { seen } = stubFetch((req) => {
      if (req.path.endsWith('/me')) return json(200, me('volunteer'))
      if (req.path.endsWith('/activities/5')) return json(200, activity)
      if (req.path.endsWith('/activities/5/signups')) return json(200, { items: [signup] })
      if (req.path.endsWith('/activities/5/check-in')) return json(200, { ...signup, status: 'checked_in', checked_in_at: '2099-12-07T05:50:00+00:00' })
      return json(404, {})
    })
    const { wrapper: w } = await mountSignedIn('/activities/5/check-in')
    expect(w.get('[data-testid="checkin-count"]').text()).toBe('已签到 0 人 / 报名 1 人')
    await w.get('[data-testid="checkin-form"]').trigger('submit')
    expect(w.text()).toContain('签到码是 4 到 12 位字母或数字')
    await w.get('[data-testid="checkin-code"]').setValue(' m8k9squ5 ')
    await w.get('[data-testid="checkin-form"]').trigger('submit')
    await flushPromises()
    const [req] = posts(seen, '/activities/5/check-in')
    expect(req.body).toEqual({ code: 'M8K9SQU5' })
    expect(req.headers.get('idempotency-key')).toMatch(UUID)
    expect(w.get('[data-testid="checkin-done"]').text()).toContain('王秀英 已签到')
    expect(w.get('[data-testid="checkin-count"]').text()).toBe('已签到 1 人 / 报名 1 人')
  })
})

