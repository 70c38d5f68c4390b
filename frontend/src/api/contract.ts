/**
 * Types of the walk-through endpoints (issue 5), derived from the generated schema like those in types.ts.
 * (They were written by hand from the contract until openapi.yaml described them.)
 */
import type { paths } from './schema'
import type { Complete, Me, Resident } from './types'

type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : never
type Ok<Op> = Op extends { responses: infer R } ? JsonOf<R[Extract<keyof R, 200 | 201 | 202>]> : never
type Body<Op> = Op extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never

export type PublicCommunity = Complete<Ok<paths['/public/communities']['get']>>['items'][number]
export type Building = Complete<Ok<paths['/public/communities/{community_id}/buildings']['get']>>['items'][number]
export type BuildingUnit = Building['units'][number]
export type Room = Complete<Ok<paths['/public/stairwells/{stairwell_id}/rooms']['get']>>['items'][number]
export type PublicConfig = Complete<Ok<paths['/public/config']['get']>>

export type SmsPurpose = Body<paths['/auth/sms-codes']['post']>['purpose']
export type SmsSent = Complete<Ok<paths['/auth/sms-codes']['post']>>
export type DemoSmsCode = Complete<Ok<paths['/demo/sms-codes']['get']>>['items'][number]

export type RegisterRequest = Body<paths['/auth/register']['post']>

export type CommunityBrief = NonNullable<Me['community']>
export type MeX = Me

export type RevealFieldName = Body<paths['/residents/{resident_id}/reveal']['post']>['field']
export type RevealOne = Complete<Ok<paths['/residents/{resident_id}/reveal']['post']>>

export type ResidentQueryX = NonNullable<paths['/residents']['get']['parameters']['query']>
export type ResidentPageX = Complete<Ok<paths['/residents']['get']>>

export type ClaimItemX = Complete<Ok<paths['/household-claims']['get']>>['items'][number]
export type Occupant = NonNullable<ClaimItemX['occupants']>[number]

/** An area as other answers name it, with its community-qualified name ("丽水湾 1号网格"). */
export interface AreaBriefX {
  id: number
  name: string
  code?: string
  full_name?: string
}
export function areaName(a: AreaBriefX | null | undefined): string {
  return a ? a.full_name || a.name : ''
}
export type ResidentX = Resident

export type ChildStats = Complete<Ok<paths['/areas/{area_id}/children-stats']['get']>>

/** 6. The problem type of a 403 while the password must be changed. */
export const PASSWORD_CHANGE_REQUIRED = '/password-change-required'
