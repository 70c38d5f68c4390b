import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory } from 'vue-router'
import App from '@/App.vue'
import { createAppRouter } from '@/router'
import { i18n } from '@/i18n'
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
