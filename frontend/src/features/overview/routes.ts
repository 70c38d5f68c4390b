import { defineFeature } from '@/router/feature'

export default defineFeature({
  console: [
    {
      path: '', name: 'console', component: () => import('./OverviewView.vue'),
      meta: { titleKey: 'console.title', nav: { labelKey: 'overview.nav', order: 0 } },
    },
  ],
})
