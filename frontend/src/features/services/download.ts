// Files the API serves behind the session (a booking's .ics, the report CSV, a roster CSV): a plain link
// would not carry the access token, so fetch them with it and hand the browser the bytes to save or open.
import { authFetch, apiBaseUrl } from '@/api/client'
import { ApiError, networkError, toApiError } from '@/api/errors'
import { t } from '@/i18n'

/** `path` is below /api/v1 (`/bookings/3/calendar.ics`) or the API's own absolute path (`/api/v1/…`). */
export async function downloadFile(path: string, filename: string): Promise<void> {
  const url = path.startsWith('/api/') ? new URL(path, window.location.origin).href : apiBaseUrl() + path
  let response: Response
  try {
    response = await authFetch(new Request(url, { headers: { Accept: 'text/calendar, text/csv, */*' } }))
  } catch (e) {
    throw networkError(e, t('errors.network'))
  }
  if (!response.ok) {
    let body: unknown = null
    try {
      body = await response.json()
    } catch {
      // not problem+json
    }
    throw toApiError(response, body)
  }
  const blob = await response.blob()
  const href = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = href
  a.download = filename
  a.rel = 'noopener'
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(href), 60_000)
}

export { ApiError }
