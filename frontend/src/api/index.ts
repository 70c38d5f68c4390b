// The calls the views make. Each returns the data or throws an ApiError (problem+json mapped).
import { client } from './client'
import { ApiError, networkError, toApiError } from './errors'
import { t } from '@/i18n'
import type {
  AreaStats, ClaimItem, ClaimPage, ClaimQuery, ClaimReview, Community, Household, Me, RegisterBody, Resident,
  ResidentCreate, ResidentPage, ResidentPatch, ResidentQuery, RevealField, Revealed, TokenPair, Versioned,
} from './types'

export { ApiError } from './errors'
export * from './types'

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

  register(body: RegisterBody): Promise<Me> {
    return unwrap(client.POST('/auth/register', { body })) as Promise<Me>
  },

  me(): Promise<Me> {
    return unwrap(client.GET('/me')) as Promise<Me>
  },

  async communities(): Promise<Community[]> {
    const page = (await unwrap(client.GET('/public/communities'))) as { items: Community[] }
    return page.items
  },

  areaStats(areaId: number): Promise<AreaStats> {
    return unwrap(client.GET('/areas/{area_id}/stats', { params: { path: { area_id: areaId } } })) as Promise<AreaStats>
  },

  residents(query: ResidentQuery): Promise<ResidentPage> {
    return unwrap(client.GET('/residents', { params: { query } })) as Promise<ResidentPage>
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

  /** Full phone / ID-card numbers; the server writes every such read to the audit log. */
  revealResident(residentId: number, fields: RevealField[], idempotencyKey: string): Promise<Revealed> {
    return unwrap(
      client.POST('/residents/{resident_id}/reveal', {
        params: { path: { resident_id: residentId }, header: { 'Idempotency-Key': idempotencyKey } },
        body: { fields },
      }),
    ) as Promise<Revealed>
  },

  claims(query: ClaimQuery): Promise<ClaimPage> {
    return unwrap(client.GET('/household-claims', { params: { query } })) as Promise<ClaimPage>
  },

  reviewClaim(claimId: number, review: ClaimReview, idempotencyKey: string): Promise<ClaimItem> {
    return unwrap(
      client.POST('/household-claims/{claim_id}/review', {
        params: { path: { claim_id: claimId }, header: { 'Idempotency-Key': idempotencyKey } },
        body: review,
      }),
    ) as Promise<ClaimItem>
  },
}
