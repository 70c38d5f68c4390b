/**
 * Types of the walk-through contract (issue 5, /work/notes/CONTRACT-walkthrough.md) that openapi.yaml does
 * not describe yet. Each is written so that it still compiles once the spec has it; when the generated
 * schema carries an endpoint, its type here should give way to the one derived in types.ts.
 */
import type { AreaStats, ClaimItem, Community, Me, Resident, ResidentPage, ResidentQuery } from './types'

/** 1. A community of the registration form, with the committee's phone. */
export type PublicCommunity = Community & { office_phone?: string | null }

export interface BuildingUnit {
  stairwell_id: number
  unit: string
  label: string
}
export interface Building {
  building: string
  units: BuildingUnit[]
}
export interface Room {
  household_id: number
  room: string
}
export interface PublicConfig {
  demo_sms: boolean
  privacy_policy_version: string
}

/** 2. One-time SMS codes. */
export type SmsPurpose = 'register' | 'reset_password' | 'change_phone'
export interface SmsSent {
  expires_in: number
  resend_after: number
}
export interface DemoSmsCode {
  phone: string
  purpose: SmsPurpose
  code: string
  sent_at: string
}

/** 3. Registration with a proven phone and a household picked from the area tree. */
export interface RegisterRequest {
  phone: string
  code: string
  password: string
  name: string
  household_id: number
  accept_privacy: true
}

/** 6–7. Me: the forced password change and the committee's phone. */
export type CommunityBrief = NonNullable<Me['community']> & { office_phone?: string | null; full_name?: string }
export type MeX = Omit<Me, 'community'> & {
  must_change_password?: boolean
  community: CommunityBrief | null
}

/** 8. One field at a time, with a reason for the audit log. */
export type RevealFieldName = 'phone' | 'id_card'
export interface RevealOne {
  field: RevealFieldName
  value: string | null
}

/** 9. The residents list: a building filter and a total. */
export type ResidentQueryX = ResidentQuery & { building?: string }
export type ResidentPageX = ResidentPage & { total?: number }

/** 10. Who already lives at the claimed address. */
export interface Occupant {
  id: number
  name: string
  phone: string | null
  has_account: boolean
}
export type ClaimItemX = ClaimItem & { occupants?: Occupant[] }

/** 11. Area names qualified by community ("丽水湾 1号网格"). */
export interface AreaBriefX {
  id: number
  name: string
  code?: string
  full_name?: string
}
export function areaName(a: AreaBriefX | null | undefined): string {
  return a ? a.full_name || a.name : ''
}
export type ResidentX = Resident & { grid: AreaBriefX; community: AreaBriefX }

/** 12. Per-child figures (town staff: per community). */
export interface ChildStats {
  items: AreaStats[]
}

/** 6. The problem type of a 403 while the password must be changed. */
export const PASSWORD_CHANGE_REQUIRED = '/password-change-required'
