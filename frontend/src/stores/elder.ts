import { ref } from 'vue'
import { defineStore } from 'pinia'

const STORAGE_KEY = 'steward.elder'
export const ELDER_CLASS = 'elder'

/** Elder mode (长辈模式): a class on <html> switches the CSS variables to large text and targets. */
export const useElderStore = defineStore('elder', () => {
  const enabled = ref(localStorage.getItem(STORAGE_KEY) === '1')

  function apply(): void {
    document.documentElement.classList.toggle(ELDER_CLASS, enabled.value)
  }

  function set(value: boolean): void {
    enabled.value = value
    localStorage.setItem(STORAGE_KEY, value ? '1' : '0')
    apply()
  }

  function toggle(): void {
    set(!enabled.value)
  }

  apply()
  return { enabled, set, toggle }
})
