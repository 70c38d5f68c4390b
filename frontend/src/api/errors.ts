import { getLocale } from '@/i18n'

/** A problem+json (RFC 9457) answer, or a network failure, as one error type the views can show. */
export interface Problem {
  type?: string
  title?: string
  status?: number
  detail?: string
  errors?: Record<string, string[] | string>
  request_id?: string
  /** Seconds from the answer's Retry-After header (a 429). */
  retry_after?: string
}

export class ApiError extends Error {
  readonly status: number
  readonly title: string
  readonly detail: string | undefined
  readonly type: string
  /** Field name → messages, for showing beside each form input. */
  readonly fieldErrors: Record<string, string[]>
  /** The server's request id, worth quoting when asking for help. */
  readonly requestId: string | undefined
  /** Seconds to wait before trying again (Retry-After of a 429), when the server said. */
  readonly retryAfter: string | undefined

  constructor(status: number, problem: Problem) {
    const title = problem.title || `HTTP ${status}`
    super(problem.detail ? `${title}: ${problem.detail}` : title)
    this.name = 'ApiError'
    this.status = status
    this.title = title
    this.detail = problem.detail
    this.type = problem.type || 'about:blank'
    this.fieldErrors = normaliseFieldErrors(problem.errors)
    this.requestId = problem.request_id
    this.retryAfter = problem.retry_after
  }

  /** The first message for a field, joined for display (`undefined` when the field is fine). */
  field(name: string): string | undefined {
    const msgs = this.fieldErrors[name]
    return msgs && msgs.length ? msgs.join(getLocale() === 'en' ? '; ' : '；') : undefined
  }

  get isNetworkError(): boolean {
    return this.status === 0
  }
}

function normaliseFieldErrors(errors: Problem['errors']): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  if (!errors || typeof errors !== 'object') return out
  for (const [field, msgs] of Object.entries(errors)) {
    if (Array.isArray(msgs)) out[field] = msgs.map(String)
    else if (typeof msgs === 'string') out[field] = [msgs]
    else if (msgs && typeof msgs === 'object') out[field] = [JSON.stringify(msgs)]
  }
  return out
}

/**
 * Builds an ApiError from a failed response and the body openapi-fetch parsed for it (a JSON object
 * for problem+json, or raw text when the server answered something else, e.g. a proxy's HTML page).
 */
export function toApiError(response: Response, body: unknown): ApiError {
  if (body && typeof body === 'object') {
    const p = body as Problem
    return new ApiError(response.status, {
      ...p,
      title: p.title || response.statusText,
      request_id: p.request_id ?? response.headers.get('X-Request-ID') ?? undefined,
      retry_after: response.headers.get('Retry-After') ?? undefined,
    })
  }
  return new ApiError(response.status, {
    title: response.statusText || `HTTP ${response.status}`,
    request_id: response.headers.get('X-Request-ID') ?? undefined,
    retry_after: response.headers.get('Retry-After') ?? undefined,
  })
}

export function networkError(cause: unknown, title: string): ApiError {
  const err = new ApiError(0, { title, detail: cause instanceof Error ? cause.message : undefined })
  return err
}
