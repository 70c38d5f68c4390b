import { ref } from 'vue'
import { defineStore } from 'pinia'
import { api, type PublicConfig } from '@/api'

/** GET /public/config, read once: whether this is a demo (SMS codes viewable) and the privacy policy version. */
export const usePublicConfigStore = defineStore('publicConfig', () => {
  const config = ref<PublicConfig | null>(null)
  let inFlight: Promise<PublicConfig | null> | null = null

  function load(): Promise<PublicConfig | null> {
    if (config.value) return Promise.resolve(config.value)
    inFlight ??= api.publicConfig()
      .then((c) => (config.value = c))
      .catch(() => null) // without it the forms still work; only the demo helper stays hidden
      .finally(() => {
        inFlight = null
      })
    return inFlight
  }

  return { config, load }
})
