import { describe, expect, it, vi } from 'vitest'
import { json, me, stubFetch } from './helpers'
import { useSignedInApp } from './mountApp'

const trendChart = vi.fn(() => ({ dispose() {} }))
const coverageChart = vi.fn(() => ({ dispose() {} }))
vi.mock('@/features/dashboard/charts', () => ({ trendChart, coverageChart }))

const at = '2026-11-20T02:00:00+00:00'
const myData = {
  generated_at: at,
  account: { id: 42, name: '张阿姨', phone: '13800000005', role: 'resident', created_at: at, last_login_at: at,
    privacy_version: '2026-11', privacy_accepted_at: at, consent_withdrawn_at: null },
  household: { id: 3, address: '丽水湾1号楼1单元101室', members: [
    { id: 9, name: '张阿姨', gender: 'female', birth_date: null, phone: '13800000005', id_card: '310***********0021', tags: [], is_me: true },
  ] },
  claims: [], cases: [{ id: 1 }, { id: 2 }], bookings: [], activity_signups: [], service_requests: [],
  form_submissions: [{ id: 4 }], care: [], has_notifications: true, deletion_request: null,
}
const request = (status: string) => ({ id: 7, user: { id: 42, name: '张阿姨' }, reason: null, withdrew_consent: false,
  status, created_at: at, decided_at: null, note: null })

describe('我的数据', () => {
  const mountSignedIn = useSignedInApp()

  it('shows what is held, asks for deletion and withdraws consent without a pop-up', async () => {
    const { seen } = stubFetch((req) => {
      if (req.path.endsWith('/me')) return json(200, me('resident'))
      if (req.path === '/api/v1/me/data') return json(200, myData)
      if (req.path === '/api/v1/me/deletion-request' && req.method === 'GET') return json(200, { request: null })
      if (req.path === '/api/v1/me/deletion-request') return json(201, request('pending'))
      if (req.path === '/api/v1/me/consent/withdraw') return json(201, { ...request('pending'), withdrew_consent: true })
      return json(404, {})
    })
    const { wrapper: w } = await mountSignedIn('/me/data')
    await vi.waitFor(() => expect(w.find('[data-testid="md-name"]').exists()).toBe(true))
    expect(w.get('[data-testid="md-member"]').text()).toContain('310***********0021')
    expect(w.get('[data-testid="md-count-cases"]').text()).toContain('2')
    await w.get('[data-testid="md-request"]').trigger('click')
    await vi.waitFor(() => expect(w.find('[data-testid="md-requested"]').exists()).toBe(true))
    expect(w.get('[data-testid="md-withdraw"]').attributes('disabled')).toBeDefined()
    await w.get('[data-testid="md-understood"]').setValue(true)
    await w.get('[data-testid="md-withdraw"]').trigger('click')
    await vi.waitFor(() => expect(w.find('[data-testid="consent-withdrawn"]').exists()).toBe(true))
    expect(seen.find((r) => r.path === '/api/v1/me/consent/withdraw')!.body).toEqual({ confirm: true })
  })
})

describe('数据看板', () => {
  const mountSignedIn = useSignedInApp()

  it('shows coverage, the sections and the trend, and draws the charts', async () => {
    stubFetch((req) => {
      if (req.path.endsWith('/me')) return json(200, me('staff'))
      if (req.path === '/api/v1/dashboard') {
        return json(200, {
          area: { id: 7, name: '丽水湾', kind: 'community' }, generated_at: at,
          coverage: { households: 2100, registered: 1500, verified: 1470, rate: 0.7,
            communities: [{ id: 7, name: '丽水湾', community: null, households: 2100, registered: 1500, verified: 1470, rate: 0.7 }],
            grids: [{ id: 21, name: '1号网格', community: '丽水湾', households: 130, registered: 100, verified: 91, rate: 0.7 }] },
          sections: [{ key: 'cases', title: '事项', metrics: [{ key: 'overdue', label: '已超期', value: 3, unit: null },
            { key: 'sla_compliance', label: '按期办结率', value: 0.912, unit: 'ratio' }], breakdown: {} }],
          weeks: ['2026-10-05', '2026-10-12'], trend: [{ name: '新增事项', values: [4, 6] }],
        })
      }
      return json(404, {})
    })
    const { wrapper: w } = await mountSignedIn('/console/dashboard')
    await vi.waitFor(() => expect(w.find('[data-testid="coverage-rate"]').exists()).toBe(true))
    expect(w.get('[data-testid="coverage-rate"]').text()).toBe('70.0%')
    expect(w.get('[data-testid="metric-cases-sla_compliance"]').text()).toBe('91.2%')
    expect(w.findAll('[data-testid="coverage-row"]')).toHaveLength(2)
    await vi.waitFor(() => expect(trendChart).toHaveBeenCalled())
    expect(coverageChart).toHaveBeenCalled()
  })
})
