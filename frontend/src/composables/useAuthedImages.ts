import { onBeforeUnmount, reactive } from 'vue'
import { apiBaseUrl, authFetch } from '@/api/client'

export type ImageState = { status: 'loading' } | { status: 'ok'; src: string } | { status: 'error' }

/**
 * Photos behind the API need the Authorization header, which an <img src> cannot send. This fetches each
 * one with the session's token (and its refresh) and shows it as a `blob:` URL, never with the token in a
 * URL. Every blob URL is revoked when the component goes away.
 */
export function useAuthedImages() {
  const images = reactive(new Map<string, ImageState>())
  const made: string[] = []
  let alive = true

  /** The URL as the API gives it: a path under the API base (`/api/v1/...`), a relative one, or absolute. */
  function absolute(url: string): string {
    if (/^https?:\/\//.test(url)) return url
    if (url.startsWith('/')) return new URL(url, window.location.origin).href
    return `${apiBaseUrl()}/${url}`
  }

  async function fetchOne(url: string): Promise<void> {
    images.set(url, { status: 'loading' })
    try {
      const res = await authFetch(new Request(absolute(url), { headers: { Accept: 'image/*' } }))
      if (!res.ok) throw new Error(`HTTP ${res.status}`)
      const blob = await res.blob()
      if (!alive) return
      const src = URL.createObjectURL(blob)
      made.push(src)
      images.set(url, { status: 'ok', src })
    } catch {
      if (alive) images.set(url, { status: 'error' })
    }
  }

  /** Starts downloading the images not asked for yet (call it from a watcher, not while rendering). */
  function ensure(urls: readonly string[]): void {
    for (const url of urls) if (!images.has(url)) void fetchOne(url)
  }

  /** The state of one image (loading until `ensure` has fetched it). */
  function image(url: string): ImageState {
    return images.get(url) ?? { status: 'loading' }
  }

  function retry(url: string): void {
    void fetchOne(url)
  }

  onBeforeUnmount(() => {
    alive = false
    for (const src of made) URL.revokeObjectURL(src)
  })

  return { ensure, image, retry }
}
