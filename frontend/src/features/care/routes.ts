import { defineFeature } from '@/router/feature'
import { PEOPLE_ROLES } from '@/router/roles'

// 结对关爱: volunteers log their visits, a household sees who cares for it, staff pair and follow up.
export default defineFeature({
  app: [
    {
      path: 'care', name: 'care', component: () => import('./CareListView.vue'),
      meta: { titleKey: 'care.title', roles: ['volunteer'], entry: { labelKey: 'care.title', subKey: 'care.entrySub', icon: 'friends-o', order: 6 } },
    },
    {
      path: 'care/pairs/:id(\\d+)', name: 'care-pair', component: () => import('./CarePairView.vue'),
      meta: { titleKey: 'care.pairTitle', roles: ['volunteer'], tabbar: false },
    },
    {
      path: 'care/my-household', name: 'my-care', component: () => import('./MyCareView.vue'),
      meta: {
        titleKey: 'care.mine.title', roles: ['resident'], needsHousehold: true,
        entry: { labelKey: 'care.mine.title', subKey: 'care.mine.entrySub', icon: 'friends-o', order: 85 },
      },
    },
  ],
  console: [
    {
      path: 'care', name: 'console-care', component: () => import('./console/PairListView.vue'),
      meta: { titleKey: 'careConsole.title', roles: PEOPLE_ROLES, nav: { labelKey: 'careConsole.nav', order: 30 } },
    },
    {
      path: 'care/new', name: 'console-care-new', component: () => import('./console/PairNewView.vue'),
      meta: { titleKey: 'careConsole.new.title', roles: PEOPLE_ROLES },
    },
    {
      path: 'care/pairs/:id(\\d+)', name: 'console-care-pair', component: () => import('./console/PairDetailView.vue'),
      meta: { titleKey: 'careConsole.pair.title', roles: PEOPLE_ROLES },
    },
    {
      path: 'care/hours', name: 'console-care-hours', component: () => import('./console/HoursView.vue'),
      meta: { titleKey: 'careConsole.hours.title', roles: PEOPLE_ROLES },
    },
  ],
})
