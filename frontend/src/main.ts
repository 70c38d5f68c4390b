import { createApp } from 'vue'
import { createPinia } from 'pinia'
import './styles/vant' // first, so that theme.css and app.css override it
import './styles/theme.css'
import './styles/app.css'
import App from './App.vue'
import { applyLocale, i18n, loadLocale, storedLocale } from './i18n'
import { installVant } from './plugins'
import { createAppRouter } from './router'
import { addSessionListener } from './api/client'
import { useElderStore } from './stores/elder'

const app = createApp(App)
const pinia = createPinia()
app.use(pinia)
app.use(i18n)
installVant(app)
applyLocale()
useElderStore(pinia) // applies the persisted elder-mode class before the first paint of the app

const router = createAppRouter()
app.use(router)

// A refused refresh token ends the session: back to the login page, then back here after login.
addSessionListener({
  expired: () => {
    const here = router.currentRoute.value
    if (!here.meta.public) void router.replace({ name: 'login', query: { redirect: here.fullPath } })
  },
})

// English, when remembered, is loaded before the first paint (no flash of Chinese); Chinese is there already.
void loadLocale(storedLocale()).finally(() => app.mount('#app'))
