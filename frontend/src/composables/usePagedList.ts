import { ref, type Ref } from 'vue'

/** One page of a cursor-paginated list, as the API answers it. */
export interface CursorPage<T> {
  items: T[]
  next_cursor: string | null
}

export interface PagedListOptions<T> {
  /** Runs after a (non-stale) first page has been shown by `reload()`. */
  onReload?: (page: CursorPage<T>) => void
}

/**
 * Cursor pagination for a list view: `reload()` fetches the first page (answers to an older reload are
 * dropped), `loadMore()` appends the next one. A failed reload clears the list; a failed "load more" keeps it.
 */
export function usePagedList<T>(
  fetchPage: (cursor?: string) => Promise<CursorPage<T>>,
  options: PagedListOptions<T> = {},
) {
  const items = ref<T[]>([]) as Ref<T[]>
  const nextCursor = ref<string | null>(null)
  const loading = ref(false)
  const loadingMore = ref(false)
  const error = ref<unknown>(null)
  let generation = 0

  async function reload() {
    const gen = ++generation
    loading.value = true
    error.value = null
    try {
      const page = await fetchPage()
      if (gen !== generation) return
      items.value = page.items
      nextCursor.value = page.next_cursor
      options.onReload?.(page)
    } catch (e) {
      if (gen !== generation) return
      error.value = e
      items.value = []
      nextCursor.value = null
    } finally {
      if (gen === generation) loading.value = false
    }
  }

  async function loadMore() {
    if (!nextCursor.value) return
    const gen = generation
    loadingMore.value = true
    error.value = null
    try {
      const page = await fetchPage(nextCursor.value)
      if (gen !== generation) return
      items.value.push(...page.items)
      nextCursor.value = page.next_cursor
    } catch (e) {
      error.value = e
    } finally {
      loadingMore.value = false
    }
  }

  return { items, nextCursor, loading, loadingMore, error, reload, loadMore }
}
