import { describe, expect, it, vi } from 'vitest'
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { json, me, problem, residentOut, stubFetch, type SeenRequest } from './helpers'
import { pickBirthDate, useSignedInApp } from './mountApp'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

type Handler = (req: SeenRequest) => Response | undefined

/** Staff server: GET /residents/5 answers version `state.version` with its ETag; `patch` decides PATCHes. */
function server(patch?: Handler, reveal?: Handler) {
  const state = { version: 3, name: '张秀英' }
  const stub = stubFetch((req) => {
    if (req.path.endsWith('/me')) return json(200, me('staff', { resident_id: null, household_id: null }))
    if (req.path.endsWith('/household-claims')) return json(200, { items: [], next_cursor: null })
    if (req.path === '/api/v1/residents/5/reveal') {
      const field = (req.body as { field: string }).field
      return reveal?.(req) ?? json(200, { field, value: field === 'phone' ? '13812345678' : '310226194805201234' })
    }
    if (req.path === '/api/v1/residents/5' && req.method === 'GET') {
      return json(200, residentOut({ version: state.version, name: state.name }), { ETag: `"5.${state.version}"` })
    }
    if (req.path === '/api/v1/residents/5' && req.method === 'PATCH') {
      const custom = patch?.(req)
      if (custom) return custom
      state.version += 1
      const body = req.body as Record<string, unknown>
      if (typeof body.name === 'string') state.name = body.name
      return json(200, residentOut({ ...body, version: state.version, name: state.name }), { ETag: `"5.${state.version}"` })
    }
    return json(404, {})
  })
  return { ...stub, state }
}

const patches = (seen: SeenRequest[]) => seen.filter((r) => r.method === 'PATCH')

async function openEdit(w: VueWrapper) {
  await w.get('[data-testid="resident-edit"]').trigger('click')
  return w.get('[data-testid="resident-form"]')
}

describe('resident detail (console)', () => {
  const mountSignedIn = useSignedInApp()

  it('is linked from the resident list and shows every field, masked as returned', async () => {
    stubFetch((req) => {
      if (req.path.endsWith('/me')) return json(200, me('staff'))
      if (req.path === '/api/v1/residents') return json(200, { items: [residentOut()], next_cursor: null })
      if (req.path === '/api/v1/residents/5') return json(200, residentOut(), { ETag: '"5.3"' })
      return json(200, { items: [], next_cursor: null })
    })
    const { wrapper: w, router } = await mountSignedIn('/console/residents')
    const link = w.get('[data-testid="resident-link"]')
    expect(link.attributes('href')).toBe('/console/residents/5')
    await link.trigger('click')
    // the first visit loads the page's code (lazy route): allow for a slow, busy machine
    await vi.waitFor(() => expect(w.find('[data-testid="resident-detail"]').exists()).toBe(true), { timeout: 10_000 })
    expect(router.currentRoute.value.fullPath).toBe('/console/residents/5')
    const detail = w.get('[data-testid="resident-detail"]').text()
    for (const s of ['张秀英', '女', '1948年5月20日', '138****5678', '310***********1234', '独居老人', '丽水湾12号楼1单元302室', '第3网格']) {
      expect(detail).toContain(s)
    }
    expect(w.find('[data-testid="reveal-audit-note"]').exists()).toBe(false)
  })

  it('reveal: one field at a time, only with a reason, confirmed, with an Idempotency-Key; says the view is audited', async () => {
    const { seen } = server()
    const { wrapper } = await mountSignedIn('/console/residents/5')
    expect(wrapper.find('[data-testid="reveal-panel"]').exists()).toBe(false)
    await wrapper.get('[data-testid="reveal-phone"]').trigger('click')
    const panel = wrapper.get('[data-testid="reveal-panel"]')
    expect(panel.text()).toContain('查看完整手机号')
    expect(panel.text()).toContain('审计日志')
    // no reason: nothing is sent
    await panel.trigger('submit')
    expect(seen.some((r) => r.path.endsWith('/reveal'))).toBe(false)
    expect(panel.text()).toContain('请填写查看原因')
    expect(wrapper.get('[data-testid="reveal-reason"]').attributes('aria-invalid')).toBe('true')

    await wrapper.get('[data-testid="reveal-reason"]').setValue('上门走访前电话联系')
    await wrapper.get('[data-testid="reveal-confirm"]').trigger('submit')
    await flushPromises()
    const req = seen.find((r) => r.path.endsWith('/reveal'))!
    expect(req.method).toBe('POST')
    expect(req.body).toEqual({ field: 'phone', reason: '上门走访前电话联系' })
    expect(req.headers.get('idempotency-key')).toMatch(UUID)
    expect(wrapper.get('[data-testid="resident-phone"]').text()).toBe('13812345678')
    // the other number stays masked until asked for on its own
    expect(wrapper.get('[data-testid="resident-id-card"]').text()).toBe('310***********1234')
    expect(wrapper.find('[data-testid="reveal-phone"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="reveal-panel"]').exists()).toBe(false)
    const note = wrapper.get('[data-testid="reveal-audit-note"]')
    expect(note.text()).toContain('此次查看已记入审计日志')
    expect(note.attributes('role')).toBe('status')

    await wrapper.get('[data-testid="reveal-id_card"]').trigger('click')
    await wrapper.get('[data-testid="reveal-reason"]').setValue('核对身份')
    await wrapper.get('[data-testid="reveal-panel"]').trigger('submit')
    await flushPromises()
    expect(seen.filter((r) => r.path.endsWith('/reveal')).at(-1)!.body).toEqual({ field: 'id_card', reason: '核对身份' })
    expect(wrapper.get('[data-testid="resident-id-card"]').text()).toBe('310226194805201234')

    await wrapper.get('[data-testid="resident-hide"]').trigger('click')
    expect(wrapper.get('[data-testid="resident-phone"]').text()).toBe('138****5678')
    expect(wrapper.find('[data-testid="reveal-audit-note"]').exists()).toBe(false)
  })

  it('reveal refused: says so inline and shows no numbers; a reason refused by the server shows under the box', async () => {
    let n = 0
    server(undefined, () => (++n === 1
      ? problem(422, '提交的内容有误', undefined, { reason: ['原因太短'] })
      : problem(403, '禁止访问', '您的角色无权执行此操作。')))
    const { wrapper } = await mountSignedIn('/console/residents/5')
    await wrapper.get('[data-testid="reveal-phone"]').trigger('click')
    await wrapper.get('[data-testid="reveal-reason"]').setValue('看看')
    await wrapper.get('[data-testid="reveal-panel"]').trigger('submit')
    await flushPromises()
    expect(wrapper.get('[data-testid="reveal-panel"]').text()).toContain('原因太短')
    await wrapper.get('[data-testid="reveal-panel"]').trigger('submit')
    await flushPromises()
    expect(wrapper.get('[role="alert"]').text()).toContain('完整号码获取失败')
    expect(wrapper.get('[role="alert"]').text()).toContain('您的角色无权执行此操作。')
    expect(wrapper.get('[data-testid="resident-phone"]').text()).toBe('138****5678')
    expect(wrapper.find('[data-testid="reveal-audit-note"]').exists()).toBe(false)
  })

  it('edit: sends only the changes with If-Match from the ETag, then the new ETag on the next save', async () => {
    const { seen } = server()
    const { wrapper: w } = await mountSignedIn('/console/residents/5')
    let form = await openEdit(w)
    expect((form.get('[data-testid="rf-name"]').element as HTMLInputElement).value).toBe('张秀英')
    expect((form.get('[data-testid="rf-gender-female"]').element as HTMLInputElement).checked).toBe(true)
    expect(form.get('[data-testid="rf-birth-date"]').attributes('data-value')).toBe('1948-05-20')
    expect(form.get('[data-testid="rf-birth-date"]').text()).toContain('1948年5月20日')
    expect((form.get('[data-testid="rf-tag-elderly_alone"]').element as HTMLInputElement).checked).toBe(true)
    // masked numbers are not put back into the inputs: empty means "keep"
    expect((form.get('[data-testid="rf-phone"]').element as HTMLInputElement).value).toBe('')
    expect(form.text()).toContain('当前为 138****5678')

    await form.get('[data-testid="rf-name"]').setValue('张秀英 ')
    await form.get('[data-testid="rf-tag-hardship"]').setValue(true)
    await form.get('[data-testid="rf-phone"]').setValue('13912345678')
    await form.trigger('submit')
    await flushPromises()

    const [first] = patches(seen)
    expect(first.path).toBe('/api/v1/residents/5')
    expect(first.headers.get('if-match')).toBe('"5.3"')
    expect(first.body).toEqual({ tags: ['elderly_alone', 'hardship'], phone: '13912345678' })
    expect(w.get('[data-testid="resident-saved"]').text()).toContain('已保存')
    expect(w.find('[data-testid="resident-form"]').exists()).toBe(false)
    expect(w.get('[data-testid="resident-tags"]').text()).toContain('困难家庭')

    form = await openEdit(w)
    await form.get('[data-testid="rf-name"]').setValue('张秀华')
    await form.get('[data-testid="rf-gender-unset"]').setValue(true)
    await form.trigger('submit')
    await flushPromises()
    const second = patches(seen)[1]
    expect(second.headers.get('if-match')).toBe('"5.4"')
    expect(second.body).toEqual({ name: '张秀华', gender: null })
  })

  it('edit without changes sends nothing and says so', async () => {
    const { seen } = server()
    const { wrapper: w } = await mountSignedIn('/console/residents/5')
    const form = await openEdit(w)
    await form.trigger('submit')
    await flushPromises()
    expect(patches(seen)).toHaveLength(0)
    expect(w.get('[data-testid="rf-no-changes"]').text()).toContain('没有需要保存的修改')
  })

  it('412: says someone else changed it, and the reload button fetches the new ETag for the next try', async () => {
    const { seen, state } = server((req) =>
      req.headers.get('if-match') === `"5.${state.version}"` ? undefined
        : problem(412, '前提条件不满足', '数据已被他人修改，请刷新后重试。'))
    const { wrapper: w } = await mountSignedIn('/console/residents/5')
    state.version = 7 // a colleague saved in the meantime
    state.name = '张秀英（已改）'
    const form = await openEdit(w)
    await pickBirthDate(w, '1948-06-20')
    await form.trigger('submit')
    await flushPromises()

    expect(patches(seen)[0].headers.get('if-match')).toBe('"5.3"')
    const stale = w.get('[data-testid="resident-stale"]')
    expect(stale.attributes('role')).toBe('alert')
    expect(stale.text()).toContain('数据已被他人修改，请刷新后重试')
    expect(w.find('[data-testid="resident-saved"]').exists()).toBe(false)

    await w.get('[data-testid="resident-reload"]').trigger('click')
    await flushPromises()
    expect(w.find('[data-testid="resident-stale"]').exists()).toBe(false)
    expect(w.get('[data-testid="resident-name"]').text()).toBe('张秀英（已改）')
    // the form now holds the colleague's version; the next save carries its ETag
    await pickBirthDate(w, '1948-06-20')
    await w.get('[data-testid="resident-form"]').trigger('submit')
    await flushPromises()
    expect(patches(seen)[1].headers.get('if-match')).toBe('"5.7"')
    expect(w.find('[data-testid="resident-saved"]').exists()).toBe(true)
  })

  it('422: each field error appears under its own field, tied to the input', async () => {
    server(() => problem(422, '提交的内容有误', '部分字段填写有误，请检查。', {
      phone: ['请输入以 1 开头的 11 位手机号码。'],
      id_card: ['身份证号码校验位不正确。'],
      household_id: ['没有这一户。'],
    }))
    const { wrapper: w } = await mountSignedIn('/console/residents/5')
    const form = await openEdit(w)
    await form.get('[data-testid="rf-phone"]').setValue('13912345678')
    await form.get('[data-testid="rf-id-card"]').setValue('31022619480520123x')
    await form.trigger('submit')
    await flushPromises()

    for (const [id, msg] of [['rf-phone', '请输入以 1 开头的 11 位手机号码。'], ['rf-id-card', '身份证号码校验位不正确。']]) {
      const input = w.get(`[data-testid="${id}"]`)
      expect(input.attributes('aria-invalid')).toBe('true')
      const field = input.element.closest('.form-field')!
      expect(field.querySelector('.form-field__error')!.textContent).toContain(msg)
      const errorId = field.querySelector('.form-field__error')!.id
      expect(input.attributes('aria-describedby')).toContain(errorId)
    }
    expect(w.get('[data-testid="rf-name"]').attributes('aria-invalid')).toBeUndefined()
    // a field the form has no input for is listed in the alert instead
    const alert = w.get('[data-testid="resident-form"] [role="alert"]').text()
    expect(alert).toContain('保存没有成功')
    expect(alert).toContain('没有这一户。')
    expect(alert).not.toContain('身份证号码校验位不正确')
    // the typed values are kept for correcting
    expect((w.get('[data-testid="rf-phone"]').element as HTMLInputElement).value).toBe('13912345678')
  })

  it('checks the obvious locally before sending', async () => {
    const { seen } = server()
    const { wrapper: w } = await mountSignedIn('/console/residents/5')
    const form = await openEdit(w)
    await form.get('[data-testid="rf-name"]').setValue('  ')
    await form.get('[data-testid="rf-id-card"]').setValue('123')
    await form.trigger('submit')
    await flushPromises()
    expect(patches(seen)).toHaveLength(0)
    expect(w.text()).toContain('请填写姓名')
    expect(w.text()).toContain('请输入 18 位身份证号码')
  })

  it('after a reveal the form edits the full numbers, and emptying one clears it', async () => {
    const { seen } = server()
    const { wrapper: w } = await mountSignedIn('/console/residents/5')
    await w.get('[data-testid="reveal-phone"]').trigger('click')
    await w.get('[data-testid="reveal-reason"]').setValue('更正电话')
    await w.get('[data-testid="reveal-panel"]').trigger('submit')
    await flushPromises()
    const form = await openEdit(w)
    expect((form.get('[data-testid="rf-phone"]').element as HTMLInputElement).value).toBe('13812345678')
    await form.get('[data-testid="rf-phone"]').setValue('')
    await form.trigger('submit')
    await flushPromises()
    expect(patches(seen)[0].body).toEqual({ phone: null })
    // the revealed numbers are dropped after a change to them
    expect(w.find('[data-testid="reveal-audit-note"]').exists()).toBe(false)
  })
})
