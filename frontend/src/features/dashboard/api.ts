import { client } from '@/api/client'
import { unwrap, type Complete } from '@/api'
import type { paths } from '@/api/schema'

type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : never
type Ok<Op> = Op extends { responses: infer R } ? JsonOf<R[Extract<keyof R, 200>]> : never

export type Dashboard = Complete<Ok<paths['/dashboard']['get']>>
export type CoverageRow = Dashboard['coverage']['grids'][number]
export type DashboardSection = Dashboard['sections'][number]

export const dashboardApi = {
  get(areaId?: number): Promise<Dashboard> {
    return unwrap(client.GET('/dashboard', { params: { query: areaId ? { area_id: areaId } : {} } })) as Promise<Dashboard>
  },
}

/** A metric's value as text: ratios as percentages. */
export function metricText(value: unknown, unit?: string | null): string {
  if (value === null || value === undefined) return '—'
  if (unit === 'ratio' && typeof value === 'number') return `${(value * 100).toFixed(1)}%`
  return String(value)
}
