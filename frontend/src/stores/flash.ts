import { ref } from 'vue'
import { defineStore } from 'pinia'

/**
 * A one-time message for the next page ("已保存"), for forms that go back to the page they came from
 * when they are done. Shown inline (role=status) by that page, never as a pop-up.
 */
export const useFlashStore = defineStore('flash', () => {
  const message = ref('')

  function set(text: string): void {
    message.value = text
  }

  /** The message, once: reading it clears it. */
  function take(): string {
    const m = message.value
    message.value = ''
    return m
  }

  return { message, set, take }
})
