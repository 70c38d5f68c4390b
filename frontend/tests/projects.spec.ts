import { describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { json, me, problem, stubFetch, type SeenRequest } from './helpers'
import { useSignedInApp } from './mountApp'

const community = { id: 22, name: '庄行新苑', full_name: '庄行新苑', code: 'ZXXY' }
const unit = (id: number, kind: string, name: string) => ({ id, kind, name })
interface MilestoneOut { id: number; title: string; due_on: string | null; done_at: string | null; note: string | null }
function project(over: Record<string, unknown> = {}) {
  return {
    id: 1, community, title: '电动自行车集中充电棚', summary: '小区东侧建成带智能充电桩的车棚。', description: '居民多次反映飞线充电。',
    status: 'in_progress', started_on: '2026-09-13', finished_on: null,
    units: [{ unit: unit(4, 'party_branch', '庄行新苑居民区党支部'), role: '牵头' }, { unit: unit(5, 'property_company', '庄行新苑物业管理处'), role: '建设与运维' }],
    milestones: <MilestoneOut[]>[
      { id: 1, title: '征求居民意见', due_on: '2026-09-18', done_at: '2026-09-20T08:30:00+00:00', note: '支持率91%。' },
      { id: 2, title: '施工', due_on: '2099-11-07', done_at: null, note: null },
    ],
    prompted_by: { 飞线充电: 23 }, likes_count: 12, liked_by_me: false, comments_count: 1, updated_at: '2026-11-27T08:30:00+00:00', version: 3,
    ...over,
  }
}
const comment = (id: number, body: string, over: Record<string, unknown> = {}) => ({
  id, author: { id: 8, name: '李德福' }, body, hidden: false, hidden_reason: null, created_at: '2026-11-27T08:30:00+00:00', ...over,
})
const page = (items: unknown[]) => ({ items, next_cursor: null })
const clutter = { id: 1, code: 'clutter', name_zh: '乱堆物', name_en: 'Clutter in common areas' }

describe('联合项目 (residents)', () => {
  const mountSignedIn = useSignedInApp()

  function residentServer(extra?: (req: SeenRequest) => Response | undefined) {
    let liked = false
    let likes = 12
    return stubFetch((req) => {
      const hit = extra?.(req)
      if (hit) return hit
      if (req.path.endsWith('/me')) return json(200, me('resident', { community }))
      if (req.path === '/api/v1/projects') return json(200, page([project()]))
      if (req.path === '/api/v1/projects/1') return json(200, project({ liked_by_me: liked, likes_count: likes }), { ETag: '"p1-3"' })
      if (req.path === '/api/v1/projects/1/like') {
        liked = (req.body as { liked: boolean }).liked
        likes += liked ? 1 : -1
        return json(200, project({ liked_by_me: liked, likes_count: likes }))
      }
      if (req.path === '/api/v1/projects/1/comments' && req.method === 'GET') {
        return json(200, page([comment(2, '建议晚上照明再亮一点。'), comment(1, '（已隐藏）', { hidden: true, hidden_reason: '含手机号' })]))
      }
      if (req.path === '/api/v1/projects/1/comments' && req.method === 'POST') {
        return json(201, comment(9, (req.body as { body: string }).body, { author: { id: 42, name: '张阿姨' } }))
      }
      return json(404, {})
    })
  }

  it('lists the projects with what prompted them and how far they have come', async () => {
    residentServer()
    const { wrapper: w } = await mountSignedIn('/projects')
    await vi.waitFor(() => expect(w.find('[data-testid="project-card"]').exists()).toBe(true))
    const card = w.get('[data-testid="project-card"]')
    expect(card.text()).toContain('电动自行车集中充电棚')
    expect(card.get('[data-testid="project-status"]').text()).toBe('进行中')
    expect(card.get('[data-testid="project-prompted"]').text()).toContain('飞线充电 23 件')
    expect(card.text()).toContain('进度 1/2')
    expect(card.text()).toContain('12 人点赞')
    expect(card.get('[data-testid="project-open"]').attributes('href')).toBe('/projects/1')
  })

  it('shows the milestones as a timeline, likes and unlikes', async () => {
    const { seen } = residentServer()
    const { wrapper: w } = await mountSignedIn('/projects/1')
    await vi.waitFor(() => expect(w.find('[data-testid="project-detail"]').exists()).toBe(true))
    const ms = w.findAll('[data-testid="milestone"]')
    expect(ms[0].text()).toContain('2026年9月20日完成')
    expect(ms[1].text()).toContain('计划2099年11月7日完成')
    expect(w.find('[data-testid="milestone-done"]').exists()).toBe(false) // residents only read them
    expect(w.get('[data-testid="project-units"]').text()).toContain('物业公司 · 建设与运维')

    const like = w.get('[data-testid="project-like"]')
    expect(like.attributes('aria-pressed')).toBe('false')
    await like.trigger('click')
    await flushPromises()
    expect(seen.find((r) => r.path.endsWith('/like'))!.body).toEqual({ liked: true })
    expect(w.get('[data-testid="project-like"]').attributes('aria-pressed')).toBe('true')
    expect(w.get('[data-testid="project-likes"]').text()).toBe('13 人点赞')
    await w.get('[data-testid="project-like"]').trigger('click')
    await flushPromises()
    expect(seen.filter((r) => r.path.endsWith('/like')).at(-1)!.body).toEqual({ liked: false })
    expect(w.get('[data-testid="project-likes"]').text()).toBe('12 人点赞')
  })

  it('comments: hidden ones are not shown; an empty one is refused in words; a posted one comes first', async () => {
    const { seen } = residentServer()
    const { wrapper: w } = await mountSignedIn('/projects/1')
    await vi.waitFor(() => expect(w.findAll('[data-testid="comment"]')).toHaveLength(1))
    expect(w.text()).not.toContain('已隐藏')
    await w.get('.comments__form').trigger('submit')
    expect(w.text()).toContain('请先写下留言内容')
    expect(w.get('[data-testid="comment-body"]').attributes('aria-invalid')).toBe('true')
    await w.get('[data-testid="comment-body"]').setValue('充电棚很方便！')
    await w.get('.comments__form').trigger('submit')
    await flushPromises()
    const post = seen.find((r) => r.method === 'POST' && r.path.endsWith('/comments'))!
    expect(post.body).toEqual({ body: '充电棚很方便！' })
    expect(post.headers.get('Idempotency-Key')).toBeTruthy()
    expect(w.findAll('[data-testid="comment"]')[0].text()).toContain('充电棚很方便！')
    expect(w.get('[data-testid="comment-posted"]').text()).toContain('留言已发表')
    expect((w.get('[data-testid="comment-body"]').element as HTMLTextAreaElement).value).toBe('')
  })

  it('a server field error on the comment lands under the box', async () => {
    residentServer((req) => (req.method === 'POST' && req.path.endsWith('/comments')
      ? problem(422, 'Unprocessable Entity', '输入有误', { body: ['最多 500 个字'] }) : undefined))
    const { wrapper: w } = await mountSignedIn('/projects/1')
    await vi.waitFor(() => expect(w.find('[data-testid="comment-body"]').exists()).toBe(true))
    await w.get('[data-testid="comment-body"]').setValue('太长了')
    await w.get('.comments__form').trigger('submit')
    await flushPromises()
    const box = w.get('[data-testid="comment-body"]')
    expect(box.attributes('aria-describedby')).toBe('comment-body-error')
    expect(w.get('#comment-body-error').text()).toContain('最多 500 个字')
  })
})

describe('联合项目 (console)', () => {
  const mountSignedIn = useSignedInApp()

  function consoleServer(role: string, extra?: (req: SeenRequest) => Response | undefined, over: Record<string, unknown> = {}) {
    let version = 3
    let current = project()
    /** A colleague saves the project (its version moves on). */
    const colleagueSaves = () => {
      version += 1
      current = { ...current, summary: '同事改过的简介' }
    }
    const stub = stubFetch((req) => {
      const hit = extra?.(req)
      if (hit) return hit
      if (req.path.endsWith('/me')) return json(200, me(role, { community, ...over }))
      if (req.path === '/api/v1/projects' && req.method === 'GET') {
        return json(200, page([current, project({ id: 2, title: '老旧楼道加装扶手', units: [{ unit: unit(2, 'property_company', '丽水湾物业服务中心'), role: '施工' }] })]))
      }
      if (req.path === '/api/v1/projects/1' && req.method === 'GET') return json(200, current, { ETag: `"p1-${version}"` })
      if (req.path === '/api/v1/projects/1' && req.method === 'PATCH') {
        if (req.headers.get('If-Match') !== `"p1-${version}"`) return problem(412, 'Precondition Failed', '已被他人修改')
        version += 1
        current = { ...current, ...(req.body as object) }
        return json(200, current, { ETag: `"p1-${version}"` })
      }
      if (req.path === '/api/v1/projects/1/milestones/2') {
        version += 1
        current = { ...current, milestones: [current.milestones[0], { ...current.milestones[1], done_at: new Date().toISOString() }] }
        return json(200, current)
      }
      if (req.path === '/api/v1/projects/1/comments' && req.method === 'GET') return json(200, page([comment(2, '请联系13812345678'), comment(1, '（已隐藏）', { hidden: true, hidden_reason: '广告' })]))
      if (req.path === '/api/v1/projects/1/comments/2/hide') return json(200, comment(2, '请联系13812345678', { hidden: true, hidden_reason: (req.body as { reason: string }).reason }))
      if (req.path === '/api/v1/units') return json(200, page([{ id: 4, kind: 'party_branch', name: '庄行新苑居民区党支部', area: community, contact_name: '王书记', contact_phone: '021-57460101', description: null, is_active: true, categories: [], service_kinds: [] }, { id: 5, kind: 'property_company', name: '庄行新苑物业管理处', area: community, contact_name: null, contact_phone: null, description: null, is_active: true, categories: [clutter], service_kinds: ['repair'] }]))
      return json(404, {})
    })
    return { ...stub, colleagueSaves }
  }

  it('edits with If-Match; a colleague\'s change in between is shown, reloaded, then saved on top of it', async () => {
    const { seen, colleagueSaves } = consoleServer('staff')
    const { wrapper: w } = await mountSignedIn('/console/projects/1')
    await vi.waitFor(() => expect(w.find('[data-testid="project-edit"]').exists()).toBe(true))
    await w.get('[data-testid="project-edit"]').trigger('click')
    await flushPromises()
    colleagueSaves()
    await w.get('[data-testid="pf-status"]').setValue('done')
    await w.get('[data-testid="project-form"]').trigger('submit')
    await flushPromises()
    const first = seen.find((r) => r.method === 'PATCH')!
    expect(first.headers.get('If-Match')).toBe('"p1-3"')
    expect(first.body).toEqual({ status: 'done' }) // only what changed
    expect(w.get('[data-testid="project-stale"]').text()).toContain('数据已被他人修改')

    await w.get('[data-testid="project-reload"]').trigger('click')
    await flushPromises()
    expect((w.get('[data-testid="pf-summary"]').element as HTMLInputElement).value).toBe('同事改过的简介')
    await w.get('[data-testid="pf-status"]').setValue('done')
    await w.get('[data-testid="project-form"]').trigger('submit')
    await vi.waitFor(() => expect(w.find('[data-testid="project-saved"]').exists()).toBe(true))
    const second = seen.filter((r) => r.method === 'PATCH').at(-1)!
    expect(second.headers.get('If-Match')).toBe('"p1-4"')
    expect(second.body).toEqual({ status: 'done' })
    expect(w.get('[data-testid="project-status"]').text()).toBe('已完成')
  })

  it('marks a milestone done and keeps the ETag current for the next edit', async () => {
    const { seen } = consoleServer('staff')
    const { wrapper: w } = await mountSignedIn('/console/projects/1')
    await vi.waitFor(() => expect(w.find('[data-testid="milestone-done"]').exists()).toBe(true))
    await w.get('[data-testid="milestone-done"]').trigger('click')
    await flushPromises()
    const patch = seen.find((r) => r.path === '/api/v1/projects/1/milestones/2')!
    expect(patch.method).toBe('PATCH')
    expect(patch.body).toEqual({ done: true })
    expect(w.findAll('[data-testid="milestone-state"]')[1].text()).toContain('完成')
    await w.get('[data-testid="project-edit"]').trigger('click')
    await w.get('[data-testid="pf-title"]').setValue('电动自行车集中充电棚（一期）')
    await w.get('[data-testid="project-form"]').trigger('submit')
    await vi.waitFor(() => expect(w.find('[data-testid="project-saved"]').exists()).toBe(true))
    expect(seen.filter((r) => r.method === 'PATCH' && r.path === '/api/v1/projects/1').at(-1)!.headers.get('If-Match')).toBe('"p1-4"')
  })

  it('moderates comments: hidden ones marked with the reason; hiding needs a reason', async () => {
    const { seen } = consoleServer('staff')
    const { wrapper: w } = await mountSignedIn('/console/projects/1')
    await vi.waitFor(() => expect(w.findAll('[data-testid="comment"]')).toHaveLength(2))
    expect(w.get('[data-testid="comment-hidden"]').text()).toContain('已隐藏：广告')
    await w.get('[data-testid="comment-hide"]').trigger('click')
    await w.get('[data-testid="comment-hide-form"]').trigger('submit')
    expect(w.text()).toContain('请填写隐藏原因（2–200 个字）')
    await w.get('[data-testid="comment-hide-reason"]').setValue('包含他人手机号')
    await w.get('[data-testid="comment-hide-form"]').trigger('submit')
    await flushPromises()
    expect(seen.find((r) => r.path.endsWith('/hide'))!.body).toEqual({ reason: '包含他人手机号' })
    expect(w.findAll('[data-testid="comment-hidden"]')).toHaveLength(2)
  })

  it('creates a project with its units and milestones', async () => {
    const { seen } = consoleServer('staff', (req) => {
      if (req.path === '/api/v1/projects' && req.method === 'POST') return json(201, project({ id: 1, title: (req.body as { title: string }).title }), { ETag: '"p1-1"' })
      return undefined
    })
    const { wrapper: w, router } = await mountSignedIn('/console/projects/new')
    await vi.waitFor(() => expect(w.find('[data-testid="project-form"]').exists()).toBe(true))
    await w.get('[data-testid="project-form"]').trigger('submit')
    expect(w.text()).toContain('请填写项目名称')
    await w.get('[data-testid="pf-title"]').setValue('小区充电棚')
    await w.get('[data-testid="pf-summary"]').setValue('告别飞线充电')
    await w.get('[data-testid="pf-add-unit"]').trigger('click')
    await flushPromises()
    await w.get('[data-testid="pf-unit"]').setValue('5')
    await w.get('[data-testid="pf-role"]').setValue('施工')
    await w.get('[data-testid="pf-add-milestone"]').trigger('click')
    await w.get('[data-testid="pf-milestone-title"]').setValue('征求意见')
    await w.get('[data-testid="pf-milestone-due"]').setValue('2026-12-01')
    await w.get('[data-testid="project-form"]').trigger('submit')
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/console/projects/1'))
    const post = seen.find((r) => r.method === 'POST')!
    expect(post.body).toEqual({
      community_id: 22, title: '小区充电棚', summary: '告别飞线充电', description: null, status: 'planning', started_on: null, finished_on: null,
      units: [{ unit_id: 5, role: '施工' }], milestones: [{ title: '征求意见', due_on: '2026-12-01' }],
    })
    expect(post.headers.get('Idempotency-Key')).toBeTruthy()
    await vi.waitFor(() => expect(w.find('[data-testid="project-flash"]').exists()).toBe(true))
  })

  it('a partner sees the projects its unit is in and may mark their milestones, not edit them', async () => {
    consoleServer('partner', undefined, { unit: unit(5, 'property_company', '庄行新苑物业管理处') })
    const { wrapper: w } = await mountSignedIn('/console/projects')
    await vi.waitFor(() => expect(w.findAll('[data-testid="project-row"]')).toHaveLength(1))
    expect(w.get('[data-testid="project-row"]').text()).toContain('电动自行车集中充电棚')
    expect(w.find('[data-testid="project-new"]').exists()).toBe(false)
    await w.get('[data-testid="project-link"]').trigger('click')
    await vi.waitFor(() => expect(w.find('[data-testid="milestone-done"]').exists()).toBe(true))
    expect(w.find('[data-testid="project-edit"]').exists()).toBe(false)
    expect(w.find('[data-testid="comment-hide"]').exists()).toBe(false)
  })

  it('units: the list with kinds in words, and a unit\'s page with its projects', async () => {
    consoleServer('staff', (req) => (req.path === '/api/v1/units/5'
      ? json(200, { id: 5, kind: 'property_company', name: '庄行新苑物业管理处', area: community, contact_name: '周经理', contact_phone: '021-57460102', description: '小区物业', is_active: true, categories: [clutter], service_kinds: ['repair'] })
      : req.path === '/api/v1/units/5/members' ? json(200, { items: [] }) : undefined))
    const { wrapper: w } = await mountSignedIn('/console/units')
    await vi.waitFor(() => expect(w.findAll('[data-testid="unit-row"]')).toHaveLength(2))
    expect(w.get('[data-testid="units-table"]').text()).toContain('党组织')
    expect(w.get('[data-testid="units-table"]').text()).toContain('021-57460101')
    await w.findAll('[data-testid="unit-link"]')[1].trigger('click')
    await vi.waitFor(() => expect(w.find('[data-testid="unit-detail"]').exists()).toBe(true))
    expect(w.get('[data-testid="unit-detail"]').text()).toContain('周经理')
    await vi.waitFor(() => expect(w.get('[data-testid="unit-projects"]').text()).toContain('电动自行车集中充电棚'))
  })
})

describe('联盟单位: categories, services and accounts (console)', () => {
  const mountSignedIn = useSignedInApp()
  const parking = { id: 2, code: 'parking', name_zh: '乱停车', name_en: 'Illegal parking' }
  const member = (id: number, name: string, over: Record<string, unknown> = {}) => ({
    id, name, phone: '138****0006', is_unit_admin: false, is_active: true, must_change_password: false, last_login_at: null, ...over,
  })

  function server(role: string) {
    let unit = { id: 5, kind: 'property_company', name: '庄行新苑物业管理处', area: community, contact_name: '周经理', contact_phone: '021-57460102',
      description: null, is_active: true, categories: [clutter], service_kinds: ['repair'] }
    let members = [member(7, '钱志明', { is_unit_admin: true })]
    return stubFetch((req) => {
      if (req.path.endsWith('/me')) return json(200, me(role, { community }))
      if (req.path === '/api/v1/units/5' && req.method === 'GET') return json(200, unit)
      if (req.path === '/api/v1/units/5' && req.method === 'PATCH') {
        const body = req.body as { category_ids: number[]; service_kinds: string[]; is_active: boolean }
        unit = { ...unit, categories: [clutter, parking].filter((c) => body.category_ids.includes(c.id)), service_kinds: body.service_kinds, is_active: body.is_active }
        return json(200, unit)
      }
      if (req.path === '/api/v1/case-categories') return json(200, { items: [clutter, parking] })
      if (req.path === '/api/v1/units/5/members' && req.method === 'GET') return json(200, { items: members })
      if (req.path === '/api/v1/units/5/members' && req.method === 'POST') {
        const body = req.body as { phone: string; name?: string; password?: string }
        if (!body.password) return problem(422, 'Unprocessable Entity', '此手机号尚无账号：请填写姓名和初始密码以新建账号。')
        const created = member(9, body.name ?? '', { phone: '139****5678', must_change_password: true })
        members = [...members, created]
        return json(201, created)
      }
      if (req.path === '/api/v1/units/5/members/7' && req.method === 'PATCH') {
        members = members.map((m) => (m.id === 7 ? { ...m, is_unit_admin: (req.body as { is_unit_admin: boolean }).is_unit_admin } : m))
        return json(200, members[0])
      }
      if (req.path === '/api/v1/units/5/members/7' && req.method === 'DELETE') return new Response(null, { status: 204 })
      if (req.path === '/api/v1/projects') return json(200, page([]))
      return json(404, {})
    })
  }

  it('shows the categories it takes and the services it provides; staff edit them', async () => {
    const { seen } = server('staff')
    const { wrapper: w } = await mountSignedIn('/console/units/5')
    await vi.waitFor(() => expect(w.find('[data-testid="unit-detail"]').exists()).toBe(true))
    expect(w.get('[data-testid="unit-categories"]').text()).toBe('乱堆物')
    expect(w.get('[data-testid="unit-services"]').text()).toBe('上门维修')
    await w.get('[data-testid="unit-edit"]').trigger('click')
    await vi.waitFor(() => expect(w.find('[data-testid="unit-category-parking"]').exists()).toBe(true))
    expect((w.get('[data-testid="unit-category-clutter"]').element as HTMLInputElement).checked).toBe(true)
    await w.get('[data-testid="unit-category-parking"]').setValue(true)
    await w.get('[data-testid="unit-service-lunch"]').setValue(true)
    await w.get('[data-testid="unit-edit-form"] form').trigger('submit')
    await vi.waitFor(() => expect(w.find('[data-testid="unit-saved"]').exists()).toBe(true))
    const patch = seen.find((r) => r.method === 'PATCH' && r.path === '/api/v1/units/5')!
    expect(patch.body).toEqual({ category_ids: [1, 2], service_kinds: ['repair', 'lunch'], is_active: true })
    expect(w.get('[data-testid="unit-categories"]').text()).toBe('乱堆物、乱停车')
    expect(w.get('[data-testid="unit-services"]').text()).toBe('上门维修、爱心午餐')
  })

  it('lists the accounts with the admin flag; staff toggle it, remove and add accounts', async () => {
    const { seen } = server('staff')
    const { wrapper: w } = await mountSignedIn('/console/units/5')
    await vi.waitFor(() => expect(w.findAll('[data-testid="unit-member"]')).toHaveLength(1))
    expect(w.get('[data-testid="unit-member"]').text()).toContain('单位管理员')
    await w.get('[data-testid="unit-member-toggle"]').trigger('click')
    await vi.waitFor(() => expect(w.find('[data-testid="unit-member-admin"]').exists()).toBe(false))
    expect(seen.find((r) => r.method === 'PATCH' && r.path === '/api/v1/units/5/members/7')!.body).toEqual({ is_unit_admin: false })

    // a phone without an account needs a name and a first password: the server says so in words
    await w.get('[data-testid="unit-add-phone"]').setValue('13912345678')
    await w.get('[data-testid="unit-add-member"]').trigger('submit')
    await vi.waitFor(() => expect(w.get('[data-testid="unit-add-member"]').text()).toContain('请填写姓名和初始密码'))
    await w.get('[data-testid="unit-add-name"]').setValue('周师傅')
    await w.get('[data-testid="unit-add-password"]').setValue('Repair@2026x')
    await w.get('[data-testid="unit-add-member"]').trigger('submit')
    await vi.waitFor(() => expect(w.findAll('[data-testid="unit-member"]')).toHaveLength(2))
    expect(w.get('[data-testid="unit-added"]').text()).toContain('周师傅')
    const post = seen.filter((r) => r.method === 'POST' && r.path === '/api/v1/units/5/members').at(-1)!
    expect(post.body).toEqual({ phone: '13912345678', name: '周师傅', password: 'Repair@2026x' })

    await w.findAll('[data-testid="unit-member-remove"]')[0].trigger('click')
    await vi.waitFor(() => expect(w.findAll('[data-testid="unit-member"]')).toHaveLength(1))
    expect(w.get('[data-testid="unit-member"]').text()).toContain('周师傅')
  })
})
