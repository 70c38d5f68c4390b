import createClient from 'openapi-fetch'
import type { paths } from './schema'
import type { TokenPair } from './types'
import { clearTokens, loadTokens, saveTokens } from './tokens'
import { getLocale } from '@/i18n'

export const API_BASE = '/api/v1'

/** Absolute base URL: `Request` needs one outside a page (tests), and it is the same origin in the app. */
export function apiBaseUrl(): string {
  return new URL(API_BASE, window.location.origin).href
}

// Answers to these paths are about credentials themselves, so a 401 there is final (no refresh).
const NO_REFRESH = ['/auth/login', '/auth/refresh', '/auth/register', '/auth/logout']

export interface SessionListener {
  /** Tokens were rotated by a silent refresh; the body also carries the current user. */
  refreshed?: (pair: TokenPair) => void
  /** The refresh token was refused: the session is over (tokens are already cleared). */
  expired?: () => void
  /** The server refused a request until the password is changed (403 …/password-change-required). */
  passwordChangeRequired?: () => void
}

const listeners = new Set<SessionListener>()

export function addSessionListener(l: SessionListener): () => void {
  listeners.add(l)
  return () => listeners.delete(l)
}

type RefreshOutcome = 'ok' | 'rejected' | 'network'
let inFlight: Promise<RefreshOutcome> | null = null

/** Rotates the token pair once; concurrent callers share the same refresh request. */
export function refreshSession(): Promise<RefreshOutcome> {
  inFlight ??= doRefresh().finally(() => {
    inFlight = null
  })
  return inFlight
}

async function doRefresh(): Promise<RefreshOutcome> {
  const tokens = loadTokens()
  if (!tokens) return 'rejected'
  let res: Response
  try {
    res = await globalThis.fetch(`${apiBaseUrl()}/auth/refresh`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${tokens.refresh}`,
        Accept: 'application/json',
        'Accept-Language': getLocale(),
      },
    })
  } catch {
    return 'network'
  }
  if (!res.ok) {
    if (res.status >= 500) return 'network'
    // Another tab rotated the session a moment ago (the server refuses the replaced token without
    // signing out): pick up the pair that tab is saving instead of ending the session.
    if (await isSuperseded(res)) return (await newerTokensSaved(tokens.refresh)) ? 'ok' : 'rejected'
    return 'rejected'
  }
  const pair = (await res.json()) as TokenPair
  saveTokens({ access: pair.access_token, refresh: pair.refresh_token })
  listeners.forEach((l) => l.refreshed?.(pair))
  return 'ok'
}

async function isSuperseded(res: Response): Promise<boolean> {
  try {
    const body = (await res.json()) as { type?: string }
    return typeof body.type === 'string' && body.type.endsWith('/refresh-superseded')
  } catch {
    return false
  }
}

/** Waits briefly for another tab to store the tokens that replaced `oldRefresh`. */
async function newerTokensSaved(oldRefresh: string, waitMs = 3000): Promise<boolean> {
  for (let waited = 0; ; waited += 100) {
    const now = loadTokens()
    if (now && now.refresh !== oldRefresh) return true
    if (!now || waited >= waitMs) return false
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

async function notifyIfPasswordChangeRequired(response: Response): Promise<void> {
  try {
    const body = (await response.clone().json()) as { type?: string }
    if (typeof body.type === 'string' && body.type.endsWith('/password-change-required')) {
      listeners.forEach((l) => l.passwordChangeRequired?.())
    }
  } catch {
    // not a problem+json answer
  }
}

function expireSession(): void {
  clearTokens()
  listeners.forEach((l) => l.expired?.())
}

function isNoRefreshPath(url: string): boolean {
  const path = new URL(url).pathname
  return NO_REFRESH.some((p) => path.endsWith(p))
}

/** Sends a request with the current locale and (unless the caller set one) the current access token. */
function send(request: Request): { response: Promise<Response>; token: string | undefined } {
  const headers = new Headers(request.headers)
  headers.set('Accept-Language', getLocale())
  if (!headers.has('Accept')) headers.set('Accept', 'application/json, application/problem+json')
  let token: string | undefined
  if (!headers.has('Authorization')) {
    token = loadTokens()?.access
    if (token) headers.set('Authorization', `Bearer ${token}`)
  }
  return { response: globalThis.fetch(new Request(request, { headers })), token }
}

/**
 * The fetch given to openapi-fetch: on a 401 it refreshes the session once and retries the request
 * with the new access token; if the refresh token is refused it ends the session (listeners send the
 * user to /login). `globalThis.fetch` is looked up on every call so tests can stub it.
 */
export async function authFetch(request: Request): Promise<Response> {
  const retry = request.clone() // a body can be read once: keep a copy for the retry
  const first = send(request)
  const response = await first.response
  if (response.status === 403) void notifyIfPasswordChangeRequired(response)
  if (response.status !== 401 || isNoRefreshPath(request.url) || !first.token) return response

  // Another request may already have rotated the tokens while this one was in flight.
  const current = loadTokens()
  if (current && current.access !== first.token) return send(retry).response
  if (!current) return response

  const outcome = await refreshSession()
  if (outcome === 'ok') return send(retry).response
  if (outcome === 'rejected') expireSession()
  return response
}

export const client = createClient<paths>({ baseUrl: apiBaseUrl(), fetch: authFetch })
