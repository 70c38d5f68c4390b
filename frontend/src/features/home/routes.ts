import { defineFeature } from '@/router/feature'

export default defineFeature({
  app: [
    { path: '', name: 'home', component: () => import('./HomeView.vue') },
    {
      path: 'coming-soon/:feature', name: 'coming-soon', component: () => import('./ComingSoonView.vue'),
      meta: { titleKey: 'comingSoon.title', tabbar: false },
    },
  ],
})
