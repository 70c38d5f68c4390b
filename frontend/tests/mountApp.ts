import { afterEach, beforeEach } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory } from 'vue-router'
import App from '@/App.vue'
import { createAppRouter } from '@/router'
import { i18n, setLocale } from '@/i18n'
import { saveTokens } from '@/api/tokens'
import { installVant } from '@/plugins'

/** Mounts the whole app (router, guard, stores, i18n, Vant) at a path, as the browser would. */
export async function mountApp(path: string) {
  const pinia = createPinia()
  setActivePinia(pinia)
  const router = createAppRouter(createMemoryHistory())
  await router.push(path)
  const wrapper = mount(App, {
    attachTo: document.body,
    global: { plugins: [pinia, i18n, router, { install: installVant }] },
  })
  await flushPromises()
  return { wrapper, router }
}

/**
 * Call inside a `describe`: before each test, empty localStorage, switch to zh-CN and save a token pair (a
 * signed-in user); after each test, unmount the app mounted with the returned function (same as `mountApp`).
 */
export function useSignedInApp() {
  let wrapper: VueWrapper | undefined
  beforeEach(() => {
    localStorage.clear()
    setLocale('zh-CN')
    saveTokens({ access: 'a', refresh: 'r' })
  })
  afterEach(() => {
    wrapper?.unmount()
    wrapper = undefined
  })
  return async function mountSignedIn(path: string) {
    const app = await mountApp(path)
    wrapper = app.wrapper
    return app
  }
}

/** Picks a birth date in the resident form's date picker, as a tap on "确定" would. */
export async function pickBirthDate(w: VueWrapper, date: string) {
  await w.get('[data-testid="rf-birth-date"]').trigger('click')
  const { DatePicker } = await import('vant')
  const [y, m, d] = date.split('-')
  w.findComponent(DatePicker).vm.$emit('confirm', { selectedValues: [y, m, d], selectedOptions: [], selectedIndexes: [] })
  await flushPromises()
}
