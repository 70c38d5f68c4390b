// The calls the views make. Each returns the data or throws an ApiError (problem+json mapped).
import { client } from './client'
import { ApiError, networkError, toApiError } from './errors'
import { t } from '@/i18n'
import type {
  AreaStats, Community, Household, Me, RegisterBody, ResidentPage, ResidentQuery, TokenPair,
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
}
