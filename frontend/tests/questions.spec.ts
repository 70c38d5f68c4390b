import { describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { json, me, stubFetch } from './helpers'
import { useSignedInApp } from './mountApp'

const community = { id: 7, name: '丽水湾', full_name: '丽水湾', code: 'LSW' }
function question(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 1, community, asker: { id: 42, name: '张阿姨' }, body: '敬老卡在哪里办？', status: 'open', photos: [], messages_count: 0,
    answered_at: null, closed_at: null, saved_as_guide: false, guide_title: null as string | null, guide_notice_id: null as number | null,
    created_at: '2026-11-27T08:30:00+00:00', updated_at: '2026-11-27T08:30:00+00:00',
    thread: [] as unknown[], may_answer: false, may_close: true, may_follow_up: true, ...over,
  }
}
const answer = { id: 3, author: { id: 2, name: '居委小陈' }, is_answer: true, body: '带身份证到受理中心办理。', created_at: '2026-11-27T09:00:00+00:00' }
const page = (items: unknown[]) => ({ items, next_cursor: null })

describe('咨询', () => {
  const mountSignedIn = useSignedInApp()

  it('a resident asks and lands on the question, told they will be notified', async () => {
    const { seen } = stubFetch((req) => {
      if (req.path.endsWith('/me')) return json(200, me('resident', { community }))
      if (req.path === '/api/v1/questions' && req.method === 'POST') return json(201, question({ body: (req.body as { body: string }).body }))
      if (req.path === '/api/v1/questions/1') return json(200, question())
      return json(404, {})
    })
    const { wrapper: w, router } = await mountSignedIn('/questions/new')
    await vi.waitFor(() => expect(w.find('[data-testid="question-form"]').exists()).toBe(true))
    await w.get('[data-testid="question-form"]').trigger('submit')
    expect(w.text()).toContain('请写下您的问题')
    await w.get('[data-testid="question-body-input"]').setValue('敬老卡在哪里办？')
    await w.get('[data-testid="question-form"]').trigger('submit')
    await flushPromises()
    const post = seen.find((r) => r.method === 'POST')!
    expect(post.body).toEqual({ body: '敬老卡在哪里办？' })
    expect(post.headers.get('Idempotency-Key')).toBeTruthy()
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('question'), { timeout: 4000 })
    await vi.waitFor(() => expect(w.find('[data-testid="question-asked"]').exists()).toBe(true))
    expect(w.get('[data-testid="question-no-answer"]').text()).toContain('还没有回复')
  })

  it('the asker reads the answer, follows up, and closes it', async () => {
    let current = question({ status: 'answered', thread: [answer], messages_count: 1 })
    const { seen } = stubFetch((req) => {
      if (req.path.endsWith('/me')) return json(200, me('resident', { community }))
      if (req.path === '/api/v1/questions') return json(200, page([current]))
      if (req.path === '/api/v1/questions/1') return json(200, current)
      if (req.path === '/api/v1/questions/1/messages') {
        current = { ...current, status: 'open', thread: [answer, { id: 4, author: { id: 42, name: '张阿姨' }, is_answer: false, body: (req.body as { body: string }).body, created_at: '2026-11-27T10:00:00+00:00' }] }
        return json(201, current)
      }
      if (req.path === '/api/v1/questions/1/close') {
        current = { ...current, status: 'closed', may_close: false }
        return json(200, current)
      }
      return json(404, {})
    })
    const { wrapper: w } = await mountSignedIn('/questions')
    await vi.waitFor(() => expect(w.find('[data-testid="question-card"]').exists()).toBe(true))
    expect(w.get('[data-testid="question-status"]').text()).toBe('已回复')
    await w.get('[data-testid="question-open"]').trigger('click')
    await vi.waitFor(() => expect(w.find('[data-testid="question-message"]').exists()).toBe(true))
    expect(w.get('[data-testid="question-message"]').text()).toContain('居委会 · 居委小陈')
    expect(w.get('label[for="question-message"]').text()).toBe('追问')
    await w.get('[data-testid="question-message-body"]').setValue('周末能办吗？')
    await w.get('form[aria-label="追问"]').trigger('submit')
    await flushPromises()
    expect(seen.find((r) => r.path.endsWith('/messages'))!.body).toEqual({ body: '周末能办吗？' })
    expect(w.findAll('[data-testid="question-message"]')).toHaveLength(2)
    expect(w.findAll('[data-testid="question-message"]')[1].text()).toContain('我')
    await w.get('[data-testid="question-close"]').trigger('click')
    await flushPromises()
    expect(w.get('[data-testid="question-status"]').text()).toBe('已结束')
    expect(w.find('[data-testid="question-close"]').exists()).toBe(false)
  })

  it('staff answer from the queue and keep the answer as a guide', async () => {
    let current = question({ may_answer: true, may_close: true, may_follow_up: false })
    const { seen } = stubFetch((req) => {
      if (req.path.endsWith('/me')) return json(200, me('staff', { community, resident_id: null, household_id: null }))
      if (req.path === '/api/v1/questions/queue') return json(200, page([current]))
      if (req.path === '/api/v1/questions/1' && req.method === 'GET') return json(200, current)
      if (req.path === '/api/v1/questions/1/messages') {
        current = { ...current, status: 'answered', thread: [{ ...answer, author: { id: 42, name: '居委小陈' } }] }
        return json(201, current)
      }
      if (req.path === '/api/v1/questions/1/guide') {
        current = { ...current, saved_as_guide: true, guide_title: (req.body as { title?: string }).title ?? null, guide_notice_id: 77 }
        return json(200, current)
      }
      return json(404, {})
    })
    const { wrapper: w } = await mountSignedIn('/console/questions')
    await vi.waitFor(() => expect(w.find('[data-testid="question-row"]').exists()).toBe(true))
    expect(w.get('[data-testid="question-row"]').text()).toContain('待回复')
    expect(seen.find((r) => r.path === '/api/v1/questions/queue')).toBeTruthy()
    await w.get('[data-testid="question-link"]').trigger('click')
    await vi.waitFor(() => expect(w.find('[data-testid="question-thread"]').exists()).toBe(true))
    expect(w.text()).toContain('回复后才能存为指南')
    await w.get('[data-testid="question-message-body"]').setValue('带身份证到受理中心办理。')
    await w.get('form[aria-label="回复"]').trigger('submit')
    await flushPromises()
    expect(w.get('[data-testid="question-status"]').text()).toBe('已回复')
    await w.get('[data-testid="question-guide-title"]').setValue('敬老卡办理')
    await w.get('[data-testid="question-guide-save"]').trigger('submit')
    await flushPromises()
    expect(seen.find((r) => r.path.endsWith('/guide'))!.body).toEqual({ saved: true, title: '敬老卡办理' })
    expect(w.get('[data-testid="question-guide-saved"]').text()).toContain('敬老卡办理')
    expect(w.get('[data-testid="question-guide-notice"]').attributes('href')).toBe('/console/notices/77/edit')
  })
})
