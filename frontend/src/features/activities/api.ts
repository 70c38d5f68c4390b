// The calls of activities (文化活动, 志愿服务) and sign-ups, on the typed client generated from openapi.yaml.
import { client } from '@/api/client'
import { unwrap, unwrapVersioned, type Complete, type Versioned } from '@/api'
import type { paths } from '@/api/schema'

type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : never
type Ok<Op> = Op extends { responses: infer R } ? JsonOf<R[Extract<keyof R, 200 | 201>]> : never
type Body<Op> = Op extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never
type Query<Op> = Op extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never
type Nullable<T> = Exclude<T, Record<string, never>> | null

type RawActivity = Complete<Ok<paths['/activities/{activity_id}']['get']>>
export type Activity = Omit<RawActivity, 'unit'> & { unit: Nullable<RawActivity['unit']> }
export type ActivityKind = Activity['kind']
export type ActivityStatus = Activity['status']
export type ActivityQuery = Query<paths['/activities']['get']>
export type ActivityCreate = Body<paths['/activities']['post']>
export type ActivityPatch = Body<paths['/activities/{activity_id}']['patch']>
export type ActivityStep = 'publish' | 'cancel' | 'complete'
export type Signup = Complete<Ok<paths['/activity-signups/{signup_id}']['get']>>
export type SignupStatus = Signup['status']
export type HoursRow = Complete<Ok<paths['/activities/volunteer-hours']['get']>>['items'][number]
export type Page<T> = { items: T[]; next_cursor: string | null }

export const ACTIVITY_KINDS = ['culture', 'volunteer'] as const satisfies readonly ActivityKind[]
export const ACTIVITY_STATUSES = ['draft', 'published', 'cancelled', 'completed'] as const satisfies readonly ActivityStatus[]

const idem = (key: string) => ({ 'Idempotency-Key': key })

export const activitiesApi = {
  activities(query: ActivityQuery): Promise<Page<Activity>> {
    return unwrap(client.GET('/activities', { params: { query } })) as Promise<Page<Activity>>
  },

  activity(id: number): Promise<Versioned<Activity>> {
    return unwrapVersioned(client.GET('/activities/{activity_id}', { params: { path: { activity_id: id } } })) as Promise<Versioned<Activity>>
  },

  create(body: ActivityCreate, key: string): Promise<Versioned<Activity>> {
    return unwrapVersioned(client.POST('/activities', { params: { header: idem(key) }, body })) as Promise<Versioned<Activity>>
  },

  update(id: number, body: ActivityPatch, etag: string): Promise<Versioned<Activity>> {
    return unwrapVersioned(client.PATCH('/activities/{activity_id}', {
      params: { path: { activity_id: id }, header: { 'If-Match': etag } }, body,
    })) as Promise<Versioned<Activity>>
  },

  /** publish; cancel (a note, required: residents are told why); complete (a summary). */
  step(id: number, step: ActivityStep, note: string | undefined, key: string): Promise<Activity> {
    const path = `/activities/{activity_id}/${step}` as '/activities/{activity_id}/publish'
    return unwrap(client.POST(path, {
      params: { path: { activity_id: id }, header: idem(key) }, body: note ? { note } : {},
    })) as Promise<Activity>
  },

  signups(id: number): Promise<Signup[]> {
    return unwrap(client.GET('/activities/{activity_id}/signups', { params: { path: { activity_id: id } } }))
      .then((r) => r.items as Signup[])
  },

  signUp(id: number, asVolunteer: boolean, key: string): Promise<Signup> {
    return unwrap(client.POST('/activities/{activity_id}/signups', {
      params: { path: { activity_id: id }, header: idem(key) }, body: { as_volunteer: asVolunteer },
    })) as Promise<Signup>
  },

  checkInByCode(id: number, code: string, key: string): Promise<Signup> {
    return unwrap(client.POST('/activities/{activity_id}/check-in', {
      params: { path: { activity_id: id }, header: idem(key) }, body: { code },
    })) as Promise<Signup>
  },

  mySignups(query: { limit?: number; cursor?: string } = {}): Promise<Page<Signup>> {
    return unwrap(client.GET('/activity-signups', { params: { query } })) as Promise<Page<Signup>>
  },

  cancelSignup(id: number, key: string): Promise<Signup> {
    return unwrap(client.POST('/activity-signups/{signup_id}/cancel', {
      params: { path: { signup_id: id }, header: idem(key) }, body: {},
    })) as Promise<Signup>
  },

  checkInSignup(id: number, key: string): Promise<Signup> {
    return unwrap(client.POST('/activity-signups/{signup_id}/check-in', {
      params: { path: { signup_id: id }, header: idem(key) }, body: {},
    })) as Promise<Signup>
  },

  hours(query: { since?: string; until?: string } = {}): Promise<HoursRow[]> {
    return unwrap(client.GET('/activities/volunteer-hours', { params: { query } })).then((r) => r.items as HoursRow[])
  },
}

/** Letters and digits as the API accepts a code (4–12; spaces and dashes are allowed and ignored). */
export function normaliseCode(raw: string): string {
  return raw.trim().toUpperCase().replace(/[^0-9A-Z\- ]/g, '')
}
export const CODE_PATTERN = /^[0-9A-Za-z\- ]{4,12}$/
