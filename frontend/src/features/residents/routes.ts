import { defineFeature } from '@/router/feature'
import { PEOPLE_ROLES } from '@/router/roles'

export default defineFeature({
  console: [
    {
      path: 'residents', name: 'console-residents', component: () => import('./ResidentListView.vue'),
      meta: { titleKey: 'residents.title', roles: PEOPLE_ROLES, nav: { labelKey: 'residents.nav', order: 10 } },
    },
    {
      path: 'residents/:id(\\d+)', name: 'console-resident', component: () => import('./ResidentDetailView.vue'),
      meta: { titleKey: 'residentDetail.title', roles: PEOPLE_ROLES },
    },
  ],
})
