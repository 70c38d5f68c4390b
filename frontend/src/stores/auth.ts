import { computed, ref } from 'vue'
import { defineStore } from 'pinia'
import { api, type MeX, type TokenPair } from '@/api'
import { addSessionListener } from '@/api/client'
import { clearTokens, loadTokens, saveTokens, type Tokens } from '@/api/tokens'
import { isConsoleRole, landingFor } from '@/router/roles'

export const useAuthStore = defineStore('auth', () => {
  const tokens = ref<Tokens | null>(loadTokens())
  const me = ref<MeX | null>(null)

  const isAuthenticated = computed(() => tokens.value !== null)
  const role = computed(() => me.value?.role ?? null)
  const isConsoleUser = computed(() => (role.value ? isConsoleRole(role.value) : false))
  const landing = computed(() => landingFor(role.value))

  function applyPair(pair: TokenPair): void {
    const t = { access: pair.access_token, refresh: pair.refresh_token }
    saveTokens(t)
    tokens.value = t
    me.value = pair.user
  }

  /** Forgets the session locally (no server call). */
  function reset(): void {
    clearTokens()
    tokens.value = null
    me.value = null
  }

  // Keep the store in step with silent refreshes and refused refresh tokens in the API client.
  addSessionListener({
    refreshed: applyPair,
    expired: reset,
    passwordChangeRequired: () => {
      if (me.value) me.value = { ...me.value, must_change_password: true }
    },
  })

  async function login(phone: string, password: string): Promise<MeX> {
    const pair = await api.login(phone, password)
    applyPair(pair)
    return pair.user
  }

  async function fetchMe(): Promise<MeX> {
    me.value = await api.me()
    return me.value
  }

  /** The current user, loading it once after a page reload. */
  async function ensureMe(): Promise<MeX | null> {
    if (!tokens.value) return null
    return me.value ?? fetchMe()
  }

  /** Clears the session at once, then asks the server to revoke it (best effort). */
  async function logout(): Promise<void> {
    const t = tokens.value
    reset()
    if (t) {
      try {
        await api.logout(t.access)
      } catch {
        // already logged out locally; a failed revocation only leaves a short-lived token behind
      }
    }
  }

  /** Keeps the signed-in user in step after a change made on one of the "me" pages. */
  function setMe(value: MeX): void {
    me.value = value
  }

  return { setMe, tokens, me, isAuthenticated, role, isConsoleUser, landing, login, fetchMe, ensureMe, logout, reset }
})
