import { computed } from 'vue'
import { useRoute } from 'vue-router'

/** The "me" pages by name in the shell the user is in (`console-…` inside the console). */
export function useMeLinks() {
  const route = useRoute()
  const inConsole = computed(() => route.meta.section === 'console')
  const name = (page: 'me' | 'password' | 'phone') => (inConsole.value ? `console-${page}` : page)
  return { inConsole, name }
}
