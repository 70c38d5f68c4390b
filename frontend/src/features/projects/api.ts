// 联合项目 (joint projects) and the alliance's member units: the calls and types of the `projects` and
// `units` tags of openapi.yaml. Types come from the generated paths, like those in src/api/types.ts.
import { client } from '@/api/client'
import { unwrap, unwrapVersioned, type Complete, type Versioned } from '@/api'
import type { paths } from '@/api/schema'

type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : never
type Ok<Op> = Op extends { responses: infer R } ? JsonOf<R[Extract<keyof R, 200 | 201>]> : never
type Body<Op> = Op extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never

export type Project = Complete<Ok<paths['/projects/{project_id}']['get']>>
export interface ProjectPage { items: Project[]; next_cursor: string | null }
export type ProjectQuery = NonNullable<paths['/projects']['get']['parameters']['query']>
export type ProjectStatus = Project['status']
export type ProjectCreate = Body<paths['/projects']['post']>
export type ProjectPatch = Body<paths['/projects/{project_id}']['patch']>
export type Milestone = Project['milestones'][number]
export type MilestoneCreate = Body<paths['/projects/{project_id}/milestones']['post']>
export type ProjectUnit = Project['units'][number]

type RawComment = Complete<Ok<paths['/projects/{project_id}/comments']['post']>>
export type ProjectComment = Omit<RawComment, 'author'> & {
  author: Exclude<RawComment['author'], Record<string, never> | null> | null
}
export interface CommentPage { items: ProjectComment[]; next_cursor: string | null }

export type Unit = Complete<Ok<paths['/units/{unit_id}']['get']>>
export interface UnitPage { items: Unit[]; next_cursor: string | null }
export type UnitQuery = NonNullable<paths['/units']['get']['parameters']['query']>
export type UnitKind = Unit['kind']
export type UnitPatch = Body<paths['/units/{unit_id}']['patch']>
export type UnitCategory = Unit['categories'][number]
export type ServiceKind = Unit['service_kinds'][number]
export type Member = Complete<Ok<paths['/units/{unit_id}/members']['get']>>['items'][number]
export type MemberCreate = Body<paths['/units/{unit_id}/members']['post']>

export type CasePage = Complete<Ok<paths['/cases']['get']>>
export type CaseItem = CasePage['items'][number]

export const PROJECT_STATUSES = ['planning', 'in_progress', 'done', 'cancelled'] as const satisfies readonly ProjectStatus[]
export const UNIT_KINDS = [
  'party_branch', 'property_company', 'volunteer_team', 'government_department', 'legal_service', 'enterprise',
  'social_organisation',
] as const satisfies readonly UnitKind[]
export const SERVICE_KINDS = ['lunch', 'haircut', 'legal', 'health', 'medicine', 'repair', 'other'] as const satisfies readonly ServiceKind[]
export const COMMENT_MAX = 500

const idem = (key: string) => ({ 'Idempotency-Key': key })

export const projectsApi = {
  list(query: ProjectQuery): Promise<ProjectPage> {
    return unwrap(client.GET('/projects', { params: { query } })) as Promise<ProjectPage>
  },

  get(projectId: number): Promise<Versioned<Project>> {
    return unwrapVersioned(client.GET('/projects/{project_id}', {
      params: { path: { project_id: projectId } },
    })) as Promise<Versioned<Project>>
  },

  create(body: ProjectCreate, idempotencyKey: string): Promise<Versioned<Project>> {
    return unwrapVersioned(client.POST('/projects', { params: { header: idem(idempotencyKey) }, body })) as Promise<Versioned<Project>>
  },

  /** `etag` is the ETag read with the project (a stale one answers 412). */
  update(projectId: number, patch: ProjectPatch, etag: string): Promise<Versioned<Project>> {
    return unwrapVersioned(client.PATCH('/projects/{project_id}', {
      params: { path: { project_id: projectId }, header: { 'If-Match': etag } }, body: patch,
    })) as Promise<Versioned<Project>>
  },

  addMilestone(projectId: number, body: MilestoneCreate, idempotencyKey: string): Promise<Project> {
    return unwrap(client.POST('/projects/{project_id}/milestones', {
      params: { path: { project_id: projectId }, header: idem(idempotencyKey) }, body,
    })) as Promise<Project>
  },

  markMilestone(projectId: number, milestoneId: number, done: boolean, note?: string): Promise<Project> {
    return unwrap(client.PATCH('/projects/{project_id}/milestones/{milestone_id}', {
      params: { path: { project_id: projectId, milestone_id: milestoneId } }, body: { done, ...(note ? { note } : {}) },
    })) as Promise<Project>
  },

  linkCase(projectId: number, caseId: number, idempotencyKey: string): Promise<Project> {
    return unwrap(client.POST('/projects/{project_id}/cases', {
      params: { path: { project_id: projectId }, header: idem(idempotencyKey) }, body: { case_id: caseId },
    })) as Promise<Project>
  },

  like(projectId: number, liked: boolean): Promise<Project> {
    return unwrap(client.POST('/projects/{project_id}/like', {
      params: { path: { project_id: projectId } }, body: { liked },
    })) as Promise<Project>
  },

  comments(projectId: number, query: { limit?: number; cursor?: string } = {}): Promise<CommentPage> {
    return unwrap(client.GET('/projects/{project_id}/comments', {
      params: { path: { project_id: projectId }, query },
    })) as Promise<CommentPage>
  },

  comment(projectId: number, body: string, idempotencyKey: string): Promise<ProjectComment> {
    return unwrap(client.POST('/projects/{project_id}/comments', {
      params: { path: { project_id: projectId }, header: idem(idempotencyKey) }, body: { body },
    })) as Promise<ProjectComment>
  },

  hideComment(projectId: number, commentId: number, reason: string, idempotencyKey: string): Promise<ProjectComment> {
    return unwrap(client.POST('/projects/{project_id}/comments/{comment_id}/hide', {
      params: { path: { project_id: projectId, comment_id: commentId }, header: idem(idempotencyKey) }, body: { reason },
    })) as Promise<ProjectComment>
  },

  units(query: UnitQuery): Promise<UnitPage> {
    return unwrap(client.GET('/units', { params: { query } })) as Promise<UnitPage>
  },

  unit(unitId: number): Promise<Unit> {
    return unwrap(client.GET('/units/{unit_id}', { params: { path: { unit_id: unitId } } })) as Promise<Unit>
  },

  updateUnit(unitId: number, body: UnitPatch): Promise<Unit> {
    return unwrap(client.PATCH('/units/{unit_id}', { params: { path: { unit_id: unitId } }, body })) as Promise<Unit>
  },

  members(unitId: number): Promise<Member[]> {
    return unwrap(client.GET('/units/{unit_id}/members', { params: { path: { unit_id: unitId } } }))
      .then((p) => (p as { items: Member[] }).items)
  },

  addMember(unitId: number, body: MemberCreate): Promise<Member> {
    return unwrap(client.POST('/units/{unit_id}/members', { params: { path: { unit_id: unitId } }, body })) as Promise<Member>
  },

  setUnitAdmin(unitId: number, userId: number, isUnitAdmin: boolean): Promise<Member> {
    return unwrap(client.PATCH('/units/{unit_id}/members/{user_id}', {
      params: { path: { unit_id: unitId, user_id: userId } }, body: { is_unit_admin: isUnitAdmin },
    })) as Promise<Member>
  },

  removeMember(unitId: number, userId: number): Promise<void> {
    return unwrap(client.DELETE('/units/{unit_id}/members/{user_id}', {
      params: { path: { unit_id: unitId, user_id: userId } },
    })) as Promise<void>
  },

  cases(query: NonNullable<paths['/cases']['get']['parameters']['query']>): Promise<CasePage> {
    return unwrap(client.GET('/cases', { params: { query } })) as Promise<CasePage>
  },
}
