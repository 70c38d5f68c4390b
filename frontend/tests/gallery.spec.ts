import { describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { json, me, stubFetch } from './helpers'
import { useSignedInApp } from './mountApp'

const activity = {
  id: 5, kind: 'culture', title: '冬至包馄饨', description: '', place: '睦邻点食堂', area: { id: 2, name: '丽水湾', full_name: '丽水湾', code: 'LSW' },
  unit: null, starts_at: '2026-01-07T06:00:00+00:00', ends_at: '2026-01-07T08:00:00+00:00', signup_deadline: '2026-01-06T18:00:00+00:00',
  capacity: 30, booked: 1, seats_left: 29, volunteer_minutes: 0, audience: 'all', required_tags: [], min_age: null, status: 'completed',
  summary: null, ineligible_reason: null, allowed_steps: [], version: 1,
}
const photo = (id: number, caption: string | null = null) => ({
  id, caption, width: 1200, height: 900, created_at: '2026-01-07T08:00:00+00:00',
  url: `/api/v1/activities/5/photos/${id}`, thumbnail_url: `/api/v1/activities/5/photos/${id}?size=thumb`,
})

describe('activity photos (gallery)', () => {
  const mountSignedIn = useSignedInApp()

  it('shows a resident the photos of an activity that has taken place, without an upload button', async () => {
    stubFetch((req) => {
      if (req.path.endsWith('/me')) return json(200, me('resident'))
      if (req.path === '/api/v1/activities/5') return json(200, activity)
      if (req.path === '/api/v1/activity-signups') return json(200, { items: [], next_cursor: null })
      if (req.path === '/api/v1/activities/5/photos') return json(200, { items: [photo(1, '包馄饨'), photo(2)] })
      return json(404, {})
    })
    const { wrapper: w } = await mountSignedIn('/activities/5')
    await vi.waitFor(() => expect(w.findAll('[data-testid="gallery-photo"]')).toHaveLength(2), { timeout: 3000 })
    expect(w.get('[data-testid="gallery"]').text()).toContain('活动照片')
    expect(w.find('[data-testid="gallery-add"]').exists()).toBe(false)
    expect(w.find('[data-testid="gallery-remove"]').exists()).toBe(false)
  })

  it('says so when there are no photos yet', async () => {
    stubFetch((req) => {
      if (req.path.endsWith('/me')) return json(200, me('resident'))
      if (req.path === '/api/v1/activities/5') return json(200, activity)
      if (req.path === '/api/v1/activity-signups') return json(200, { items: [], next_cursor: null })
      if (req.path === '/api/v1/activities/5/photos') return json(200, { items: [] })
      return json(404, {})
    })
    const { wrapper: w } = await mountSignedIn('/activities/5')
    await vi.waitFor(() => expect(w.find('[data-testid="gallery-empty"]').exists()).toBe(true), { timeout: 3000 })
    expect(w.get('[data-testid="gallery-empty"]').text()).toBe('还没有照片')
  })

  it('lets staff remove a photo from the console', async () => {
    const { seen } = stubFetch((req) => {
      if (req.path.endsWith('/me')) return json(200, me('staff'))
      if (req.path === '/api/v1/activities/5') return json(200, activity, { ETag: '"5.1"' })
      if (req.path === '/api/v1/activities/5/signups') return json(200, { items: [] })
      if (req.path === '/api/v1/activities/5/photos') return json(200, { items: [photo(1), photo(2)] })
      if (req.path === '/api/v1/activities/5/photos/1' && req.method === 'DELETE') return new Response(null, { status: 204 })
      if (req.path.startsWith('/api/v1/areas')) return json(200, { items: [] })
      return json(404, {})
    })
    const { wrapper: w } = await mountSignedIn('/console/activities/5')
    await vi.waitFor(() => expect(w.findAll('[data-testid="gallery-photo"]')).toHaveLength(2), { timeout: 3000 })
    expect(w.find('[data-testid="gallery-add"]').exists()).toBe(true)
    await w.findAll('[data-testid="gallery-photo"]')[0].trigger('click')
    await w.get('[data-testid="gallery-remove"]').trigger('click')
    await flushPromises()
    expect(seen.some((r) => r.method === 'DELETE' && r.path === '/api/v1/activities/5/photos/1')).toBe(true)
    await vi.waitFor(() => expect(w.findAll('[data-testid="gallery-photo"]')).toHaveLength(1))
  })
})
