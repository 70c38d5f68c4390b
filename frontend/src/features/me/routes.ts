import { defineFeature } from '@/router/feature'

// The same page in both shells: console users keep the console's header and navigation around it.
export default defineFeature({
  app: [
    { path: 'me', name: 'me', component: () => import('./MeView.vue'), meta: { titleKey: 'me.title', consoleTwin: 'console-me' } },
  ],
  console: [
    {
      path: 'me', name: 'console-me', component: () => import('./MeView.vue'),
      meta: { titleKey: 'me.title', nav: { labelKey: 'me.title', order: 900 } },
    },
  ],
})
