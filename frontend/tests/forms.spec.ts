import { describe, expect, it, vi } from 'vitest'
import { json, me, problem, stubFetch, type SeenRequest } from './helpers'
import { useSignedInApp } from './mountApp'

const future = new Date(Date.now() + 7 * 86_400_000).toISOString()
const FIELDS = [
  { key: 'name', label: '姓名', type: 'text', required: true },
  { key: 'from_where', label: '出发地', type: 'single', required: false, options: ['省内', '省外'] },
  { key: 'needs', label: '需要的帮助', type: 'multi', required: false, options: ['代购', '送药'] },
  { key: 'id_card', label: '身份证号', type: 'id_card', required: false },
  { key: 'agree', label: '同意居委会使用以上信息', type: 'consent', required: true },
]
const form = (over: Record<string, unknown> = {}) => ({
  id: 3, title: '返沪人员登记', description: '请如实填写', area: { id: 7, name: '丽水湾', kind: 'community' }, tag: null,
  fields: FIELDS, multiple: false, deadline: future, status: 'published', open: true, submissions_count: 4,
  my_submissions: 0, created_at: future, published_at: future, ...over,
})
const submission = (over: Record<string, unknown> = {}) => ({
  id: 9, form: { id: 3, title: '返沪人员登记', deadline: future }, user: { id: 42, name: '张阿姨' },
  answers: { name: '张阿姨', agree: true }, editable: true, erased: false, created_at: future, updated_at: future, ...over,
})
const page = (items: unknown[]) => ({ items, next_cursor: null })

describe('信息登记 (residents)', () => {
  const mountSignedIn = useSignedInApp()

  function server(onSubmit?: (r: SeenRequest) => Response) {
    return stubFetch((req) => {
      if (req.path.endsWith('/me')) return json(200, me('resident'))
      if (req.path === '/api/v1/forms') return json(200, page([form()]))
      if (req.path === '/api/v1/forms/3') return json(200, form())
      if (req.path === '/api/v1/form-submissions' && req.method === 'GET') return json(200, page([submission()]))
      if (req.path === '/api/v1/form-submissions/9' && req.method === 'GET') return json(200, submission())
      if (req.path === '/api/v1/form-submissions/9' && req.method === 'PUT') return onSubmit?.(req) ?? json(200, submission())
      if (req.path === '/api/v1/forms/3/submissions') return onSubmit?.(req) ?? json(201, submission())
      return json(404, {})
    })
  }

  it('has a tile on the home screen and lists the open forms and mine', async () => {
    server()
    const { wrapper: w } = await mountSignedIn('/')
    expect(w.get('[data-testid="entry-forms"]').attributes('href')).toBe('/forms')
    const { wrapper: list } = await mountSignedIn('/forms')
    await vi.waitFor(() => expect(list.findAll('[data-testid="form-card"]')).toHaveLength(1))
    expect(list.get('[data-testid="form-open-3"]').attributes('href')).toBe('/forms/3')
    expect(list.get('[data-testid="submission-edit-9"]').attributes('href')).toBe('/forms/submissions/9')
  })

  it('sends the answers of every field type and says it is done', async () => {
    const { seen } = server()
    const { wrapper: w } = await mountSignedIn('/forms/3')
    await vi.waitFor(() => expect(w.find('[data-testid="form-submit"]').exists()).toBe(true))
    await w.get('[data-testid="field-name"]').setValue('张阿姨')
    await w.get('[data-testid="field-from_where"] input[value="省外"]').setValue(true)
    await w.get('[data-testid="field-needs"] input[value="送药"]').setValue(true)
    await w.get('[data-testid="field-agree"] input').setValue(true)
    await w.get('form').trigger('submit')
    await vi.waitFor(() => expect(w.find('[data-testid="form-saved"]').exists()).toBe(true))
    const post = seen.find((r) => r.method === 'POST')!
    expect(post.body).toEqual({ answers: { name: '张阿姨', from_where: '省外', needs: ['送药'], agree: true } })
    expect(post.headers.get('Idempotency-Key')).toBeTruthy()
  })

  it('shows a wrong ID number beside the field, in words', async () => {
    server(() => problem(422, '提交的内容有误', '部分字段填写有误，请检查。', { 'answers.id_card': ['身份证号码校验位不正确。'] }))
    const { wrapper: w } = await mountSignedIn('/forms/3')
    await vi.waitFor(() => expect(w.find('[data-testid="form-submit"]').exists()).toBe(true))
    await w.get('[data-testid="field-id_card"]').setValue('310226195503120020')
    await w.get('form').trigger('submit')
    await vi.waitFor(() => expect(w.text()).toContain('身份证号码校验位不正确。'))
    expect(w.find('[data-testid="form-saved"]').exists()).toBe(false)
  })

  it('changes my answers, and says so clearly when the deadline has passed', async () => {
    server(() => problem(409, '数据冲突', '登记已截止，本次填写未保存。'))
    const { wrapper: w } = await mountSignedIn('/forms/submissions/9')
    await vi.waitFor(() => expect((w.get('[data-testid="field-name"]').element as HTMLInputElement).value).toBe('张阿姨'))
    await w.get('form').trigger('submit')
    await vi.waitFor(() => expect(w.text()).toContain('登记已截止，本次填写未保存。'))
  })
})

describe('信息登记 (staff console)', () => {
  const mountSignedIn = useSignedInApp()

  it('shows the answers masked and exports them', async () => {
    const { seen } = stubFetch((req) => {
      if (req.path.endsWith('/me')) return json(200, me('staff'))
      if (req.path === '/api/v1/forms/3') return json(200, form())
      if (req.path === '/api/v1/forms/3/submissions') {
        return json(200, page([submission({ answers: { name: '张阿姨', id_card: '310***********0021', needs: ['代购', '送药'], agree: true } })]))
      }
      if (req.path === '/api/v1/forms/3/exports') return json(201, { id: 5, form_id: 3, format: 'xlsx', status: 'done', rows: 1, created_at: future, finished_at: future })
      if (req.path === '/api/v1/form-exports/5/download') return new Response('x', { status: 200 })
      return json(404, {})
    })
    URL.createObjectURL = vi.fn(() => 'blob:x')
    URL.revokeObjectURL = vi.fn()
    const { wrapper: w } = await mountSignedIn('/console/forms/3')
    await vi.waitFor(() => expect(w.findAll('[data-testid="submission-row"]')).toHaveLength(1))
    const row = w.get('[data-testid="submission-row"]').text()
    expect(row).toContain('310***********0021')
    expect(row).toContain('代购、送药')
    await w.get('[data-testid="export-xlsx"]').trigger('click')
    await vi.waitFor(() => expect(seen.some((r) => r.path === '/api/v1/form-exports/5/download')).toBe(true))
    expect(seen.find((r) => r.path === '/api/v1/forms/3/exports')!.body).toEqual({ format: 'xlsx' })
  })
})
