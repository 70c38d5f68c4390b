import { ref } from 'vue'
import { api, type Resident } from '@/api'

/**
 * One resident as last read (GET) with its `ETag`, for an edit page that PATCHes with `If-Match`.
 * `stale` (the server answered 412) and `saveError` belong to that page's save and are cleared by a
 * successful `load()`.
 */
export function useResidentWithEtag(residentId: () => number) {
  const resident = ref<Resident | null>(null)
  const etag = ref('')
  const loading = ref(false)
  const loadError = ref<unknown>(null)
  const saveError = ref<unknown>(null)
  const stale = ref(false)

  async function load() {
    loading.value = true
    loadError.value = null
    try {
      const r = await api.resident(residentId())
      resident.value = r.data
      etag.value = r.etag
      stale.value = false
      saveError.value = null
    } catch (e) {
      loadError.value = e
    } finally {
      loading.value = false
    }
  }

  return { resident, etag, loading, loadError, saveError, stale, load }
}
