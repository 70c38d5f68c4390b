import { defineFeature } from '@/router/feature'

// 网格员 / 志愿者: the households and residents of their own grid (the API scopes both lists to it).
export default defineFeature({
  app: [
    {
      path: 'grid', name: 'grid', component: () => import('./GridView.vue'),
      meta: { titleKey: 'grid.title', roles: ['volunteer'], entry: { labelKey: 'grid.title', subKey: 'grid.entrySub', icon: 'cluster-o', order: 5 } },
    },
  ],
})
