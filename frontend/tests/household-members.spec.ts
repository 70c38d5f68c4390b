import { describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { json, me, problem, residentOut, stubFetch, type SeenRequest } from './helpers'
import { pickBirthDate, useSignedInApp } from './mountApp'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

const household = () => ({
  id: 3, room: '302', address: '丽水湾12号楼1单元302室',
  stairwell: { id: 8, building: '12', unit: '1', label: '12号楼1单元' },
  grid: { id: 20, name: '第3网格', code: 'G03' }, community: { id: 7, name: '丽水湾', code: 'LSW' },
  residents: [
    residentOut({ id: 9, name: '张阿姨', tags: [] }),
    residentOut({ id: 10, name: '李伯伯', gender: 'male', birth_date: null, phone: null, id_card: null, tags: ['party_member'] }),
  ],
})

type Handler = (req: SeenRequest) => Response | undefined

function residentServer(opts: { post?: Handler; patch?: Handler; role?: string } & Record<string, unknown> = {}) {
  const { post: _p, patch: _q, role, ...over } = opts
  return stubFetch((req) => {
    if (req.path.endsWith('/me')) return json(200, me(role ?? 'resident', over))
    if (req.path === '/api/v1/households/3') return json(200, household())
    if (req.path === '/api/v1/residents/10' && req.method === 'GET') {
      return json(200, household().residents[1], { ETag: '"10.3"' })
    }
    if (req.path === '/api/v1/residents/10' && req.method === 'PATCH') {
      return opts.patch?.(req) ?? json(200, { ...household().residents[1], ...(req.body as object), version: 4 }, { ETag: '"10.4"' })
    }
    if (req.path === '/api/v1/residents' && req.method === 'POST') {
      return opts.post?.(req) ?? json(201, residentOut({ id: 11, ...(req.body as object), version: 1 }), { ETag: '"11.1"' })
    }
    return json(404, {})
  })
}

const writes = (seen: SeenRequest[], method: string) => seen.filter((r) => r.method === method)

describe('household members (resident app)', () => {
  const mountSignedIn = useSignedInApp()

  it('lists the members, each with an edit action, and an add-member action', async () => {
    residentServer()
    const { wrapper: w } = await mountSignedIn('/household')
    expect(w.findAll('[data-testid="household-member"]')).toHaveLength(2)
    const edit = w.get('[data-testid="member-edit-10"]')
    expect(edit.text()).toContain('编辑')
    expect(edit.attributes('aria-label')).toBe('编辑李伯伯的信息')
    expect(edit.attributes('href')).toBe('/household/members/10')
    expect(w.get('[data-testid="household-add-member"]').text()).toContain('添加家庭成员')
    expect(w.text()).toContain('1948年5月20日出生')
    expect(w.text()).toContain('党员')
  })

  it('a volunteer keeps their own household up to date too (contract 14)', async () => {
    residentServer({ role: 'volunteer' })
    const { wrapper: w } = await mountSignedIn('/household')
    expect(w.findAll('[data-testid="household-member"]')).toHaveLength(2)
    expect(w.find('[data-testid="member-edit-10"]').exists()).toBe(true)
    expect(w.find('[data-testid="household-add-member"]').exists()).toBe(true)
  })

  it('edit: no tags, PATCH with If-Match, then back to the household with a message', async () => {
    const { seen } = residentServer()
    const { wrapper: w, router } = await mountSignedIn('/household')
    await w.get('[data-testid="member-edit-10"]').trigger('click')
    await vi.waitFor(() => expect(w.find('[data-testid="resident-form"]').exists()).toBe(true))
    expect(router.currentRoute.value.fullPath).toBe('/household/members/10')
    expect(w.find('[data-testid="rf-tag-party_member"]').exists()).toBe(false)
    expect((w.get('[data-testid="rf-name"]').element as HTMLInputElement).value).toBe('李伯伯')

    await pickBirthDate(w, '1950-01-02')
    await w.get('[data-testid="rf-phone"]').setValue('13900001111')
    await w.get('[data-testid="resident-form"]').trigger('submit')
    await vi.waitFor(() => expect(w.find('[data-testid="household-done"]').exists()).toBe(true))

    const [patch] = writes(seen, 'PATCH')
    expect(patch.path).toBe('/api/v1/residents/10')
    expect(patch.headers.get('if-match')).toBe('"10.3"')
    expect(patch.body).toEqual({ birth_date: '1950-01-02', phone: '13900001111' })
    expect(router.currentRoute.value.fullPath).toBe('/household')
    expect(w.get('[data-testid="household-done"]').text()).toContain('李伯伯的信息已保存')
  })

  it('edit 412: shows the conflict and a reload button that reads the record again', async () => {
    const { seen } = residentServer({ patch: () => problem(412, '前提条件不满足', '数据已被他人修改，请刷新后重试。') })
    const { wrapper: w, router } = await mountSignedIn('/household/members/10')
    await w.get('[data-testid="rf-name"]').setValue('李大伯')
    await w.get('[data-testid="resident-form"]').trigger('submit')
    await flushPromises()
    expect(w.get('[data-testid="member-stale"]').text()).toContain('数据已被他人修改，请刷新后重试')
    expect(router.currentRoute.value.fullPath).toBe('/household/members/10')

    const gets = () => seen.filter((r) => r.method === 'GET' && r.path === '/api/v1/residents/10').length
    expect(gets()).toBe(1)
    await w.get('[data-testid="member-reload"]').trigger('click')
    await flushPromises()
    expect(gets()).toBe(2)
    expect(w.find('[data-testid="member-stale"]').exists()).toBe(false)
    expect((w.get('[data-testid="rf-name"]').element as HTMLInputElement).value).toBe('李伯伯')
  })

  it('add: POSTs to my household; a retry after a network failure reuses the Idempotency-Key', async () => {
    let fail = true
    const { seen } = residentServer({
      post: () => {
        if (fail) {
          fail = false
          throw new TypeError('Failed to fetch')
        }
        return undefined
      },
    })
    const { wrapper: w, router } = await mountSignedIn('/household')
    await w.get('[data-testid="household-add-member"]').trigger('click')
    await vi.waitFor(() => expect(w.find('[data-testid="resident-form"]').exists()).toBe(true))
    expect(router.currentRoute.value.fullPath).toBe('/household/members/new')
    expect(w.find('[data-testid="rf-tag-volunteer"]').exists()).toBe(false)
    expect(w.get('[data-testid="rf-submit"]').text()).toBe('添加')

    await w.get('[data-testid="rf-name"]').setValue('张小明')
    await w.get('[data-testid="rf-gender-male"]').setValue(true)
    await w.get('[data-testid="resident-form"]').trigger('submit')
    await flushPromises()
    expect(w.get('[role="alert"]').text()).toContain('网络连接失败')
    expect(router.currentRoute.value.fullPath).toBe('/household/members/new')

    await w.get('[data-testid="resident-form"]').trigger('submit') // the same submission again
    await vi.waitFor(() => expect(w.find('[data-testid="household-done"]').exists()).toBe(true))

    const posts = writes(seen, 'POST').filter((r) => r.path === '/api/v1/residents')
    expect(posts).toHaveLength(2)
    expect(posts[0].body).toEqual({ name: '张小明', gender: 'male', household_id: 3 })
    expect(posts[0].headers.get('idempotency-key')).toMatch(UUID)
    expect(posts[1].headers.get('idempotency-key')).toBe(posts[0].headers.get('idempotency-key'))
    expect(router.currentRoute.value.fullPath).toBe('/household')
    expect(w.get('[data-testid="household-done"]').text()).toContain('已添加家庭成员：张小明')
  })

  it('add: a corrected submission after a refusal gets a new Idempotency-Key, and field errors show under fields', async () => {
    const { seen } = residentServer({
      post: (req) => ((req.body as { id_card?: string }).id_card === '310226201001011234'
        ? problem(422, '提交的内容有误', '部分字段填写有误，请检查。', { id_card: ['该身份证号已登记在其他居民名下。'] })
        : undefined),
    })
    const { wrapper: w } = await mountSignedIn('/household/members/new')
    await w.get('[data-testid="rf-name"]').setValue('张小明')
    await w.get('[data-testid="rf-id-card"]').setValue('310226201001011234')
    await w.get('[data-testid="resident-form"]').trigger('submit')
    await flushPromises()
    const field = w.get('[data-testid="rf-id-card"]').element.closest('.form-field')!
    expect(field.querySelector('.form-field__error')!.textContent).toContain('该身份证号已登记在其他居民名下。')

    await w.get('[data-testid="rf-id-card"]').setValue('31022620100101123X')
    await w.get('[data-testid="resident-form"]').trigger('submit')
    await flushPromises()
    const posts = writes(seen, 'POST').filter((r) => r.path === '/api/v1/residents')
    expect(posts).toHaveLength(2)
    expect(posts[1].body).toMatchObject({ id_card: '31022620100101123X' })
    expect(posts[1].headers.get('idempotency-key')).not.toBe(posts[0].headers.get('idempotency-key'))
  })

  it('is for residents and volunteers with a verified household: staff and pending claimants cannot open it', async () => {
    residentServer({ role: 'volunteer' })
    const { router } = await mountSignedIn('/household/members/new')
    expect(router.currentRoute.value.name).toBe('household-member-new')
  })

  it('a claimant still waiting for verification is sent to 我的家庭 from the member form', async () => {
    residentServer({ household_id: null, claim: { id: 5, status: 'pending', address: '丽水湾12号楼1单元302室', note: null } })
    const { router, wrapper: w } = await mountSignedIn('/household/members/new')
    expect(router.currentRoute.value.name).toBe('household')
    expect(w.find('[data-testid="household-add-member"]').exists()).toBe(false)
    expect(w.find('[data-testid="claim-pending"]').exists()).toBe(true)
  })
})
