import { describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { usePagedList, type CursorPage } from '@/composables/usePagedList'

/** A promise and its settle functions, so a test decides when (and in which order) answers arrive. */
function deferred<T>() {
  let resolve!: (v: T) => void
  let reject!: (e: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

type Page = CursorPage<number>
const page = (items: number[], next_cursor: string | null = null): Page => ({ items, next_cursor })

/** A fetchPage whose calls wait until the test settles them; `calls[i]` is the i-th call. */
function controlledFetch() {
  const calls: { cursor?: string; answer: ReturnType<typeof deferred<Page>> }[] = []
  const fetchPage = vi.fn((cursor?: string) => {
    const answer = deferred<Page>()
    calls.push({ cursor, answer })
    return answer.promise
  })
  return { fetchPage, calls }
}

describe('usePagedList', () => {
  it('reload shows the first page and its cursor, with loading set meanwhile', async () => {
    const { fetchPage, calls } = controlledFetch()
    const onReload = vi.fn()
    const list = usePagedList(fetchPage, { onReload })
    const done = list.reload()
    expect(list.loading.value).toBe(true)
    expect(calls[0].cursor).toBeUndefined()
    calls[0].answer.resolve(page([1, 2], 'c1'))
    await done
    expect(list.items.value).toEqual([1, 2])
    expect(list.nextCursor.value).toBe('c1')
    expect(list.loading.value).toBe(false)
    expect(list.error.value).toBeNull()
    expect(onReload).toHaveBeenCalledExactlyOnceWith(page([1, 2], 'c1'))
  })

  it('drops the answer to an older reload, whichever arrives first', async () => {
    const { fetchPage, calls } = controlledFetch()
    const onReload = vi.fn()
    const list = usePagedList(fetchPage, { onReload })
    void list.reload()
    void list.reload()
    calls[1].answer.resolve(page([20], null))
    await flushPromises()
    expect(list.items.value).toEqual([20])
    expect(list.loading.value).toBe(false)
    calls[0].answer.resolve(page([10], 'old'))
    await flushPromises()
    expect(list.items.value).toEqual([20])
    expect(list.nextCursor.value).toBeNull()
    expect(onReload).toHaveBeenCalledTimes(1)

    // an older failure is dropped too, and does not end the newer reload's loading
    void list.reload()
    void list.reload()
    calls[2].answer.reject(new Error('old'))
    await flushPromises()
    expect(list.error.value).toBeNull()
    expect(list.loading.value).toBe(true)
    calls[3].answer.resolve(page([30]))
    await flushPromises()
    expect(list.items.value).toEqual([30])
    expect(list.loading.value).toBe(false)
  })

  it('load more appends the next page and moves the cursor; without a cursor it does nothing', async () => {
    const { fetchPage, calls } = controlledFetch()
    const list = usePagedList(fetchPage)
    void list.reload()
    calls[0].answer.resolve(page([1, 2], 'c1'))
    await flushPromises()
    const more = list.loadMore()
    expect(list.loadingMore.value).toBe(true)
    expect(calls[1].cursor).toBe('c1')
    calls[1].answer.resolve(page([3], null))
    await more
    expect(list.items.value).toEqual([1, 2, 3])
    expect(list.nextCursor.value).toBeNull()
    expect(list.loadingMore.value).toBe(false)
    await list.loadMore()
    expect(fetchPage).toHaveBeenCalledTimes(2)
  })

  it('drops a load-more answer that arrives after a new reload started', async () => {
    const { fetchPage, calls } = controlledFetch()
    const list = usePagedList(fetchPage)
    void list.reload()
    calls[0].answer.resolve(page([1], 'c1'))
    await flushPromises()
    void list.loadMore()
    void list.reload()
    calls[2].answer.resolve(page([5], null))
    await flushPromises()
    calls[1].answer.resolve(page([2], 'c2'))
    await flushPromises()
    expect(list.items.value).toEqual([5])
    expect(list.nextCursor.value).toBeNull()
  })

  it('a failed reload shows the error and clears the list; a failed load more keeps it', async () => {
    const { fetchPage, calls } = controlledFetch()
    const list = usePagedList(fetchPage)
    void list.reload()
    calls[0].answer.resolve(page([1], 'c1'))
    await flushPromises()
    const boom = new Error('boom')
    void list.loadMore()
    calls[1].answer.reject(boom)
    await flushPromises()
    expect(list.error.value).toBe(boom)
    expect(list.items.value).toEqual([1])
    expect(list.nextCursor.value).toBe('c1')
    expect(list.loadingMore.value).toBe(false)

    const onReload = vi.fn()
    const other = usePagedList(fetchPage, { onReload })
    void other.reload()
    calls[2].answer.resolve(page([7, 8], 'c7'))
    await flushPromises()
    void other.reload()
    expect(other.error.value).toBeNull()
    calls[3].answer.reject(boom)
    await flushPromises()
    expect(other.error.value).toBe(boom)
    expect(other.items.value).toEqual([])
    expect(other.nextCursor.value).toBeNull()
    expect(other.loading.value).toBe(false)
    expect(onReload).toHaveBeenCalledTimes(1)
  })
})
