// The inbox's unread count, kept fresh while the app is open: live over server-sent events when the server
// has room (a stream ticket, then EventSource), else a cheap poll of /notifications/unread-count with
// If-None-Match (304 while nothing changed). Components showing the count call `useLiveInbox()`, which
// starts it on mount and stops it on unmount; the connection lives while at least one is on screen.
import { onBeforeUnmount, onMounted, ref } from 'vue'
import { defineStore } from 'pinia'
import { apiBaseUrl, authFetch, client } from '@/api/client'
import { unwrap } from '@/api'

export const POLL_MS = 30_000
export const LIVE_RETRY_MS = 60_000

export type LiveState = 'off' | 'connecting' | 'live' | 'polling'

export const useInboxStore = defineStore('inbox', () => {
  const unread = ref(0)
  const live = ref<LiveState>('off')
  /** Bumped on every pushed notification: lists watch it to reload. */
  const version = ref(0)
  let etag = ''
  let users = 0
  let source: EventSource | null = null
  let pollTimer: ReturnType<typeof setInterval> | null = null
  let retryTimer: ReturnType<typeof setTimeout> | null = null

  async function refresh(): Promise<void> {
    try {
      const headers: Record<string, string> = { Accept: 'application/json' }
      if (etag) headers['If-None-Match'] = etag
      const res = await authFetch(new Request(`${apiBaseUrl()}/notifications/unread-count`, { headers }))
      if (res.status === 304 || !res.ok) return
      const body = (await res.json()) as { unread?: unknown }
      if (typeof body.unread === 'number') {
        unread.value = body.unread
        etag = res.headers.get('ETag') ?? ''
      }
    } catch {
      // offline: keep the last count, the next poll or event tries again
    }
  }

  function startPolling(): void {
    if (!pollTimer) pollTimer = setInterval(() => void refresh(), POLL_MS)
    if (live.value !== 'live') live.value = 'polling'
  }

  function stopPolling(): void {
    if (pollTimer) clearInterval(pollTimer)
    pollTimer = null
  }

  async function connect(): Promise<void> {
    if (typeof EventSource === 'undefined' || users === 0) {
      startPolling()
      return
    }
    live.value = 'connecting'
    let ticket: string
    try {
      ticket = ((await unwrap(client.POST('/notifications/stream-tickets'))) as { ticket: string }).ticket
    } catch {
      fallBack()
      return
    }
    if (users === 0) return
    const es = new EventSource(`${apiBaseUrl()}/notifications/stream?ticket=${encodeURIComponent(ticket)}`)
    source = es
    es.addEventListener('ready', () => {
      live.value = 'live'
      stopPolling()
      void refresh() // anything that came while connecting
    })
    es.addEventListener('notification', () => {
      version.value += 1
      void refresh()
    })
    es.onerror = () => {
      // The server ends streams now and then, refuses when busy, or the ticket expired: the browser would
      // retry with the old ticket, so close it and come back with a new one, polling meanwhile.
      es.close()
      if (source === es) source = null
      fallBack()
    }
  }

  function fallBack(): void {
    live.value = 'polling'
    startPolling()
    if (!retryTimer && users > 0) {
      retryTimer = setTimeout(() => {
        retryTimer = null
        if (users > 0 && !source) void connect()
      }, LIVE_RETRY_MS)
    }
  }

  function start(): void {
    users += 1
    if (users > 1) return
    void refresh()
    void connect()
  }

  function stop(): void {
    users = Math.max(0, users - 1)
    if (users > 0) return
    source?.close()
    source = null
    stopPolling()
    if (retryTimer) clearTimeout(retryTimer)
    retryTimer = null
    live.value = 'off'
  }

  /** After marking read here: the count changed without a push. */
  function setUnread(n: number): void {
    unread.value = Math.max(0, n)
  }

  return { unread, live, version, refresh, start, stop, setUnread }
})

/** The inbox store, kept live while the calling component is mounted (the bell, the console's badge). */
export function useLiveInbox() {
  const inbox = useInboxStore()
  onMounted(() => inbox.start())
  onBeforeUnmount(() => inbox.stop())
  return inbox
}
