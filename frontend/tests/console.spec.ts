import { describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { json, me, residentOut, stubFetch } from './helpers'
import { useSignedInApp } from './mountApp'

const stats = (id: number, name: string, kind: string, residents: number) => ({
  area: { id, parent_id: 1, kind, name, code: name, path: `/1/${id}/`, depth: 1 },
  sections: 3, grids: 16, stairwells: 284, households: 2100, residents,
  tags: { elderly_alone: 12, hardship: 3, party_member: 41, volunteer: 8 },
})

describe('console', () => {
  const mountSignedIn = useSignedInApp()

  it('residents: the total, a note on residents vs households, grid and building filters, a table', async () => {
    const { seen } = stubFetch((req) => {
      if (req.path.endsWith('/me')) return json(200, me('staff'))
      if (req.path === '/api/v1/areas') {
        return json(200, { items: [
          { id: 21, parent_id: 10, kind: 'grid', name: '1号网格', code: 'G1', path: '/1/7/10/21/', depth: 3, full_name: '丽水湾 1号网格' },
          { id: 22, parent_id: 10, kind: 'grid', name: '2号网格', code: 'G2', path: '/1/7/10/22/', depth: 3 },
        ], next_cursor: null })
      }
      if (req.path === '/api/v1/residents') {
        return json(200, { items: [residentOut({ grid: { id: 21, name: '1号网格', code: 'G1', full_name: '丽水湾 1号网格' } })], next_cursor: 'c2', total: 5230 })
      }
      return json(200, { items: [], next_cursor: null })
    })
    const { wrapper: w } = await mountSignedIn('/console/residents')
    expect(w.get('[data-testid="residents-count"]').text()).toBe('共 5230 人，已显示 1 人')
    expect(w.get('[data-testid="residents-note"]').text()).toContain('一户可以有多名居民')
    const table = w.get('table[data-testid="residents-list"]')
    expect(table.findAll('th[scope="col"]').map((th) => th.text())).toEqual(['姓名', '标签', '电话', '身份证', '住址', '网格'])
    expect(table.text()).toContain('丽水湾 1号网格')
    const options = w.findAll('[data-testid="residents-grid"] option').map((o) => o.text())
    expect(options).toEqual(['全部', '丽水湾 1号网格', '2号网格'])

    await w.get('[data-testid="residents-grid"]').setValue('21')
    await flushPromises()
    expect(new URLSearchParams(seen.filter((r) => r.path === '/api/v1/residents').at(-1)!.search).get('area_id')).toBe('21')
    await w.get('[data-testid="residents-building"]').setValue('12号楼')
    await w.get('form[role="search"]').trigger('submit')
    await flushPromises()
    const q = new URLSearchParams(seen.filter((r) => r.path === '/api/v1/residents').at(-1)!.search)
    expect(q.get('building')).toBe('12')
    expect(q.get('area_id')).toBe('21')
  })

  it('audit log: filters by action and actor; the IP column only when the server sends addresses', async () => {
    const entry = (id: number, ip: string | null) => ({
      id, at: '2026-11-27T09:00:00+08:00', actor_id: 3, actor_role: 'staff', action: 'resident.reveal',
      resource_type: 'resident', resource_id: '5', ip, request_id: 'r', detail: { field: 'phone', reason: '上门走访' },
    })
    let withIp = false
    const { seen } = stubFetch((req) => {
      if (req.path.endsWith('/me')) return json(200, me('staff'))
      if (req.path === '/api/v1/audit-events') return json(200, { items: [entry(1, withIp ? '10.0.0.8' : null)], next_cursor: null })
      return json(200, { items: [], next_cursor: null })
    })
    const { wrapper: w } = await mountSignedIn('/console/audit')
    expect(w.get('[data-testid="audit-list"]').text()).toContain('查看完整号码')
    expect(w.get('[data-testid="audit-list"]').text()).toContain('上门走访')
    expect(w.find('[data-testid="audit-ip-col"]').exists()).toBe(false)
    await w.get('[data-testid="audit-action"]').setValue('resident.reveal')
    await w.get('[data-testid="audit-actor"]').setValue('3')
    withIp = true
    await w.get('form[role="search"]').trigger('submit')
    await flushPromises()
    const q = new URLSearchParams(seen.filter((r) => r.path === '/api/v1/audit-events').at(-1)!.search)
    expect(q.get('action')).toBe('resident.reveal')
    expect(q.get('actor_id')).toBe('3')
    expect(w.get('[data-testid="audit-ip-col"]').text()).toBe('IP 地址')
    expect(w.text()).toContain('10.0.0.8')
    expect(w.get('[data-testid="nav-console-audit"]').text()).toContain('审计日志')
  })

  it('town staff see the figures per community', async () => {
    stubFetch((req) => {
      if (req.path.endsWith('/me')) return json(200, me('town_staff', { area: { id: 1, parent_id: null, kind: 'town', name: '庄行镇', code: 'ZH', path: '/1/', depth: 0 }, community: null }))
      if (req.path === '/api/v1/areas/1/stats') return json(200, stats(1, '庄行镇', 'town', 9000))
      if (req.path === '/api/v1/areas/1/children-stats') return json(200, { items: [stats(7, '丽水湾', 'community', 5230), stats(8, '庄行新苑', 'community', 3770)] })
      return json(200, { items: [], next_cursor: null })
    })
    const { wrapper: w } = await mountSignedIn('/console')
    await vi.waitFor(() => expect(w.find('[data-testid="children-stats"]').exists()).toBe(true))
    const rows = w.findAll('[data-testid="child-row"]').map((r) => r.text())
    expect(rows[0]).toContain('丽水湾')
    expect(rows[0]).toContain('5,230')
    expect(rows[1]).toContain('庄行新苑')
    expect(w.get('[data-testid="children-stats"]').text()).toContain('各居民区概况')
  })

  it('我的 stays in the console, with change password there', async () => {
    stubFetch((req) => (req.path.endsWith('/me') ? json(200, me('staff', { phone: '13800000002' })) : json(200, { items: [], next_cursor: null })))
    const { wrapper: w, router } = await mountSignedIn('/me')
    expect(router.currentRoute.value.fullPath).toBe('/console/me')
    expect(w.find('[data-testid="console-title"]').exists()).toBe(true)
    expect(w.get('[data-testid="me-phone"]').text()).toContain('138****0002')
    await w.get('[data-testid="me-password"]').trigger('click')
    await vi.waitFor(() => expect(w.find('[data-testid="password-form"]').exists()).toBe(true), { timeout: 10_000 })
    expect(router.currentRoute.value.fullPath).toBe('/console/me/password')
    expect(w.find('[data-testid="console-title"]').exists()).toBe(true)
  })
})
