import type { RouteRecordRaw } from 'vue-router'
import { defineFeature } from '@/router/feature'

// The same pages in both shells: console users keep the console's header and navigation around them.
function pages(prefix: '' | 'console-'): RouteRecordRaw[] {
  return [
    {
      path: 'me/password', name: `${prefix}password`, component: () => import('./ChangePasswordView.vue'),
      meta: { titleKey: 'password.title', passwordChange: true, tabbar: false, consoleTwin: prefix ? undefined : 'console-password' },
    },
    {
      path: 'me/phone', name: `${prefix}phone`, component: () => import('./ChangePhoneView.vue'),
      meta: { titleKey: 'changePhone.title', tabbar: false, consoleTwin: prefix ? undefined : 'console-phone' },
    },
  ]
}

export default defineFeature({
  app: [
    { path: 'me', name: 'me', component: () => import('./MeView.vue'), meta: { titleKey: 'me.title', consoleTwin: 'console-me' } },
    ...pages(''),
  ],
  console: [
    {
      path: 'me', name: 'console-me', component: () => import('./MeView.vue'),
      meta: { titleKey: 'me.title', nav: { labelKey: 'me.title', order: 900 } },
    },
    ...pages('console-'),
  ],
})
