// A multipart request (photos) through the same token refresh and problem+json errors as the typed client.
import { authFetch, apiBaseUrl } from './client'
import { networkError, toApiError } from './errors'
import { t } from '@/i18n'

export async function sendForm<T>(path: string, form: FormData, headers: Record<string, string> = {}): Promise<T> {
  let response: Response
  try {
    response = await authFetch(new Request(apiBaseUrl() + path, { method: 'POST', body: form, headers }))
  } catch (e) {
    throw networkError(e, t('errors.network'))
  }
  const text = await response.text()
  let data: unknown
  try {
    data = text ? JSON.parse(text) : undefined
  } catch {
    data = text
  }
  if (!response.ok) throw toApiError(response, data)
  return data as T
}
