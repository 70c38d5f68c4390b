import { ref } from 'vue'
import { defineStore } from 'pinia'
import { api } from '@/api'

/** One page this large is how far the badge counts; beyond it the badge says "100+". */
export const BADGE_PAGE = 100
const FRESH_MS = 60_000

/**
 * The number of household claims waiting for review, for the console's tab badge. The API has no
 * count, so this reads one page of pending claims, at most once a minute.
 */
export const useClaimsStore = defineStore('claims', () => {
  /** `null` until known (or when it could not be loaded: the badge is then simply not shown). */
  const pending = ref<number | null>(null)
  const more = ref(false)
  let loadedAt = 0
  let inFlight: Promise<void> | null = null

  async function refresh(force = false): Promise<void> {
    if (!force && Date.now() - loadedAt < FRESH_MS) return
    inFlight ??= api
      .claims({ status: 'pending', limit: BADGE_PAGE })
      .then((page) => {
        pending.value = page.items.length
        more.value = page.next_cursor !== null
        loadedAt = Date.now()
      })
      .catch(() => {
        // the badge is a convenience; the claims page itself shows any error
      })
      .finally(() => {
        inFlight = null
      })
    return inFlight
  }

  /** A claim was reviewed here: one fewer waiting. */
  function reviewed(): void {
    if (pending.value !== null && pending.value > 0 && !more.value) pending.value -= 1
    else loadedAt = 0 // beyond the first page the exact figure needs a new read
  }

  return { pending, more, refresh, reviewed }
})
