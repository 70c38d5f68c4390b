// The calls of the Red Grid cases screens, typed from the generated OpenAPI paths. Each returns the data or
// throws an ApiError (problem+json mapped), like `api` in src/api.
import { client } from '@/api/client'
import { sendForm } from '@/api/form'
import { unwrap, unwrapVersioned, type Complete, type Versioned } from '@/api'
import type { paths } from '@/api/schema'

type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : never
type Ok<Op> = Op extends { responses: infer R } ? JsonOf<R[Extract<keyof R, 200 | 201>]> : never
type BodyOf<Op> = Op extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never

export type CasePage = Complete<Ok<paths['/cases']['get']>>
export type Case = CasePage['items'][number]
export type CaseStatus = Case['status']
export type CaseMode = Case['mode']
export type CaseLevel = Case['level']
export type CaseQuery = NonNullable<paths['/cases']['get']['parameters']['query']>
export type CaseIn = BodyOf<paths['/cases']['post']>
export type CasePatch = BodyOf<paths['/cases/{case_id}']['patch']>
export type Category = Complete<Ok<paths['/case-categories']['get']>>['items'][number]
export type Question = Category['questions'][number]
export type Duplicate = Complete<Ok<paths['/cases/duplicates']['get']>>['items'][number]
export type CaseEvent = Complete<Ok<paths['/cases/{case_id}/events']['get']>>['items'][number]
export type CaseStats = Complete<Ok<paths['/cases/stats']['get']>>
export type Part = Case['parts'][number]
export type PartStatus = Part['status']
export type Photo = Case['photos'][number]
export type PhotoStage = Photo['stage']
export type Mediation = Complete<Ok<paths['/cases/{case_id}/mediations']['get']>>['items'][number]
export type MediationIn = BodyOf<paths['/cases/{case_id}/mediations']['post']>
export type AreaItem = Complete<Ok<paths['/areas']['get']>>['items'][number]
export type UserItem = Complete<Ok<paths['/users']['get']>>['items'][number]
export type UnitItem = Complete<Ok<paths['/units']['get']>>['items'][number]

export const STATUSES = ['submitted', 'accepted', 'assigned', 'in_progress', 'resolved', 'closed', 'rejected',
  'duplicate', 'reopened'] as const satisfies readonly CaseStatus[]
/** Statuses of a case still being handled (what the volunteer's and the board's "open" filter mean). */
export const OPEN_STATUSES = ['submitted', 'accepted', 'assigned', 'in_progress', 'reopened'] as const satisfies readonly CaseStatus[]
export const MODES = ['now', 'mediate', 'joint'] as const satisfies readonly CaseMode[]
export const LEVELS = ['grid', 'section', 'community', 'town'] as const satisfies readonly CaseLevel[]
export const PART_STATUSES = ['open', 'in_progress', 'done'] as const satisfies readonly PartStatus[]
export const MEDIATION_OUTCOMES = ['agreed', 'partial', 'failed', 'adjourned'] as const satisfies readonly MediationIn['outcome'][]

/** The workflow steps, as `allowed_steps` names them → their path. */
const STEP_PATHS = {
  accept: '/cases/{case_id}/accept',
  reject: '/cases/{case_id}/reject',
  assign: '/cases/{case_id}/assign',
  dispatch: '/cases/{case_id}/dispatch',
  start: '/cases/{case_id}/start',
  resolve: '/cases/{case_id}/resolve',
  close: '/cases/{case_id}/close',
  confirm: '/cases/{case_id}/confirm',
  reopen: '/cases/{case_id}/reopen',
  mark_duplicate: '/cases/{case_id}/mark-duplicate',
  rate: '/cases/{case_id}/rate',
  escalate: '/cases/{case_id}/escalate',
  deescalate: '/cases/{case_id}/deescalate',
} as const
type StepPaths = typeof STEP_PATHS
export type StepName = keyof StepPaths
export type StepBody<S extends StepName> = BodyOf<paths[StepPaths[S]]['post']>

export type Query = Record<string, string | number | boolean | readonly (string | number)[] | undefined | null>

const idem = (key: string) => ({ 'Idempotency-Key': key })

export const casesApi = {
  categories(): Promise<Category[]> {
    return unwrap(client.GET('/case-categories')).then((p) => (p as { items: Category[] }).items)
  },

  list(query: CaseQuery): Promise<CasePage> {
    return unwrap(client.GET('/cases', { params: { query } })) as Promise<CasePage>
  },

  alerts(limit = 5): Promise<CasePage> {
    return unwrap(client.GET('/cases/alerts', { params: { query: { limit } } })) as Promise<CasePage>
  },

  duplicates(categoryId: number, stairwellId?: number): Promise<Duplicate[]> {
    return unwrap(client.GET('/cases/duplicates', {
      params: { query: { category_id: categoryId, ...(stairwellId ? { stairwell_id: stairwellId } : {}) } },
    })).then((p) => (p as { items: Duplicate[] }).items)
  },

  get(caseId: number): Promise<Versioned<Case>> {
    return unwrapVersioned(client.GET('/cases/{case_id}', { params: { path: { case_id: caseId } } })) as Promise<Versioned<Case>>
  },

  events(caseId: number): Promise<CaseEvent[]> {
    return unwrap(client.GET('/cases/{case_id}/events', { params: { path: { case_id: caseId } } }))
      .then((p) => (p as { items: CaseEvent[] }).items)
  },

  mediations(caseId: number): Promise<Mediation[]> {
    return unwrap(client.GET('/cases/{case_id}/mediations', { params: { path: { case_id: caseId } } }))
      .then((p) => (p as { items: Mediation[] }).items)
  },

  create(body: CaseIn, key: string): Promise<Case> {
    return unwrap(client.POST('/cases', { params: { header: idem(key) }, body })) as Promise<Case>
  },

  /** The report with its photos, as multipart: the JSON of CaseIn in `data`, the files in `photos`. */
  createWithPhotos(body: CaseIn, photos: File[], key: string): Promise<Case> {
    const form = new FormData()
    form.append('data', JSON.stringify(body))
    for (const p of photos) form.append('photos', p, p.name)
    return sendForm('/cases', form, idem(key))
  },

  /** More photos of a case: of the problem (the reporter), the progress or the fix (whoever handles it). */
  addPhotos(caseId: number, photos: File[], stage: PhotoStage, note: string | undefined, key: string): Promise<Case> {
    const form = new FormData()
    form.append('data', JSON.stringify({ stage, ...(note ? { note } : {}) }))
    for (const p of photos) form.append('photos', p, p.name)
    return sendForm(`/cases/${caseId}/photos`, form, idem(key))
  },

  follow(caseId: number, key: string): Promise<Case> {
    return unwrap(client.POST('/cases/{case_id}/follow', {
      params: { path: { case_id: caseId }, header: idem(key) },
    })) as Promise<Case>
  },

  /** One workflow step (`allowed_steps` says which); an impossible one answers 409 with `state` and `allowed`. */
  step<S extends StepName>(name: S, caseId: number, body: StepBody<S>, key: string): Promise<Case> {
    const path = STEP_PATHS[name] as '/cases/{case_id}/accept'
    return unwrap(client.POST(path, {
      params: { path: { case_id: caseId }, header: idem(key) },
      body: body as StepBody<'accept'>,
    })) as Promise<Case>
  },

  update(caseId: number, patch: CasePatch, etag: string): Promise<Versioned<Case>> {
    return unwrapVersioned(client.PATCH('/cases/{case_id}', {
      params: { path: { case_id: caseId }, header: { 'If-Match': etag } },
      body: patch,
    })) as Promise<Versioned<Case>>
  },

  comment(caseId: number, note: string, internal: boolean, key: string): Promise<CaseEvent> {
    return unwrap(client.POST('/cases/{case_id}/comments', {
      params: { path: { case_id: caseId }, header: idem(key) },
      body: { note, internal },
    })) as Promise<CaseEvent>
  },

  updatePart(caseId: number, partId: number, status: PartStatus, note?: string): Promise<Case> {
    return unwrap(client.PATCH('/cases/{case_id}/parts/{part_id}', {
      params: { path: { case_id: caseId, part_id: partId } },
      body: { status, ...(note ? { note } : {}) },
    })) as Promise<Case>
  },

  recordMediation(caseId: number, body: MediationIn, key: string): Promise<Mediation> {
    return unwrap(client.POST('/cases/{case_id}/mediations', {
      params: { path: { case_id: caseId }, header: idem(key) },
      body,
    })) as Promise<Mediation>
  },

  stats(areaId?: number): Promise<CaseStats> {
    return unwrap(client.GET('/cases/stats', { params: { query: areaId ? { area_id: areaId } : {} } })) as Promise<CaseStats>
  },

  grids(): Promise<AreaItem[]> {
    return allPages((cursor) => client.GET('/areas', { params: { query: { kind: 'grid', limit: 100, ...(cursor ? { cursor } : {}) } } }))
  },

  communities(): Promise<AreaItem[]> {
    return allPages((cursor) => client.GET('/areas', { params: { query: { kind: 'community', limit: 100, ...(cursor ? { cursor } : {}) } } }))
  },

  volunteers(): Promise<UserItem[]> {
    return allPages((cursor) => client.GET('/users', { params: { query: { role: 'volunteer', limit: 100, ...(cursor ? { cursor } : {}) } } }))
  },

  units(): Promise<UnitItem[]> {
    return allPages((cursor) => client.GET('/units', { params: { query: { limit: 100, ...(cursor ? { cursor } : {}) } } }))
  },
}

/** Every page of a small reference list (grids, volunteers, units: a few dozen), at most 10 pages. */
async function allPages<T>(get: (cursor?: string) => Promise<{ data?: unknown; error?: unknown; response: Response }>): Promise<T[]> {
  const out: T[] = []
  let cursor: string | undefined
  for (let i = 0; i < 10; i++) {
    const page = (await unwrap(get(cursor))) as { items: T[]; next_cursor: string | null }
    out.push(...page.items)
    if (!page.next_cursor) break
    cursor = page.next_cursor
  }
  return out
}
