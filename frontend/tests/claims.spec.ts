import { describe, expect, it } from 'vitest'
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { json, me, problem, stubFetch, type SeenRequest } from './helpers'
import { useSignedInApp } from './mountApp'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

function claim(id: number, name: string, over: Record<string, unknown> = {}) {
  return {
    id, status: 'pending', address: `丽水湾12号楼1单元${300 + id}室`, household_id: 30 + id,
    user: { id: 100 + id, name, phone: '138****0008' },
    created_at: '2026-03-01T09:30:00+08:00', reviewed_at: null, note: null, ...over,
  }
}

/** 通过 asks to confirm first (an open confirmation, e.g. after a failure, is confirmed directly). */
async function approve(w: VueWrapper, id: number) {
  if (!rowOf(w, id).find('[data-testid="claim-approve-confirm"]').exists()) {
    await rowOf(w, id).get('[data-testid="claim-approve"]').trigger('click')
  }
  await rowOf(w, id).get('[data-testid="claim-approve-confirm"]').trigger('click')
}

const PENDING = [claim(1, '赵美华'), claim(2, '钱大伟'), claim(3, '孙小红')]

/** A staff member's server: pending claims, a review endpoint, and claim 3 already reviewed elsewhere. */
function staffServer(onReview?: (req: SeenRequest) => Response | undefined, pending: ReturnType<typeof claim>[] = PENDING) {
  return stubFetch((req) => {
    if (req.path.endsWith('/me')) return json(200, me('staff', { resident_id: null, household_id: null }))
    const review = /\/household-claims\/(\d+)\/review$/.exec(req.path)
    if (review && req.method === 'POST') {
      const custom = onReview?.(req)
      if (custom) return custom
      const id = Number(review[1])
      if (id === 3) return problem(409, '冲突', '该认证申请已审核过。')
      const body = req.body as { decision: string; note?: string }
      const base = PENDING.find((c) => c.id === id)!
      return json(200, {
        ...base, status: body.decision === 'approve' ? 'approved' : 'rejected',
        reviewed_at: '2026-03-02T10:00:00+08:00', note: body.note ?? null,
      })
    }
    if (req.path.endsWith('/household-claims')) {
      const status = new URLSearchParams(req.search).get('status')
      if (status === 'pending') return json(200, { items: pending, next_cursor: null })
      return json(200, { items: [], next_cursor: null })
    }
    return json(404, {})
  })
}

const rowOf = (w: VueWrapper, id: number) => w.get(`[data-testid="claim-row"][data-claim-id="${id}"]`)
const reviews = (seen: SeenRequest[]) => seen.filter((r) => r.method === 'POST' && r.path.includes('/household-claims/'))

describe('household claims review (住户认证)', () => {
  const mountSignedIn = useSignedInApp()

  it('lists pending claims with the claimant, masked phone, address and date, and a badge on the tab', async () => {
    const { seen } = staffServer()
    const { wrapper: w } = await mountSignedIn('/console/claims')
    expect(w.get('[data-testid="nav-console-claims"]').text()).toContain('住户认证')
    expect(w.get('[data-testid="claims-badge"]').text()).toContain('3')
    expect(w.get('[data-testid="claims-badge"]').text()).toContain('3 条待审核')
    expect(w.get('[data-testid="claims-status-pending"]').attributes('aria-pressed')).toBe('true')
    const rows = w.findAll('[data-testid="claim-row"]')
    expect(rows).toHaveLength(3)
    const first = rows[0].text()
    expect(first).toContain('赵美华')
    expect(first).toContain('138****0008')
    expect(first).toContain('丽水湾12号楼1单元301室')
    expect(first).toContain('2026/03/01 09:30')
    expect(first).toContain('待审核')
    const list = seen.filter((r) => r.path.endsWith('/household-claims'))
    expect(list.every((r) => new URLSearchParams(r.search).get('status') === 'pending')).toBe(true)
  })

  it('approve: posts the decision with an Idempotency-Key and shows the new status in place', async () => {
    const { seen } = staffServer()
    const { wrapper: w } = await mountSignedIn('/console/claims')
    await approve(w, 1)
    await flushPromises()

    const [req] = reviews(seen)
    expect(req.path).toBe('/api/v1/household-claims/1/review')
    expect(req.body).toEqual({ decision: 'approve' })
    expect(req.headers.get('idempotency-key')).toMatch(UUID)
    const row = rowOf(w, 1)
    expect(row.get('[data-testid="claim-status"]').text()).toBe('已通过')
    expect(row.get('[data-testid="claim-done"]').text()).toContain('赵美华现在可以使用全部功能')
    expect(row.find('[data-testid="claim-approve"]').exists()).toBe(false)
    expect(w.findAll('[data-testid="claim-row"]')).toHaveLength(3) // stays in the list, with its new status
    expect(w.get('[data-testid="claims-badge"]').text()).toContain('2')
  })

  it('approve: shows who already lives there and asks to confirm; cancel sends nothing', async () => {
    const occupants = [{ id: 9, name: '赵老伯', phone: '139****1111', has_account: false }]
    const { seen } = staffServer(undefined, [claim(1, '赵美华', { occupants }), claim(2, '钱大伟', { occupants: [] })])
    const { wrapper: w } = await mountSignedIn('/console/claims')
    expect(rowOf(w, 1).get('[data-testid="claim-occupants"]').text()).toContain('赵老伯')
    expect(rowOf(w, 1).get('[data-testid="claim-occupants"]').text()).toContain('未注册账号')
    expect(rowOf(w, 2).get('[data-testid="claim-occupants"]').text()).toContain('该户还没有登记的居民')
    await rowOf(w, 1).get('[data-testid="claim-approve"]').trigger('click')
    const box = rowOf(w, 1).get('[data-testid="claim-approve-box"]')
    expect(box.text()).toContain('确认赵美华住在丽水湾12号楼1单元301室')
    expect(box.text()).toContain('该户已登记 1 名居民')
    await rowOf(w, 1).get('[data-testid="claim-approve-cancel"]').trigger('click')
    expect(rowOf(w, 1).find('[data-testid="claim-approve-box"]').exists()).toBe(false)
    expect(reviews(seen)).toHaveLength(0)
  })

  it('reject: asks for an optional note inline (no dialog) and sends it', async () => {
    const { seen } = staffServer()
    const { wrapper: w } = await mountSignedIn('/console/claims')
    const row = () => rowOf(w, 2)
    expect(row().find('[data-testid="claim-reject-note"]').exists()).toBe(false)
    await row().get('[data-testid="claim-reject"]').trigger('click')
    expect(reviews(seen)).toHaveLength(0) // nothing sent yet
    expect(document.querySelector('[role="dialog"], .van-dialog, .van-popup')).toBeNull()
    const note = row().get('[data-testid="claim-reject-note"]')
    expect(w.get(`label[for="${note.attributes('id')}"]`).text()).toContain('不通过的原因')

    // cancelling closes the box without sending anything
    await row().get('[data-testid="claim-reject-cancel"]').trigger('click')
    expect(row().find('[data-testid="claim-reject-note"]').exists()).toBe(false)
    await row().get('[data-testid="claim-reject"]').trigger('click')

    await row().get('[data-testid="claim-reject-note"]').setValue('  经上门核实，该户无此人 ')
    await row().get('[data-testid="claim-reject-confirm"]').trigger('click')
    await flushPromises()

    const [req] = reviews(seen)
    expect(req.body).toEqual({ decision: 'reject', note: '经上门核实，该户无此人' })
    expect(row().get('[data-testid="claim-status"]').text()).toBe('未通过')
    expect(row().get('[data-testid="claim-note"]').text()).toBe('经上门核实，该户无此人')
    expect(row().get('[data-testid="claim-done"]').text()).toContain('已标记为不通过')
  })

  it('reject without a note sends no note', async () => {
    const { seen } = staffServer()
    const { wrapper: w } = await mountSignedIn('/console/claims')
    await rowOf(w, 2).get('[data-testid="claim-reject"]').trigger('click')
    await rowOf(w, 2).get('[data-testid="claim-reject-confirm"]').trigger('click')
    await flushPromises()
    expect(reviews(seen)[0].body).toEqual({ decision: 'reject' })
  })

  it('409: a claim already reviewed elsewhere shows the server message on that claim', async () => {
    staffServer()
    const { wrapper: w } = await mountSignedIn('/console/claims')
    await approve(w, 3)
    await flushPromises()
    const alert = rowOf(w, 3).get('[role="alert"]')
    expect(alert.text()).toContain('审核没有成功')
    expect(alert.text()).toContain('该认证申请已审核过。')
    expect(rowOf(w, 3).find('[data-testid="claim-refresh"]').exists()).toBe(true)
    // its buttons are gone: it is no longer waiting, whatever the other reviewer decided
    expect(rowOf(w, 3).find('[data-testid="claim-approve"]').exists()).toBe(false)
    expect(rowOf(w, 3).find('[data-testid="claim-reject"]').exists()).toBe(false)
    expect(rowOf(w, 1).find('[role="alert"]').exists()).toBe(false)
  })

  it('retrying after a network failure reuses the Idempotency-Key; another claim gets a new one', async () => {
    let failNext = true
    const { seen } = staffServer(() => {
      if (failNext) {
        failNext = false
        throw new TypeError('Failed to fetch')
      }
      return undefined
    })
    const { wrapper: w } = await mountSignedIn('/console/claims')
    await approve(w, 1)
    await flushPromises()
    expect(rowOf(w, 1).get('[role="alert"]').text()).toContain('网络连接失败')
    expect(rowOf(w, 1).get('[data-testid="claim-status"]').text()).toBe('待审核')

    await approve(w, 1)
    await flushPromises()
    expect(rowOf(w, 1).get('[data-testid="claim-status"]').text()).toBe('已通过')

    await approve(w, 2)
    await flushPromises()
    const keys = reviews(seen).map((r) => r.headers.get('idempotency-key'))
    expect(keys).toHaveLength(3)
    expect(keys[0]).toMatch(UUID)
    expect(keys[1]).toBe(keys[0])
    expect(keys[2]).not.toBe(keys[0])
  })

  it('filters by status and shows an empty state', async () => {
    const { seen } = staffServer()
    const { wrapper: w } = await mountSignedIn('/console/claims')
    await w.get('[data-testid="claims-status-rejected"]').trigger('click')
    await flushPromises()
    expect(new URLSearchParams(seen.at(-1)!.search).get('status')).toBe('rejected')
    expect(w.get('[data-testid="claims-empty"]').text()).toContain('暂无未通过的申请')
  })

  it('loads more by cursor', async () => {
    const { seen } = stubFetch((req) => {
      if (req.path.endsWith('/me')) return json(200, me('staff'))
      const cursor = new URLSearchParams(req.search).get('cursor')
      if (cursor === 'c2') return json(200, { items: [claim(9, '周阿婆')], next_cursor: null })
      return json(200, { items: [claim(1, '赵美华')], next_cursor: 'c2' })
    })
    const { wrapper: w } = await mountSignedIn('/console/claims')
    await w.get('[data-testid="claims-more"]').trigger('click')
    await flushPromises()
    expect(new URLSearchParams(seen.at(-1)!.search).get('cursor')).toBe('c2')
    expect(w.findAll('[data-testid="claim-row"]')).toHaveLength(2)
    expect(w.find('[data-testid="claims-more"]').exists()).toBe(false)
  })

  it('is for staff only: a partner is sent back to the console overview', async () => {
    stubFetch((req) => (req.path.endsWith('/me') ? json(200, me('partner')) : json(404, {})))
    const { wrapper: w, router } = await mountSignedIn('/console/claims')
    expect(router.currentRoute.value.fullPath).toBe('/console')
    expect(w.find('[data-testid="nav-console-claims"]').exists()).toBe(false)
  })
})
