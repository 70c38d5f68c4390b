// 结对关爱 (care pairs): the calls and types of the `care` tag of openapi.yaml, and the volunteers and
// households a pair is made of. Types come from the generated paths, like those in src/api/types.ts.
import { client } from '@/api/client'
import { unwrap, type Complete } from '@/api'
import type { paths } from '@/api/schema'

type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : never
type Ok<Op> = Op extends { responses: infer R } ? JsonOf<R[Extract<keyof R, 200 | 201>]> : never
type Body<Op> = Op extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never
/** "null or an object" is spelt in the spec as an empty object type beside the real one. */
type Nullable<T> = Exclude<T, Record<string, never> | null> | null

type RawPair = Complete<Ok<paths['/care/pairs/{pair_id}']['get']>>
export type PersonBrief = Exclude<RawPair['volunteer'], Record<string, never> | null>
export type UnitBrief = Exclude<RawPair['unit'], Record<string, never> | null>
export type CarePair = Omit<RawPair, 'volunteer' | 'unit'> & { volunteer: PersonBrief | null; unit: UnitBrief | null }
export interface CarePairPage { items: CarePair[]; next_cursor: string | null }
export type PairQuery = NonNullable<paths['/care/pairs']['get']['parameters']['query']>
export type PairCreate = Body<paths['/care/pairs']['post']>

type RawVisit = Complete<Ok<paths['/care/pairs/{pair_id}/visits']['post']>>
export type CareVisit = Omit<RawVisit, 'volunteer'> & { volunteer: Nullable<RawVisit['volunteer']> }
export interface CareVisitPage { items: CareVisit[]; next_cursor: string | null }
export type VisitCreate = Body<paths['/care/pairs/{pair_id}/visits']['post']>
export type VisitKind = VisitCreate['kind']

export type CareHours = Complete<Ok<paths['/care/hours']['get']>>
export type HoursQuery = NonNullable<paths['/care/hours']['get']['parameters']['query']>
export type HoursRow = CareHours['volunteers'][number]

type RawMyCare = Complete<Ok<paths['/care/my-household']['get']>>['items'][number]
export type MyCare = Omit<RawMyCare, 'volunteer' | 'unit'> & { volunteer: PersonBrief | null; unit: UnitBrief | null }

export type UserPage = Complete<Ok<paths['/users']['get']>>
export type UserItem = UserPage['items'][number]
export type UserQuery = NonNullable<paths['/users']['get']['parameters']['query']>

export type UnitQuery = NonNullable<paths['/units']['get']['parameters']['query']>
export type UnitItem = Complete<Ok<paths['/units']['get']>>['items'][number]
export interface UnitPage { items: UnitItem[]; next_cursor: string | null }

/** The kinds of visit, in the order the volunteer's form offers them. */
export const VISIT_KINDS = ['visit', 'lunch', 'haircut', 'shopping', 'escort'] as const satisfies readonly VisitKind[]
/** Quick choices of minutes (anything else from 5 to 600 under "other"). */
export const QUICK_MINUTES = [15, 30, 60, 90] as const
export const MINUTES_MIN = 5
export const MINUTES_MAX = 600
/** No visit for this many days flags a household (the server's rule, for the wording). */
export const OVERDUE_DAYS = 14

const idem = (key: string) => ({ 'Idempotency-Key': key })

export const careApi = {
  pairs(query: PairQuery): Promise<CarePairPage> {
    return unwrap(client.GET('/care/pairs', { params: { query } })) as Promise<CarePairPage>
  },

  pair(pairId: number): Promise<CarePair> {
    return unwrap(client.GET('/care/pairs/{pair_id}', { params: { path: { pair_id: pairId } } })) as Promise<CarePair>
  },

  createPair(body: PairCreate, idempotencyKey: string): Promise<CarePair> {
    return unwrap(client.POST('/care/pairs', { params: { header: idem(idempotencyKey) }, body })) as Promise<CarePair>
  },

  endPair(pairId: number, reason: string, idempotencyKey: string): Promise<CarePair> {
    return unwrap(client.POST('/care/pairs/{pair_id}/end', {
      params: { path: { pair_id: pairId }, header: idem(idempotencyKey) }, body: { reason },
    })) as Promise<CarePair>
  },

  visits(pairId: number, query: { limit?: number; cursor?: string } = {}): Promise<CareVisitPage> {
    return unwrap(client.GET('/care/pairs/{pair_id}/visits', {
      params: { path: { pair_id: pairId }, query },
    })) as Promise<CareVisitPage>
  },

  logVisit(pairId: number, body: VisitCreate, idempotencyKey: string): Promise<CareVisit> {
    return unwrap(client.POST('/care/pairs/{pair_id}/visits', {
      params: { path: { pair_id: pairId }, header: idem(idempotencyKey) }, body,
    })) as Promise<CareVisit>
  },

  hours(query: HoursQuery = {}): Promise<CareHours> {
    return unwrap(client.GET('/care/hours', { params: { query } })) as Promise<CareHours>
  },

  async myHousehold(): Promise<MyCare[]> {
    const page = await unwrap(client.GET('/care/my-household'))
    return (page as { items: MyCare[] }).items
  },

  users(query: UserQuery): Promise<UserPage> {
    return unwrap(client.GET('/users', { params: { query } })) as Promise<UserPage>
  },

  units(query: UnitQuery): Promise<UnitPage> {
    return unwrap(client.GET('/units', { params: { query } })) as Promise<UnitPage>
  },
}
