import { defineFeature } from '@/router/feature'

export default defineFeature({
  app: [
    { path: '', name: 'home', component: () => import('./HomeView.vue') },
  ],
})
