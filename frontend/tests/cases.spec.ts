import { describe, expect, it, vi } from 'vitest'
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { setLocale } from '@/i18n'
import { ApiError } from '@/api/errors'
import { casePhotos } from '../tools/gen-spec-constants.mjs'
import { checkPhotos, photoErrors } from '@/features/cases/photos'
import { actorName, eventText, placeOf, statusTone } from '@/features/cases/format'
import type { CaseEvent } from '@/features/cases/api'
import { json, me, problem, stubFetch, type SeenRequest } from './helpers'
import { useSignedInApp } from './mountApp'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

function caseOut(over: Record<string, unknown> = {}) {
  return {
    id: 5, title: '乱堆物', description: '楼道堆满纸箱。', status: 'submitted', mode: 'now', level: 'grid',
    category: { id: 1, code: 'clutter', name_zh: '乱堆物', name_en: 'Clutter in common areas' },
    community: { id: 2, name: '丽水湾', full_name: '丽水湾', code: 'LSW' },
    grid: { id: 20, name: '1号网格', full_name: '丽水湾1号网格', code: 'G01' },
    stairwell: { id: 1, building: '1', unit: '1', label: '1号楼1单元' },
    lat: null, lon: null, address: null, channel: 'app', reporter_name: null, reporter_phone: null, is_mine: true,
    assignee: null, parts: [], photos: [], is_private: false, is_public: false, duplicate_of_id: null,
    due_at: '2026-03-02T09:00:00+08:00', overdue: false, level_since: '2026-03-01T09:00:00+08:00',
    created_at: '2026-03-01T09:00:00+08:00', updated_at: '2026-03-01T09:00:00+08:00', resolved_at: null,
    closed_at: null, rating: null, rating_comment: null, allowed_steps: [], version: 1, ...over,
  }
}

function event(kind: string, over: Record<string, unknown> = {}): CaseEvent {
  return {
    id: 1, at: '2026-03-01T09:00:00+08:00', kind, actor: { name: '沈丽华', role: 'staff' }, from_status: null,
    to_status: null, note: null, data: null, internal: false, ...over,
  } as unknown as CaseEvent
}

const CATEGORIES = [
  {
    id: 1, code: 'clutter', name_zh: '乱堆物', name_en: 'Clutter', hint_zh: '楼道堆放杂物', hint_en: null, default_mode: 'now',
    sla_hours: {}, unit_kind: null, private_by_default: false, questions: [], is_active: true, sort_order: 0,
    area: { id: 1, name: '庄行镇' }, version: 1,
  },
  {
    id: 8, code: 'illegal_building', name_zh: '违章搭建', name_en: 'Illegal building', hint_zh: null, hint_en: null,
    default_mode: 'joint', sla_hours: {}, unit_kind: null, private_by_default: false, is_active: true, sort_order: 7,
    area: { id: 1, name: '庄行镇' }, version: 1,
    questions: [
      { key: 'stage', label_zh: '搭建情况', label_en: 'Stage', type: 'choice', required: true, choices: ['正在施工', '已建成'] },
      { key: 'people', label_zh: '估计人数', label_en: 'People', type: 'number', required: false },
    ],
  },
]

const HOUSEHOLD = {
  id: 3, room: '302', address: '丽水湾1号楼1单元302室', stairwell: { id: 1, building: '1', unit: '1', label: '1号楼1单元' },
  grid: { id: 20, name: '1号网格', code: 'G01' }, community: { id: 2, name: '丽水湾', code: 'LSW' }, residents: [],
}

const posts = (seen: SeenRequest[], path: string) => seen.filter((r) => r.method === 'POST' && r.path === `/api/v1${path}`)

describe('cases: wording helpers', () => {
  it('says every status in words, with a tone and an icon that only repeat it', () => {
    expect(statusTone('resolved')).toEqual({ tone: 'done', icon: 'passed' })
    expect(statusTone('rejected').tone).toBe('stopped')
    expect(statusTone('submitted').tone).toBe('waiting')
    expect(statusTone('in_progress').tone).toBe('working')
  })

  it('reads a timeline event with its detail, in both languages', () => {
    setLocale('zh-CN')
    expect(eventText(event('assign', { data: { assignee_id: 4, name: '张国强' } }))).toBe('指派给志愿者（张国强）')
    expect(eventText(event('escalated', { data: { from: 'grid', to: 'section' } }))).toBe('升级（网格 → 标段）')
    expect(eventText(event('rated', { data: { rating: 5 } }))).toBe('评价（5 星）')
    expect(eventText(event('photo', { data: { stage: 'fix', count: 2 } }))).toBe('上传了照片（处理后，2 张）')
    expect(eventText(event('something_new'))).toBe('更新')
    expect(actorName(event('submitted', { actor: { name: null, role: 'system' } }))).toBe('系统')
    expect(actorName(event('submitted', { actor: { name: null, role: 'volunteer' } }))).toBe('志愿者')
    setLocale('en')
    expect(eventText(event('dispatch', { data: { units: ['A', 'B'] } }))).toBe('passed it to units (A, B)')
    expect(placeOf({ stairwell: { id: 1, building: '12', unit: '2', label: '12号楼2单元' }, address: null } as never)).toBe('Building 12, unit 2')
    setLocale('zh-CN')
    expect(placeOf({ stairwell: null, address: '钜庭路' } as never)).toBe('钜庭路')
    expect(placeOf({ stairwell: null, address: null } as never)).toBe('未填写位置')
  })
})

describe('cases: photos', () => {
  const file = (name: string, size: number, type = 'image/jpeg') => {
    const f = new File(['x'], name, { type })
    Object.defineProperty(f, 'size', { value: size })
    return f
  }

  it('refuses what the server would: not an image, over 10 MB, more than 6 — and says so', () => {
    setLocale('zh-CN')
    const ok = file('a.jpg', 1000)
    const r = checkPhotos([ok, file('b.pdf', 10, 'application/pdf'), file('c.jpg', 11 * 1024 * 1024)], 0)
    expect(r.accepted).toEqual([ok])
    expect(r.messages).toEqual(['“b.pdf”不是图片，请选择照片', '“c.jpg”太大了（11.0 MB），每张照片不能超过 10 MB'])
    const many = checkPhotos([file('1.jpg', 1), file('2.jpg', 1), file('3.jpg', 1)], 5)
    expect(many.accepted).toHaveLength(1)
    expect(many.messages).toEqual(['最多只能放 6 张照片，多出的 2 张没有加入'])
  })

  it("puts the server's photos.N errors into words", () => {
    setLocale('zh-CN')
    const e = new ApiError(422, { title: '输入有误', errors: { 'photos.1': ['不是图片。'], description: ['必填'] } })
    expect(photoErrors(e)).toBe('第 2 张照片：不是图片。')
    expect(photoErrors(new ApiError(422, { title: 'x', errors: { description: ['必填'] } }))).toBeUndefined()
  })

  it('are offered only once the spec has the photo endpoints (multipart report and POST …/photos)', () => {
    const multipart = { requestBody: { content: { 'application/json': {}, 'multipart/form-data': {} } } }
    expect(casePhotos({ paths: { '/cases': { post: multipart }, '/cases/{case_id}/photos': { post: {} } } })).toBe(true)
    expect(casePhotos({ paths: { '/cases': { post: multipart } } })).toBe(false)
    expect(casePhotos({ paths: { '/cases': { post: { requestBody: { content: { 'application/json': {} } } } }, '/cases/{case_id}/photos': { post: {} } } })).toBe(false)
  })
})

describe('cases: 我要报事', () => {
  const mountSignedIn = useSignedInApp()

  function reportServer(opts: { duplicates?: unknown[]; onCreate?: (req: SeenRequest, n: number) => Response } = {}) {
    let creates = 0
    return stubFetch((req) => {
      if (req.path.endsWith('/me')) return json(200, me('resident', { household_id: 3, community: { id: 2, name: '丽水湾', code: 'LSW' } }))
      if (req.path === '/api/v1/households/3') return json(200, HOUSEHOLD)
      if (req.path === '/api/v1/case-categories') return json(200, { items: CATEGORIES })
      if (req.path === '/api/v1/cases/duplicates') return json(200, { items: opts.duplicates ?? [] })
      if (req.path === '/api/v1/cases/9/follow') return json(200, caseOut({ id: 9, title: '违章搭建', is_mine: false }))
      if (req.path === '/api/v1/cases' && req.method === 'POST') {
        creates += 1
        return opts.onCreate?.(req, creates) ?? json(201, caseOut({ id: 12 }))
      }
      return json(200, { items: [], next_cursor: null })
    })
  }

  async function pick(w: VueWrapper, code: string) {
    await w.get(`[data-testid="report-category-${code}"] input`).setValue(true)
    await flushPromises()
  }

  it('says in words what is missing, beside each field', async () => {
    reportServer()
    const { wrapper: w } = await mountSignedIn('/cases/new')
    await w.get('[data-testid="report-form"]').trigger('submit')
    expect(w.text()).toContain('请先选择问题类别')
    expect(w.text()).toContain('请写一下问题描述')
    expect(w.get('[data-testid="report-description"]').attributes('aria-invalid')).toBe('true')

    await pick(w, 'illegal_building')
    expect(w.get('[data-testid="report-q-stage"]').text()).toContain('搭建情况（必填）')
    expect(w.get('[data-testid="report-q-people"]').attributes('inputmode')).toBe('decimal')
    await w.get('[data-testid="report-q-people"]').setValue('十二')
    await w.get('[data-testid="report-form"]').trigger('submit')
    expect(w.get('[data-testid="report-q-people"]').attributes('aria-invalid')).toBe('true')
    expect(w.text()).toContain('请填写一个数字')
    await w.get('[data-testid="report-q-people"]').setValue('')
    await w.get('[data-testid="report-form"]').trigger('submit')
    expect(w.get('[data-testid="report-q-stage"]').text()).toContain('请回答这个问题')
  })

  it('sends the kind, the answers and the home stairwell with an Idempotency-Key, the same one on a retry', async () => {
    const { seen } = reportServer({
      onCreate: (_req, n) => (n === 1
        ? problem(422, '输入有误', undefined, { description: ['太短了'], answers: ['stage: 请从选项中选择。'] })
        : json(201, caseOut({ id: 12 }))),
    })
    const { wrapper: w } = await mountSignedIn('/cases/new')
    expect(w.get('[data-testid="report-where-home"]').text()).toContain('1号楼1单元')
    await pick(w, 'illegal_building')
    await w.get('[data-testid="report-q-stage"] input[value="已建成"]').setValue(true)
    await w.get('[data-testid="report-q-people"]').setValue('12')
    await w.get('[data-testid="report-description"]').setValue('屋顶搭了彩钢板房。')
    await w.get('[data-testid="report-form"]').trigger('submit')
    await flushPromises()

    const [first] = posts(seen, '/cases')
    expect(first.body).toEqual({
      category_id: 8, description: '屋顶搭了彩钢板房。', answers: { stage: '已建成', people: 12 }, stairwell_id: 1,
    })
    expect(first.headers.get('idempotency-key')).toMatch(UUID)
    // the server's field errors sit beside their fields
    expect(w.text()).toContain('太短了')
    expect(w.get('[data-testid="report-q-stage"]').text()).toContain('请从选项中选择。')

    await w.get('[data-testid="report-form"]').trigger('submit')
    await flushPromises()
    const [, second] = posts(seen, '/cases')
    expect(second.headers.get('idempotency-key')).toBe(first.headers.get('idempotency-key'))
    expect(w.get('[data-testid="report-done"]').text()).toContain('报事已提交')
    expect(w.get('[data-testid="report-done-body"]').text()).toContain('编号 12')
    expect(w.get('[data-testid="report-view-case"]').attributes('href')).toBe('/cases/12')
  })

  it('an address instead of a stairwell goes with the community', async () => {
    const { seen } = reportServer()
    const { wrapper: w } = await mountSignedIn('/cases/new')
    await pick(w, 'clutter')
    await w.get('[data-testid="report-where-address"] input').setValue(true)
    await w.get('[data-testid="report-description"]').setValue('路边堆满建筑垃圾。')
    await w.get('[data-testid="report-form"]').trigger('submit')
    expect(w.text()).toContain('请填写问题所在的地点')
    await w.get('[data-testid="report-address"]').setValue('钜庭路近庄行路口')
    await w.get('[data-testid="report-form"]').trigger('submit')
    await flushPromises()
    expect(posts(seen, '/cases')[0].body).toEqual({
      category_id: 1, description: '路边堆满建筑垃圾。', address: '钜庭路近庄行路口', community_id: 2,
    })
  })

  it('shows reports of the same problem before sending, and follows one instead of reporting again', async () => {
    const dup = { id: 9, title: '违章搭建', status: 'accepted', category: CATEGORIES[1], stairwell: HOUSEHOLD.stairwell,
      address: null, created_at: '2026-03-01T08:00:00+08:00' }
    const { seen } = reportServer({ duplicates: [dup] })
    const { wrapper: w } = await mountSignedIn('/cases/new')
    await pick(w, 'illegal_building')
    const query = seen.find((r) => r.path === '/api/v1/cases/duplicates')!
    expect(Object.fromEntries(new URLSearchParams(query.search))).toEqual({ category_id: '8', stairwell_id: '1' })
    const box = w.get('[data-testid="report-duplicates"]')
    expect(box.text()).toContain('附近已有人报过类似的问题')
    expect(box.text()).toContain('已受理')
    await box.get('[data-testid="report-follow"]').trigger('click')
    await flushPromises()
    const [follow] = posts(seen, '/cases/9/follow')
    expect(follow.headers.get('idempotency-key')).toMatch(UUID)
    expect(posts(seen, '/cases')).toHaveLength(0)
    expect(w.get('[data-testid="report-done"]').text()).toContain('已关注这个事项')
  })
})

describe('cases: one case on the phone', () => {
  const mountSignedIn = useSignedInApp()

  /** A server with one case whose state moves with the steps taken. */
  function caseServer(role: string, start: Record<string, unknown>, onStep?: (step: string, req: SeenRequest) => Response | undefined) {
    let current = caseOut(start)
    const stub = stubFetch((req) => {
      if (req.path.endsWith('/me')) return json(200, me(role))
      if (req.path === '/api/v1/cases/5' && req.method === 'GET') return json(200, current, { ETag: `"${current.version}"` })
      if (req.path === '/api/v1/cases/5/events') return json(200, { items: [event('submitted', { to_status: 'submitted' })] })
      const m = /^\/api\/v1\/cases\/5\/([a-z-]+)$/.exec(req.path)
      if (m && req.method === 'POST') {
        const custom = onStep?.(m[1], req)
        if (custom) return custom
        const next = { start: 'in_progress', resolve: 'resolved', confirm: 'closed' }[m[1]]
        current = caseOut({ ...start, status: next ?? current.status, version: current.version + 1, allowed_steps: [],
          ...(m[1] === 'rate' ? { status: 'closed', rating: (req.body as { rating: number }).rating } : {}) })
        return json(200, current)
      }
      return json(404, {})
    })
    return { ...stub, set: (over: Record<string, unknown>) => { current = caseOut({ ...start, ...over }) } }
  }

  it('a volunteer starts with one tap and resolves with two, with an optional note', async () => {
    const { seen } = caseServer('volunteer', { status: 'assigned', is_mine: false, allowed_steps: ['resolve', 'start'] })
    const { wrapper: w } = await mountSignedIn('/cases/5')
    expect(w.get('[data-testid="case-status"]').text()).toBe('已派单')
    await w.get('[data-testid="case-start"]').trigger('click')
    await flushPromises()
    expect(posts(seen, '/cases/5/start')[0].body).toEqual({})
    expect(w.get('[data-testid="case-done"]').text()).toContain('已开始处理')
    expect(w.get('[data-testid="case-status"]').text()).toBe('处理中')
  })

  it('resolve: the second tap sends the note', async () => {
    const { seen } = caseServer('volunteer', { status: 'in_progress', is_mine: false, allowed_steps: ['resolve'] })
    const { wrapper: w } = await mountSignedIn('/cases/5')
    await w.get('[data-testid="case-resolve"]').trigger('click')
    await w.get('[data-testid="case-resolve-note"]').setValue('已清理。')
    await w.get('[data-testid="case-resolve-form"]').trigger('submit')
    await flushPromises()
    const [req] = posts(seen, '/cases/5/resolve')
    expect(req.body).toEqual({ note: '已清理。' })
    expect(req.headers.get('idempotency-key')).toMatch(UUID)
    expect(w.get('[data-testid="case-status"]').text()).toBe('已办结')
  })

  it('a step the case no longer allows (409) reloads it and says what it is now', async () => {
    const server = caseServer('volunteer', { status: 'assigned', is_mine: false, allowed_steps: ['resolve', 'start'] }, (step) => {
      if (step !== 'start') return undefined
      server.set({ status: 'resolved', allowed_steps: [] })
      return new Response(JSON.stringify({
        type: 'https://steward.example/problems/invalid-transition', title: '冲突', status: 409,
        detail: '这一步现在不能进行。', state: 'resolved', allowed: ['close', 'confirm', 'reopen'],
      }), { status: 409, headers: { 'Content-Type': 'application/problem+json' } })
    })
    const { wrapper: w } = await mountSignedIn('/cases/5')
    await w.get('[data-testid="case-start"]').trigger('click')
    await flushPromises()
    expect(w.get('[data-testid="case-conflict"]').text()).toContain('现在是“已办结”')
    expect(w.find('[data-testid="case-start"]').exists()).toBe(false)
  })

  it('the reporter confirms the fix, then rates it 1–5 with a comment', async () => {
    const { seen } = caseServer('resident', {
      status: 'resolved', allowed_steps: ['confirm', 'reopen'], resolved_at: new Date().toISOString(),
    })
    const { wrapper: w } = await mountSignedIn('/cases/5')
    expect(w.get('[data-testid="case-confirm-box"]').text()).toContain('问题解决了吗？')
    await w.get('[data-testid="case-confirm"]').trigger('click')
    await flushPromises()
    expect(posts(seen, '/cases/5/confirm')).toHaveLength(1)

    await w.get('[data-testid="case-rate-submit"]').trigger('click')
    expect(w.get('[data-testid="case-rate-box"]').text()).toContain('请选择 1 到 5 星')
    await w.get('[data-testid="case-rate-4"] input').setValue(true)
    await w.get('[data-testid="case-rate-comment"]').setValue('很及时。')
    await w.get('[data-testid="case-rate-box"] form').trigger('submit')
    await flushPromises()
    expect(posts(seen, '/cases/5/rate')[0].body).toEqual({ rating: 4, comment: '很及时。' })
    expect(w.get('[data-testid="case-rated"]').text()).toContain('4 星（满意）')
  })

  it('reopening needs a reason of at least 2 characters', async () => {
    const { seen } = caseServer('resident', { status: 'resolved', allowed_steps: ['confirm', 'reopen'], resolved_at: new Date().toISOString() })
    const { wrapper: w } = await mountSignedIn('/cases/5')
    await w.get('[data-testid="case-reopen"]').trigger('click')
    await w.get('[data-testid="case-reopen-form"]').trigger('submit')
    expect(w.text()).toContain('请写 2–1000 个字的原因')
    await w.get('[data-testid="case-reopen-reason"]').setValue('纸箱还在。')
    await w.get('[data-testid="case-reopen-form"]').trigger('submit')
    await flushPromises()
    expect(posts(seen, '/cases/5/reopen')[0].body).toEqual({ reason: '纸箱还在。' })
  })
})

describe('cases: lists', () => {
  const mountSignedIn = useSignedInApp()

  it('我的报事: every case I see, or only mine; a case waiting for me says so', async () => {
    const { seen } = stubFetch((req) => {
      if (req.path.endsWith('/me')) return json(200, me('resident'))
      if (req.path === '/api/v1/cases') {
        return json(200, { items: [caseOut({ status: 'resolved', allowed_steps: ['confirm', 'reopen'] }),
          caseOut({ id: 6, is_mine: false, is_public: true, title: '钜庭路窨井盖缺失' })], next_cursor: null })
      }
      return json(200, { items: [], next_cursor: null })
    })
    const { wrapper: w } = await mountSignedIn('/cases/mine')
    const cards = w.findAll('[data-testid="case-card"]')
    expect(cards).toHaveLength(2)
    expect(cards[0].text()).toContain('已办结')
    expect(cards[0].text()).toContain('我报的')
    expect(cards[0].find('[data-testid="case-waiting-you"]').exists()).toBe(true)
    expect(cards[1].text()).toContain('公共隐患')
    await w.get('[data-testid="cases-filter-reported"]').trigger('click')
    await flushPromises()
    const last = seen.filter((r) => r.path === '/api/v1/cases').at(-1)!
    expect(new URLSearchParams(last.search).get('mine')).toBe('reported')
  })

  it('网格事项: open cases by default, "assigned to me" asks mine=assigned', async () => {
    const { seen } = stubFetch((req) => {
      if (req.path.endsWith('/me')) return json(200, me('volunteer'))
      if (req.path === '/api/v1/cases') return json(200, { items: [caseOut({ overdue: true, status: 'assigned' })], next_cursor: null })
      return json(200, { items: [], next_cursor: null })
    })
    const { wrapper: w } = await mountSignedIn('/cases/grid')
    const first = new URLSearchParams(seen.find((r) => r.path === '/api/v1/cases')!.search)
    expect(first.getAll('status')).toEqual(['submitted', 'accepted', 'assigned', 'in_progress', 'reopened'])
    expect(w.get('[data-testid="case-card"]').text()).toContain('已超时')
    await w.get('[data-testid="cases-filter-assigned"]').trigger('click')
    await flushPromises()
    const last = new URLSearchParams(seen.filter((r) => r.path === '/api/v1/cases').at(-1)!.search)
    expect(last.get('mine')).toBe('assigned')
  })

  it('the home screen shows the community’s hazard alerts', async () => {
    stubFetch((req) => {
      if (req.path.endsWith('/me')) return json(200, me('resident'))
      if (req.path === '/api/v1/cases/alerts') {
        return json(200, { items: [caseOut({ id: 6, title: '钜庭路窨井盖缺失', stairwell: null, address: '钜庭路', is_public: true })], next_cursor: null })
      }
      return json(200, { items: [], next_cursor: null })
    })
    const { wrapper: w } = await mountSignedIn('/')
    await vi.waitFor(() => expect(w.find('[data-testid="hazard-alerts"]').exists()).toBe(true))
    const alert = w.get('[data-testid="hazard-alert"]')
    expect(alert.text()).toContain('钜庭路窨井盖缺失')
    expect(alert.get('a').attributes('href')).toBe('/cases/6')
  })
})

describe('cases: console', () => {
  const mountSignedIn = useSignedInApp()

  it('town staff start on the cases escalated to the town; partners on their unit', async () => {
    const { seen } = stubFetch((req) => {
      if (req.path.endsWith('/me')) return json(200, me('town_staff', { area: { id: 1, kind: 'town', name: '庄行镇' }, community: null }))
      if (req.path === '/api/v1/cases') return json(200, { items: [caseOut({ level: 'town' })], next_cursor: 'c2' })
      return json(200, { items: [], next_cursor: null })
    })
    const { wrapper: w } = await mountSignedIn('/console/cases')
    const q = new URLSearchParams(seen.find((r) => r.path === '/api/v1/cases')!.search)
    expect(q.getAll('level')).toEqual(['town'])
    expect(w.findAll('[data-testid="board-row"]')).toHaveLength(1)
    await w.get('[data-testid="board-more"]').trigger('click')
    await flushPromises()
    expect(new URLSearchParams(seen.filter((r) => r.path === '/api/v1/cases').at(-1)!.search).get('cursor')).toBe('c2')
  })

  it('partners see the cases of their unit', async () => {
    const { seen } = stubFetch((req) => {
      if (req.path.endsWith('/me')) return json(200, me('partner', { unit: { id: 3, kind: 'property_company', name: '丽水湾物业服务中心' } }))
      return json(200, { items: [], next_cursor: null })
    })
    const { wrapper: w } = await mountSignedIn('/console/unit-cases')
    expect(w.text()).toContain('派给丽水湾物业服务中心的事项')
    expect(new URLSearchParams(seen.find((r) => r.path === '/api/v1/cases')!.search).get('unit_id')).toBe('3')
  })

  it('edits send If-Match with the ETag; a 412 offers a reload, which brings the new ETag', async () => {
    let version = 3
    const { seen } = stubFetch((req) => {
      if (req.path.endsWith('/me')) return json(200, me('staff'))
      if (req.path === '/api/v1/cases/5' && req.method === 'GET') {
        return json(200, caseOut({ version, allowed_steps: ['accept'] }), { ETag: `"v${version}"` })
      }
      if (req.path === '/api/v1/cases/5' && req.method === 'PATCH') {
        if (req.headers.get('if-match') !== `"v${version}"`) return problem(412, '数据已被他人修改')
        return json(200, caseOut({ version: version + 1, is_public: true }), { ETag: `"v${version + 1}"` })
      }
      if (req.path === '/api/v1/case-categories') return json(200, { items: CATEGORIES })
      return json(200, { items: [] })
    })
    const { wrapper: w } = await mountSignedIn('/console/cases/5')
    version = 4 // a colleague changed it meanwhile
    await w.get('[data-testid="action-edit"]').trigger('click')
    await flushPromises()
    await w.get('[data-testid="edit-public"]').setValue(true)
    await w.get('[data-testid="action-form"]').trigger('submit')
    await flushPromises()
    const patches = seen.filter((r) => r.method === 'PATCH')
    expect(patches[0].headers.get('if-match')).toBe('"v3"')
    expect(patches[0].body).toEqual({ is_public: true })
    expect(w.get('[data-testid="case-stale"]').text()).toContain('数据已被他人修改')

    await w.get('[data-testid="case-reload"]').trigger('click')
    await flushPromises()
    await w.get('[data-testid="edit-public"]').setValue(true)
    await w.get('[data-testid="action-form"]').trigger('submit')
    await flushPromises()
    expect(seen.filter((r) => r.method === 'PATCH').at(-1)!.headers.get('if-match')).toBe('"v4"')
    expect(w.get('[data-testid="case-done"]').text()).toContain('修改已保存')
  })

  it('a decline needs a reason; assigning needs a volunteer', async () => {
    const { seen } = stubFetch((req) => {
      if (req.path.endsWith('/me')) return json(200, me('staff'))
      if (req.path === '/api/v1/cases/5' && req.method === 'GET') return json(200, caseOut({ allowed_steps: ['accept', 'assign', 'reject'] }), { ETag: '"v1"' })
      if (req.path === '/api/v1/users') return json(200, { items: [{ id: 4, name: '张国强', role: 'volunteer', area: { id: 20, name: '1号网格', full_name: '丽水湾1号网格' } }], next_cursor: null })
      if (req.method === 'POST') return json(200, caseOut({ status: 'assigned' }))
      return json(200, { items: [] })
    })
    const { wrapper: w } = await mountSignedIn('/console/cases/5')
    await w.get('[data-testid="action-reject"]').trigger('click')
    await w.get('[data-testid="action-form"]').trigger('submit')
    expect(w.get('[data-testid="action-form"]').text()).toContain('请填写原因（必填）')
    await w.get('[data-testid="action-reason"]').setValue('不属于居委会处理范围。')
    await w.get('[data-testid="action-form"]').trigger('submit')
    await flushPromises()
    expect(posts(seen, '/cases/5/reject')[0].body).toEqual({ reason: '不属于居委会处理范围。' })

    await w.get('[data-testid="action-assign"]').trigger('click')
    await flushPromises()
    await w.get('[data-testid="action-form"]').trigger('submit')
    expect(w.get('[data-testid="action-form"]').text()).toContain('请选择志愿者')
    await w.get('[data-testid="action-volunteer"]').setValue('4')
    await w.get('[data-testid="action-form"]').trigger('submit')
    await flushPromises()
    expect(posts(seen, '/cases/5/assign')[0].body).toEqual({ assignee_id: 4 })
  })

  it('dispatch lists the units taking the case\'s category first, marked as suggested', async () => {
    const area = { id: 2, name: '丽水湾', full_name: '丽水湾' }
    const u = (id: number, name: string, categories: unknown[], is_active = true) => ({
      id, kind: 'property_company', name, area, contact_name: null, contact_phone: null, description: null, is_active, categories, service_kinds: [],
    })
    const clutter = { id: 1, code: 'clutter', name_zh: '乱堆物', name_en: 'Clutter in common areas' }
    const { seen } = stubFetch((req) => {
      if (req.path.endsWith('/me')) return json(200, me('staff'))
      if (req.path === '/api/v1/cases/5' && req.method === 'GET') return json(200, caseOut({ status: 'accepted', allowed_steps: ['assign', 'dispatch'] }), { ETag: '"v1"' })
      if (req.path === '/api/v1/units') {
        return json(200, { items: [u(1, '丽水湾居民区党总支', []), u(2, '丽水湾物业服务中心', [clutter]), u(3, '已停用的物业', [clutter], false)], next_cursor: null })
      }
      if (req.method === 'POST') return json(200, caseOut({ status: 'assigned' }))
      return json(200, { items: [] })
    })
    const { wrapper: w } = await mountSignedIn('/console/cases/5')
    await w.get('[data-testid="action-dispatch"]').trigger('click')
    await flushPromises()
    await vi.waitFor(() => expect(w.findAll('[data-testid="action-unit-option"]')).toHaveLength(2))
    const options = w.findAll('[data-testid="action-unit-option"]')
    expect(options[0].text()).toContain('丽水湾物业服务中心')
    expect(options[0].find('[data-testid="action-unit-suggested"]').text()).toBe('承接此类事项')
    expect(options[1].text()).toContain('丽水湾居民区党总支')
    expect(options[1].find('[data-testid="action-unit-suggested"]').exists()).toBe(false)
    await w.get('[data-testid="action-unit-2"]').setValue(true)
    await w.get('[data-testid="action-form"]').trigger('submit')
    await flushPromises()
    expect(posts(seen, '/cases/5/dispatch')[0].body).toMatchObject({ unit_ids: [2] })
  })

  it("a joint case lists every unit's part; a partner updates only its own, and 办结 waits for the last part", async () => {
    const parts = [
      { id: 11, unit: { id: 3, kind: 'property_company', name: '丽水湾物业服务中心' }, status: 'open', task: '清理', note: null, done_at: null },
      { id: 12, unit: { id: 7, kind: 'government_department', name: '庄行镇城建中心' }, status: 'in_progress', task: null, note: null, done_at: null },
    ]
    const joint = (over: Record<string, unknown> = {}) => caseOut({ mode: 'joint', status: 'assigned', parts, allowed_steps: ['resolve', 'start'], ...over })
    const { seen } = stubFetch((req) => {
      if (req.path.endsWith('/me')) return json(200, me('partner', { unit: { id: 3, kind: 'property_company', name: '丽水湾物业服务中心' } }))
      if (req.path === '/api/v1/cases/5' && req.method === 'GET') return json(200, joint({ allowed_steps: [] }), { ETag: '"v1"' })
      if (req.path === '/api/v1/cases/5/parts/11') return json(200, joint({ allowed_steps: [] }))
      return json(200, { items: [] })
    })
    const { wrapper: w } = await mountSignedIn('/console/cases/5')
    const cards = w.findAll('[data-testid="case-part"]')
    expect(cards.map((c) => c.get('[data-testid="part-status"]').text())).toEqual(['未开始', '处理中'])
    expect(w.get('[data-testid="parts-open"]').text()).toContain('还有单位没完成任务')
    expect(cards[0].find('form').exists()).toBe(true)
    expect(cards[1].find('form').exists()).toBe(false) // another unit's part
    await w.get('[data-testid="part-11-done"]').setValue(true)
    await w.get('[data-testid="part-11-note"]').setValue('已清理完毕。')
    await cards[0].get('form').trigger('submit')
    await flushPromises()
    const patch = seen.find((r) => r.method === 'PATCH')!
    expect(patch.path).toBe('/api/v1/cases/5/parts/11')
    expect(patch.body).toEqual({ status: 'done', note: '已清理完毕。' })
    expect(w.get('[data-testid="case-done"]').text()).toContain('任务已更新')
  })

  it('staff are not offered 办结 while a part is open', async () => {
    const parts = [{ id: 11, unit: { id: 3, kind: 'property_company', name: '丽水湾物业服务中心' }, status: 'open', task: null, note: null, done_at: null }]
    stubFetch((req) => {
      if (req.path.endsWith('/me')) return json(200, me('staff'))
      if (req.path === '/api/v1/cases/5') return json(200, caseOut({ mode: 'joint', status: 'assigned', parts, allowed_steps: ['assign', 'dispatch', 'resolve', 'start'] }), { ETag: '"v1"' })
      return json(200, { items: [] })
    })
    const { wrapper: w } = await mountSignedIn('/console/cases/5')
    expect(w.find('[data-testid="action-start"]').exists()).toBe(true)
    expect(w.find('[data-testid="action-resolve"]').exists()).toBe(false)
  })

  it('a link to a case opens it in the console for staff', async () => {
    stubFetch((req) => {
      if (req.path.endsWith('/me')) return json(200, me('staff'))
      if (req.path === '/api/v1/cases/5') return json(200, caseOut(), { ETag: '"v1"' })
      return json(200, { items: [] })
    })
    const { router } = await mountSignedIn('/cases/5')
    expect(router.currentRoute.value.fullPath).toBe('/console/cases/5')
  })
})
