/**
 * Token storage. We keep the access and refresh tokens in localStorage: the SPA talks to the API with
 * an Authorization header (no cookies, so no CSRF surface), and residents expect to stay logged in
 * after closing the browser on their phone. The trade-off is that a successful XSS could read them,
 * which is mitigated by short-lived access tokens, rotating refresh tokens and server-side revocation
 * on logout. If the backend later offers an HttpOnly refresh cookie, only this file has to change.
 */
const ACCESS = 'steward.access_token'
const REFRESH = 'steward.refresh_token'

export interface Tokens {
  access: string
  refresh: string
}

export function loadTokens(): Tokens | null {
  const access = localStorage.getItem(ACCESS)
  const refresh = localStorage.getItem(REFRESH)
  return access && refresh ? { access, refresh } : null
}

export function saveTokens(t: Tokens): void {
  localStorage.setItem(ACCESS, t.access)
  localStorage.setItem(REFRESH, t.refresh)
}

export function clearTokens(): void {
  localStorage.removeItem(ACCESS)
  localStorage.removeItem(REFRESH)
}
