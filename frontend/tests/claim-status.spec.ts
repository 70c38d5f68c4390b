import { describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { json, me, stubFetch } from './helpers'
import { useSignedInApp } from './mountApp'

const community = { id: 7, name: '丽水湾', code: 'LSW', office_phone: '021-57461234' }
const rejected = { id: 5, status: 'rejected', address: '丽水湾12号楼1单元302室', note: '经上门核实，该户无此人' }

function server(claim: Record<string, unknown> | null, after?: Record<string, unknown>) {
  let claimed = false
  return stubFetch((req) => {
    if (req.path.endsWith('/me')) {
      return json(200, me('resident', { household_id: null, resident_id: null, community, claim: claimed ? after : claim }))
    }
    if (req.path.endsWith('/public/communities')) return json(200, { items: [community] })
    if (req.path.endsWith('/public/communities/7/buildings')) {
      return json(200, { items: [{ building: '12', units: [{ stairwell_id: 120, unit: '1', label: '12号楼1单元' }] }] })
    }
    if (req.path.endsWith('/public/stairwells/120/rooms')) return json(200, { items: [{ household_id: 303, room: '303' }] })
    if (req.path.endsWith('/me/household-claims')) {
      claimed = true
      return json(201, after)
    }
    return json(404, {})
  })
}

describe('household claim states', () => {
  const mountSignedIn = useSignedInApp()

  it('pending: one clear state, the committee phone to call, and no 添加家庭成员', async () => {
    server({ id: 5, status: 'pending', address: '丽水湾12号楼1单元302室', note: null })
    const { wrapper: w } = await mountSignedIn('/household')
    const card = w.get('[data-testid="claim-pending"]')
    expect(card.text()).toContain('等待居委会核实')
    expect(card.text()).not.toContain('未通过')
    expect(w.get('[data-testid="office-phone"]').attributes('href')).toBe('tel:021-57461234')
    expect(w.find('[data-testid="household-add-member"]').exists()).toBe(false)
    expect(w.find('[data-testid="claim-resubmit"]').exists()).toBe(false)
  })

  it('rejected on the home screen: says so with the note and the phone, never "waiting", and links to correct it', async () => {
    server(rejected)
    const { wrapper: w } = await mountSignedIn('/')
    const card = w.get('[data-testid="claim-rejected"]')
    expect(card.text()).toContain('住址未通过核实')
    expect(card.text()).toContain('经上门核实，该户无此人')
    expect(card.text()).not.toContain('等待')
    expect(w.find('[data-testid="claim-pending"]').exists()).toBe(false)
    expect(w.get('[data-testid="office-phone"]').attributes('href')).toBe('tel:021-57461234')
    expect(w.get('[data-testid="claim-fix"]').attributes('href')).toBe('/household')
  })

  it('rejected: the address is picked again and sent; then the claim is pending', async () => {
    const { seen } = server(rejected, { id: 6, status: 'pending', address: '丽水湾12号楼1单元303室', note: null })
    const { wrapper: w } = await mountSignedIn('/household')
    expect(w.get('[data-testid="claim-rejected"]').text()).toContain('经上门核实，该户无此人')
    const form = w.get('[data-testid="claim-resubmit"]')
    await form.trigger('submit')
    expect(form.text()).toContain('请选择您家的室号')
    expect(seen.some((r) => r.path.endsWith('/me/household-claims'))).toBe(false)
    await flushPromises()
    // the community of the claim is chosen already
    expect((w.get('[data-testid="pick-community"]').element as HTMLSelectElement).value).toBe('7')
    await w.get('[data-testid="pick-building"]').setValue('12')
    await flushPromises()
    await w.get('[data-testid="pick-room"]').setValue('303')
    await w.get('[data-testid="claim-resubmit"]').trigger('submit')
    await flushPromises()
    const post = seen.find((r) => r.path.endsWith('/me/household-claims'))!
    expect(post.body).toEqual({ household_id: 303 })
    expect(post.headers.get('idempotency-key')).toBeTruthy()
    await vi.waitFor(() => expect(w.find('[data-testid="claim-pending"]').exists()).toBe(true))
    expect(w.text()).toContain('丽水湾12号楼1单元303室')
    expect(w.find('[data-testid="claim-rejected"]').exists()).toBe(false)
  })
})
