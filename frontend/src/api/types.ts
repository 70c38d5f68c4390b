// Domain types derived from the generated OpenAPI paths (not from component names, which are an
// implementation detail of the backend's schema generator).
import type { paths } from './schema'

type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : never
type OkCodes = 200 | 201
type Ok<Op> = Op extends { responses: infer R } ? JsonOf<R[Extract<keyof R, OkCodes>]> : never

/**
 * The API always sends every field of its answers (null when empty), but its generated spec marks
 * output fields optional; this strips the `?` so views need no guards for fields that are always there.
 */
export type Complete<T> = T extends readonly (infer U)[]
  ? Complete<U>[]
  : T extends object
    ? { [K in keyof T]-?: Complete<Exclude<T[K], undefined>> }
    : T

type RawMe = Ok<paths['/me']['get']>
// `claim` is "null or a claim"; the spec spells the null branch as an empty object type.
type RawClaim = Exclude<NonNullable<RawMe['claim']>, Record<string, never>>

export type Claim = Complete<RawClaim>
// so is `community` ("null or a community"; null for town-level users)
type RawCommunity = Exclude<NonNullable<RawMe['community']>, Record<string, never>>
export type Me = Complete<Omit<RawMe, 'claim' | 'community'>> & { claim: Claim | null; community: Complete<RawCommunity> | null }
export type TokenPair = Complete<Omit<Ok<paths['/auth/login']['post']>, 'user'>> & { user: Me }
export type Role = Me['role']
export type Area = Me['area']
export type AreaStats = Complete<Ok<paths['/areas/{area_id}/stats']['get']>>
export type ResidentPage = Complete<Ok<paths['/residents']['get']>>
export type Resident = ResidentPage['items'][number]
export type ResidentTag = Resident['tags'][number]
export type Household = Complete<Ok<paths['/households/{household_id}']['get']>>
export type Community = Complete<Ok<paths['/public/communities']['get']>>['items'][number]
export type ResidentQuery = NonNullable<paths['/residents']['get']['parameters']['query']>
export type ResidentPatch = NonNullable<paths['/residents/{resident_id}']['patch']['requestBody']>['content']['application/json']
export type ResidentCreate = NonNullable<paths['/residents']['post']['requestBody']>['content']['application/json']
export type Revealed = Complete<Ok<paths['/residents/{resident_id}/reveal']['post']>>
export type Gender = NonNullable<Resident['gender']>

export type AreaPage = Complete<Ok<paths['/areas']['get']>>
export type AreaItem = AreaPage['items'][number]
export type AreaQuery = NonNullable<paths['/areas']['get']['parameters']['query']>
export type AuditPage = Complete<Ok<paths['/audit-events']['get']>>
export type AuditEntry = AuditPage['items'][number]
export type HouseholdBrief = Ok<paths['/households']['get']>['items'][number]

export type ClaimPage = Complete<Ok<paths['/household-claims']['get']>>
/** A household claim as staff review it (the claimant, the address, the decision). */
export type ClaimItem = ClaimPage['items'][number]
export type ClaimStatus = ClaimItem['status']
export type ClaimQuery = NonNullable<paths['/household-claims']['get']['parameters']['query']>
export type ClaimReview = NonNullable<paths['/household-claims/{claim_id}/review']['post']['requestBody']>['content']['application/json']

export const CLAIM_STATUSES = ['pending', 'approved', 'rejected'] as const satisfies readonly ClaimStatus[]

/** A resident with the ETag its answer carried (send it back as If-Match to update it). */
export interface Versioned<T> {
  data: T
  etag: string
}

export const RESIDENT_TAGS = ['elderly_alone', 'hardship', 'party_member', 'volunteer'] as const satisfies readonly ResidentTag[]
