import { describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { json, me, residentOut, stubFetch } from './helpers'
import { useSignedInApp } from './mountApp'

const gridArea = { id: 21, parent_id: 10, kind: 'grid', name: '1号网格', code: 'G1', path: '/1/7/10/21/', depth: 3 }

function volunteerServer() {
  return stubFetch((req) => {
    if (req.path.endsWith('/me')) return json(200, me('volunteer', { area: gridArea }))
    if (req.path === '/api/v1/residents') {
      const tag = new URLSearchParams(req.search).get('tag')
      const items = tag === 'hardship' ? [] : [residentOut({ name: '周奶奶', tags: ['elderly_alone'] })]
      return json(200, { items, next_cursor: null })
    }
    if (req.path === '/api/v1/households') {
      return json(200, { items: [{ id: 3, room: '302', address: '丽水湾12号楼1单元302室' }], next_cursor: null })
    }
    if (req.path === '/api/v1/households/3') {
      return json(200, {
        id: 3, room: '302', address: '丽水湾12号楼1单元302室', stairwell: { id: 120, building: '12', unit: '1', label: '12号楼1单元' },
        grid: { id: 21, name: '1号网格', code: 'G1', full_name: '丽水湾 1号网格' }, community: { id: 7, name: '丽水湾', code: 'LSW' },
        residents: [residentOut({ name: '周奶奶' })],
      })
    }
    return json(404, {})
  })
}

describe('我的网格 (volunteers)', () => {
  const mountSignedIn = useSignedInApp()

  it('is the first tile on a volunteer home', async () => {
    volunteerServer()
    const { wrapper: w } = await mountSignedIn('/')
    expect(w.get('[data-testid="entry-grid"]').attributes('href')).toBe('/grid')
    expect(w.findAll('.entry-grid__label')[0].text()).toBe('我的网格')
  })

  it('lists the grid residents, 独居老人 first, filters by tag, and opens a household to its members', async () => {
    const { seen } = volunteerServer()
    const { wrapper: w } = await mountSignedIn('/grid')
    expect(w.get('[data-testid="grid-area"]').text()).toContain('丽水湾 1号网格')
    expect(new URLSearchParams(seen.find((r) => r.path === '/api/v1/residents')!.search).get('tag')).toBe('elderly_alone')
    expect(w.get('[data-testid="grid-residents"]').text()).toContain('周奶奶')
    expect(w.get('[data-testid="grid-residents"]').text()).toContain('独居老人')
    await w.get('[data-testid="grid-tag-hardship"]').trigger('click')
    await flushPromises()
    expect(w.get('[data-testid="grid-empty"]').text()).toContain('困难家庭')

    await w.get('[data-testid="grid-tab-households"]').trigger('click')
    await flushPromises()
    expect(new URLSearchParams(seen.find((r) => r.path === '/api/v1/households')!.search).get('area_id')).toBe('21')
    const head = w.get('[data-testid="grid-household"] button')
    expect(head.attributes('aria-expanded')).toBe('false')
    await head.trigger('click')
    await vi.waitFor(() => expect(w.get('[data-testid="grid-household"]').text()).toContain('周奶奶'))
    expect(head.attributes('aria-expanded')).toBe('true')
  })

  it('is for volunteers only', async () => {
    stubFetch((req) => (req.path.endsWith('/me') ? json(200, me('resident')) : json(404, {})))
    const { router } = await mountSignedIn('/grid')
    expect(router.currentRoute.value.fullPath).toBe('/')
  })
})
