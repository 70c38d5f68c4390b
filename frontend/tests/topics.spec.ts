import { describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { homeEntries, consoleNav } from '@/router'
import { subjectRoute } from '@/features/inbox/api'
import { json, me, problem, stubFetch, type SeenRequest } from './helpers'
import { useSignedInApp } from './mountApp'

const community = { id: 7, name: '丽水湾', full_name: '丽水湾', code: 'LSW' }
function topic(over: Record<string, unknown> = {}) {
  return {
    id: 1, community, kind: 'topic', title: '东门增设电动自行车充电桩', body: '东门车棚没有充电桩，大家只能飞线充电。',
    status: 'proposed', author: { id: 8, name: '李德福' }, photos: [], supports_count: 1, support_threshold: 3,
    supported_by_me: false, may_support: true, may_decide: false, comments_count: 1, discussing_at: null,
    decision_text: null as string | null, decided_at: null as string | null, project_id: null, case_id: null,
    created_at: '2026-11-27T08:30:00+00:00', updated_at: '2026-11-27T08:30:00+00:00', ...over,
  }
}
const comment = (id: number, body: string, over: Record<string, unknown> = {}) => ({
  id, topic_id: 1, author: { id: 8, name: '李德福' }, body, status: 'visible', reports_count: 0, reported_by_me: false,
  created_at: '2026-11-27T08:30:00+00:00', ...over,
})
const page = (items: unknown[]) => ({ items, next_cursor: null })

describe('议事 (residents)', () => {
  const mountSignedIn = useSignedInApp()

  function server(extra?: (req: SeenRequest) => Response | undefined) {
    let current = topic()
    return stubFetch((req) => {
      const hit = extra?.(req)
      if (hit) return hit
      if (req.path.endsWith('/me')) return json(200, me('resident', { community }))
      if (req.path === '/api/v1/topics' && req.method === 'GET') return json(200, page([current]))
      if (req.path === '/api/v1/topics' && req.method === 'POST') return json(201, topic({ id: 5, ...(req.body as object), supported_by_me: true }))
      if (req.path === '/api/v1/topics/1' || req.path === '/api/v1/topics/5') return json(200, current)
      if (req.path === '/api/v1/topics/1/support') {
        const on = (req.body as { supported: boolean }).supported
        const n = current.supports_count + (on ? 1 : -1)
        current = { ...current, supported_by_me: on, supports_count: n, status: n >= 3 ? 'discussing' : current.status }
        return json(200, current)
      }
      if (req.path === '/api/v1/topics/1/comments' && req.method === 'GET') return json(200, page([comment(2, '支持！')]))
      if (req.path === '/api/v1/topics/1/comments' && req.method === 'POST') {
        return json(201, comment(9, (req.body as { body: string }).body, { author: { id: 42, name: '张阿姨' } }))
      }
      if (req.path === '/api/v1/topics/1/comments/2/report') return json(200, comment(2, '支持！', { reports_count: 1, reported_by_me: true }))
      return json(404, {})
    })
  }

  it('has home tiles 议事 and 咨询 for residents, and console pages for staff only', () => {
    const names = homeEntries('resident').map((e) => e.name)
    expect(names).toContain('topics')
    expect(names).toContain('questions')
    expect(consoleNav('staff').map((l) => l.name)).toEqual(expect.arrayContaining(['console-topics', 'console-questions']))
    expect(consoleNav('partner').map((l) => l.name)).not.toContain('console-topics')
  })

  it('a topic decision or a question answer in the inbox opens the topic or the question', () => {
    expect(subjectRoute({ subject_type: 'topic', subject_id: 3 })).toEqual({ name: 'topic', params: { id: '3' } })
    expect(subjectRoute({ subject_type: 'question', subject_id: 4 })).toEqual({ name: 'question', params: { id: '4' } })
  })

  it('lists topics by state with their support against the threshold', async () => {
    const { seen } = server()
    const { wrapper: w } = await mountSignedIn('/topics')
    await vi.waitFor(() => expect(w.find('[data-testid="topic-card"]').exists()).toBe(true))
    const card = w.get('[data-testid="topic-card"]')
    expect(card.text()).toContain('东门增设电动自行车充电桩')
    expect(card.get('[data-testid="topic-status"]').text()).toBe('征集支持')
    expect(card.get('[data-testid="topic-card-supports"]').text()).toBe('1 / 3 人支持')
    expect(w.text()).toContain('邻居支持达到 3 人后进入讨论')
    expect(seen.find((r) => r.path === '/api/v1/topics')!.search).toContain('status=proposed')
    await w.get('[data-testid="topic-tab-answered"]').trigger('click')
    await flushPromises()
    const last = seen.filter((r) => r.path === '/api/v1/topics').at(-1)!.search
    expect(last).toContain('status=adopted')
    expect(last).toContain('status=done')
    expect(w.get('[data-testid="topic-tab-answered"]').attributes('aria-pressed')).toBe('true')
  })

  it('supports, then the topic moves to discussion; withdraws; reports a comment once', async () => {
    const { seen } = server()
    const { wrapper: w } = await mountSignedIn('/topics/1')
    await vi.waitFor(() => expect(w.find('[data-testid="topic-detail"]').exists()).toBe(true))
    expect(w.get('[data-testid="topic-supports"]').text()).toBe('1 / 3 人支持')
    const support = w.get('[data-testid="topic-support"]')
    expect(support.attributes('aria-pressed')).toBe('false')
    await support.trigger('click')
    await flushPromises()
    expect(seen.find((r) => r.path.endsWith('/support'))!.body).toEqual({ supported: true })
    expect(w.get('[data-testid="topic-support"]').attributes('aria-pressed')).toBe('true')
    expect(w.get('[data-testid="topic-note"]').text()).toContain('您已支持这个议题')
    await w.get('[data-testid="topic-support"]').trigger('click')
    await flushPromises()
    expect(seen.filter((r) => r.path.endsWith('/support')).at(-1)!.body).toEqual({ supported: false })
    expect(w.get('[data-testid="topic-note"]').text()).toContain('已撤回支持')

    await vi.waitFor(() => expect(w.find('[data-testid="topic-comment-report"]').exists()).toBe(true))
    await w.get('[data-testid="topic-comment-report"]').trigger('click')
    await flushPromises()
    expect(w.find('[data-testid="topic-comment-report"]').exists()).toBe(false)
    expect(w.get('[data-testid="topic-comment-reported"]').text()).toBe('已举报')
    expect(w.get('[data-testid="topic-reported-note"]').text()).toContain('多位居民举报后留言会先隐藏')
  })

  it('shows the threshold reached and the committee answer', async () => {
    server((req) => (req.path === '/api/v1/topics/1' ? json(200, topic({
      status: 'adopted', supports_count: 8, may_support: false, decision_text: '12月底前安装。', decided_at: '2026-11-20T08:00:00+00:00', project_id: 4,
    })) : undefined))
    const { wrapper: w } = await mountSignedIn('/topics/1')
    await vi.waitFor(() => expect(w.find('[data-testid="topic-decision"]').exists()).toBe(true))
    expect(w.get('[data-testid="topic-decision"]').text()).toContain('12月底前安装。')
    expect(w.get('[data-testid="topic-decision"]').text()).toContain('已采纳')
    expect(w.find('[data-testid="topic-support"]').exists()).toBe(false)
    expect(w.get('[data-testid="topic-project"]').attributes('href')).toBe('/projects/4')
  })

  it('proposes: checks the fields in words, then sends kind, title and body with an Idempotency-Key', async () => {
    const { seen } = server()
    const { wrapper: w, router } = await mountSignedIn('/topics/new')
    await vi.waitFor(() => expect(w.find('[data-testid="topic-form"]').exists()).toBe(true))
    await w.get('[data-testid="topic-form"]').trigger('submit')
    expect(w.text()).toContain('请填写标题')
    expect(w.get('[data-testid="topic-title"]').attributes('aria-invalid')).toBe('true')
    await w.get('[data-testid="topic-kind-idea"]').trigger('click')
    await w.get('[data-testid="topic-title"]').setValue('楼道放折叠椅')
    await w.get('[data-testid="topic-body"]').setValue('老人爬楼没处歇脚。')
    await w.get('[data-testid="topic-form"]').trigger('submit')
    await flushPromises()
    const post = seen.find((r) => r.method === 'POST' && r.path === '/api/v1/topics')!
    expect(post.body).toEqual({ kind: 'idea', title: '楼道放折叠椅', body: '老人爬楼没处歇脚。' })
    expect(post.headers.get('Idempotency-Key')).toBeTruthy()
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('topic'))
  })

  it('a resident whose household is not verified is told so instead of the propose button', async () => {
    server((req) => (req.path.endsWith('/me') ? json(200, me('resident', { household_id: null, resident_id: null })) : undefined))
    const { wrapper: w } = await mountSignedIn('/topics')
    await vi.waitFor(() => expect(w.find('[data-testid="topic-not-verified"]').exists()).toBe(true))
    expect(w.find('[data-testid="topic-propose"]').exists()).toBe(false)
  })

  it('a server field error on the proposal lands under the field', async () => {
    server((req) => (req.method === 'POST' && req.path === '/api/v1/topics'
      ? problem(422, 'Unprocessable Entity', '输入有误', { title: ['标题太长'] }) : undefined))
    const { wrapper: w } = await mountSignedIn('/topics/new')
    await vi.waitFor(() => expect(w.find('[data-testid="topic-form"]').exists()).toBe(true))
    await w.get('[data-testid="topic-title"]').setValue('标题标题')
    await w.get('[data-testid="topic-body"]').setValue('内容内容')
    await w.get('[data-testid="topic-form"]').trigger('submit')
    await flushPromises()
    expect(w.get('#topic-title-error').text()).toContain('标题太长')
  })
})

describe('自治议题 (console)', () => {
  const mountSignedIn = useSignedInApp()

  it('staff answer a topic, and restore or remove a hidden comment', async () => {
    let current = topic({ status: 'discussing', supports_count: 5, may_support: false, may_decide: true })
    const { seen } = stubFetch((req) => {
      if (req.path.endsWith('/me')) return json(200, me('staff', { community, resident_id: null, household_id: null }))
      if (req.path === '/api/v1/topics/1' && req.method === 'GET') return json(200, current)
      if (req.path === '/api/v1/topics/1/decision') {
        const b = req.body as { decision: string; text: string }
        current = { ...current, status: b.decision, decision_text: b.text, decided_at: '2026-11-27T09:00:00+00:00' }
        return json(200, current)
      }
      if (req.path === '/api/v1/topics/1/comments') return json(200, page([comment(3, '加微信买充电器', { status: 'hidden', reports_count: 3 })]))
      if (req.path === '/api/v1/topics/1/comments/3/moderate') {
        return json(200, comment(3, '加微信买充电器', { status: (req.body as { action: string }).action === 'restore' ? 'visible' : 'removed' }))
      }
      if (req.path === '/api/v1/case-categories') return json(200, { items: [] })
      return json(404, {})
    })
    const { wrapper: w } = await mountSignedIn('/console/topics/1')
    await vi.waitFor(() => expect(w.find('[data-testid="topic-decide"]').exists()).toBe(true))
    expect(w.find('[data-testid="topic-decision-adopted"]').exists()).toBe(true)
    await w.get('[data-testid="topic-decision-adopted"]').trigger('click')
    await w.get('form[aria-label="答复"]').trigger('submit')
    expect(w.text()).toContain('请填写答复内容')
    await w.get('[data-testid="topic-decision-text"]').setValue('居委会采纳，12月底前安装。')
    await w.get('form[aria-label="答复"]').trigger('submit')
    await flushPromises()
    expect(seen.find((r) => r.path.endsWith('/decision'))!.body).toEqual({ decision: 'adopted', text: '居委会采纳，12月底前安装。' })
    expect(w.get('[data-testid="topic-decided"]').text()).toContain('支持者会收到通知')
    expect(w.get('[data-testid="topic-decision"]').text()).toContain('已采纳')
    expect(w.find('[data-testid="topic-decision-declined"]').exists()).toBe(false) // adopted → only done
    expect(w.find('[data-testid="topic-to-project"]').exists()).toBe(true)

    await vi.waitFor(() => expect(w.find('[data-testid="topic-comment-state"]').exists()).toBe(true))
    expect(w.get('[data-testid="topic-comment-state"]').text()).toContain('待审核')
    expect(w.get('[data-testid="topic-comment-state"]').text()).toContain('3 人举报')
    await w.get('[data-testid="topic-comment-restore"]').trigger('click')
    await flushPromises()
    expect(seen.find((r) => r.path.endsWith('/moderate'))!.body).toEqual({ action: 'restore' })
    expect(w.get('[data-testid="topic-comment"]').attributes('data-status')).toBe('visible')
  })
})
