// The calls the views make. Each returns the data or throws an ApiError (problem+json mapped).
import { client } from './client'
import { ApiError, networkError, toApiError } from './errors'
import { t } from '@/i18n'
import type {
  AreaPage, AreaQuery, AreaStats, AuditPage, ClaimItem, ClaimPage, ClaimQuery, ClaimReview, Complete, Household, HouseholdBrief, Resident,
  ResidentCreate, ResidentPatch, TokenPair, Versioned,
} from './types'

import type {
  Building, ChildStats, ClaimItemX, DemoSmsCode, MeX, PublicCommunity, PublicConfig, RegisterRequest, ResidentPageX,
  ResidentQueryX, RevealFieldName, RevealOne, Room, SmsPurpose, SmsSent,
} from './contract'
import type { paths } from './schema'

export { ApiError } from './errors'
export * from './types'
export * from './contract'

type AuditQuery = NonNullable<paths['/audit-events']['get']['parameters']['query']>
type HouseholdQuery = NonNullable<paths['/households']['get']['parameters']['query']>

interface FetchResult<T> {
  data?: T
  error?: unknown
  response: Response
}

/** Turns openapi-fetch's `{data, error, response}` into data or a thrown ApiError. */
export async function unwrap<T>(call: Promise<FetchResult<T>>): Promise<T> {
  let result: FetchResult<T>
  try {
    result = await call
  } catch (e) {
    if (e instanceof ApiError) throw e
    throw networkError(e, t('errors.network'))
  }
  if (!result.response.ok) throw toApiError(result.response, result.error)
  return result.data as T
}

/** Like `unwrap`, and also returns the answer's `ETag` (needed as `If-Match` to update the resource). */
export async function unwrapVersioned<T>(call: Promise<FetchResult<T>>): Promise<Versioned<T>> {
  let response: Response | undefined
  const data = await unwrap(
    call.then((r) => {
      response = r.response
      return r
    }),
  )
  return { data, etag: response?.headers.get('ETag') ?? '' }
}

export const api = {
  login(phone: string, password: string): Promise<TokenPair> {
    return unwrap(client.POST('/auth/login', { body: { phone, password } })) as Promise<TokenPair>
  },

  /**
   * Revokes the session (its access and refresh tokens) server-side. The caller passes the access token
   * because it has already cleared the session locally.
   */
  logout(access: string): Promise<unknown> {
    return unwrap(client.POST('/auth/logout', { headers: { Authorization: `Bearer ${access}` } }))
  },

  /** 3. Registers with a proven phone (the SMS code) and a household picked from the area tree. */
  register(body: RegisterRequest): Promise<MeX> {
    return unwrap(client.POST('/auth/register', { body })) as Promise<MeX>
  },

  me(): Promise<MeX> {
    return unwrap(client.GET('/me')) as Promise<MeX>
  },

  async communities(): Promise<PublicCommunity[]> {
    const page = (await unwrap(client.GET('/public/communities'))) as { items: PublicCommunity[] }
    return page.items
  },

  /** 1. The buildings of a community with their units, in natural order. */
  async buildings(communityId: number): Promise<Building[]> {
    const page = await unwrap(client.GET('/public/communities/{community_id}/buildings', {
      params: { path: { community_id: communityId } },
    }))
    return page.items as Building[]
  },

  /** 1. The rooms (households) of a stairwell, in natural order. */
  async rooms(stairwellId: number): Promise<Room[]> {
    const page = await unwrap(client.GET('/public/stairwells/{stairwell_id}/rooms', {
      params: { path: { stairwell_id: stairwellId } },
    }))
    return page.items as Room[]
  },

  publicConfig(): Promise<PublicConfig> {
    return unwrap(client.GET('/public/config')) as Promise<PublicConfig>
  },

  /** 2. Sends a one-time code (the answer is the same whether or not the phone is registered). */
  sendSmsCode(phone: string, purpose: SmsPurpose): Promise<SmsSent> {
    return unwrap(client.POST('/auth/sms-codes', { body: { phone, purpose } })) as Promise<SmsSent>
  },

  /** 2. Demo only: the codes the embedded sender "sent" to a phone. */
  async demoSmsCodes(phone: string): Promise<DemoSmsCode[]> {
    const page = await unwrap(client.GET('/demo/sms-codes', { params: { query: { phone } } }))
    return page.items as DemoSmsCode[]
  },

  /** 4. 忘记密码: a new password with a code sent to the phone; every session of the account ends. */
  resetPassword(phone: string, code: string, newPassword: string): Promise<void> {
    return unwrap(client.POST('/auth/password-reset', { body: { phone, code, new_password: newPassword } })) as Promise<void>
  },

  /** Changes one's own password (the current one is required); other devices are signed out. */
  changePassword(currentPassword: string, newPassword: string): Promise<void> {
    return unwrap(client.POST('/me/password', {
      body: { current_password: currentPassword, new_password: newPassword },
    })) as Promise<void>
  },

  /** 5. 换手机号: the code was sent to the new phone (purpose change_phone). */
  changePhone(newPhone: string, code: string, password: string): Promise<MeX> {
    return unwrap(client.POST('/me/phone', { body: { new_phone: newPhone, code, password } })) as Promise<MeX>
  },

  /** 7. A new household claim after a rejection. */
  claimHousehold(householdId: number, idempotencyKey: string): Promise<unknown> {
    return unwrap(client.POST('/me/household-claims', {
      params: { header: { 'Idempotency-Key': idempotencyKey } }, body: { household_id: householdId },
    }))
  },

  /** 12. The figures of each child area (town staff: each community). */
  async childStats(areaId: number): Promise<AreaStats[]> {
    const page = await unwrap(client.GET('/areas/{area_id}/children-stats', { params: { path: { area_id: areaId } } }))
    return (page as ChildStats).items
  },

  households(query: HouseholdQuery): Promise<{ items: Complete<HouseholdBrief>[]; next_cursor: string | null }> {
    return unwrap(client.GET('/households', { params: { query } })) as Promise<{ items: Complete<HouseholdBrief>[]; next_cursor: string | null }>
  },

  areas(query: AreaQuery): Promise<AreaPage> {
    return unwrap(client.GET('/areas', { params: { query } })) as Promise<AreaPage>
  },

  audit(query: AuditQuery): Promise<AuditPage> {
    return unwrap(client.GET('/audit-events', { params: { query } })) as Promise<AuditPage>
  },

  areaStats(areaId: number): Promise<AreaStats> {
    return unwrap(client.GET('/areas/{area_id}/stats', { params: { path: { area_id: areaId } } })) as Promise<AreaStats>
  },

  /** With `building` (contract 9) and the page's `total`. */
  residents(query: ResidentQueryX): Promise<ResidentPageX> {
    return unwrap(client.GET('/residents', { params: { query } })) as Promise<ResidentPageX>
  },

  household(householdId: number): Promise<Household> {
    return unwrap(
      client.GET('/households/{household_id}', { params: { path: { household_id: householdId } } }),
    ) as Promise<Household>
  },

  resident(residentId: number): Promise<Versioned<Resident>> {
    return unwrapVersioned(
      client.GET('/residents/{resident_id}', { params: { path: { resident_id: residentId } } }),
    ) as Promise<Versioned<Resident>>
  },

  /** Changes a resident; `etag` is the ETag read with it (a stale one answers 412). */
  updateResident(residentId: number, patch: ResidentPatch, etag: string): Promise<Versioned<Resident>> {
    return unwrapVersioned(
      client.PATCH('/residents/{resident_id}', {
        params: { path: { resident_id: residentId }, header: { 'If-Match': etag } },
        body: patch,
      }),
    ) as Promise<Versioned<Resident>>
  },

  createResident(body: ResidentCreate, idempotencyKey: string): Promise<Versioned<Resident>> {
    return unwrapVersioned(
      client.POST('/residents', { params: { header: { 'Idempotency-Key': idempotencyKey } }, body }),
    ) as Promise<Versioned<Resident>>
  },

  /** 8. One full number, with the reason the server writes to the audit log. */
  revealResident(residentId: number, field: RevealFieldName, reason: string, idempotencyKey: string): Promise<RevealOne> {
    return unwrap(client.POST('/residents/{resident_id}/reveal', {
      params: { path: { resident_id: residentId }, header: { 'Idempotency-Key': idempotencyKey } },
      body: { field, reason },
    })) as Promise<RevealOne>
  },

  claims(query: ClaimQuery): Promise<ClaimPage & { items: ClaimItemX[] }> {
    return unwrap(client.GET('/household-claims', { params: { query } })) as Promise<ClaimPage & { items: ClaimItemX[] }>
  },

  reviewClaim(claimId: number, review: ClaimReview, idempotencyKey: string): Promise<ClaimItemX> {
    return unwrap(
      client.POST('/household-claims/{claim_id}/review', {
        params: { path: { claim_id: claimId }, header: { 'Idempotency-Key': idempotencyKey } },
        body: review,
      }),
    ) as Promise<ClaimItem>
  },
}
