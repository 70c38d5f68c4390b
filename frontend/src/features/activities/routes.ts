import { defineFeature } from '@/router/feature'

const JOINERS = ['resident', 'volunteer']
/** Staff who run activities (the API's roles for adding and changing one). */
export const ACTIVITY_ROLES = ['staff', 'town_staff', 'admin']

export default defineFeature({
  app: [
    {
      path: 'activities', name: 'activities', component: () => import('./ActivityListView.vue'),
      meta: { titleKey: 'activities.title', roles: JOINERS, entry: { labelKey: 'activities.title', icon: 'flag-o', order: 50 } },
    },
    {
      path: 'activities/:id(\\d+)', name: 'activity', component: () => import('./ActivityDetailView.vue'),
      meta: { titleKey: 'activities.title', roles: JOINERS },
    },
    {
      path: 'activities/:id(\\d+)/check-in', name: 'activity-check-in', component: () => import('./CheckInView.vue'),
      meta: { titleKey: 'checkIn.title', roles: ['volunteer'] },
    },
  ],
  console: [
    {
      path: 'activities', name: 'console-activities', component: () => import('./console/ActivityConsoleView.vue'),
      meta: { titleKey: 'activityConsole.title', roles: ACTIVITY_ROLES, nav: { labelKey: 'activityConsole.nav', order: 33 } },
    },
    {
      path: 'activities/new', name: 'console-activity-new', component: () => import('./console/ActivityEditView.vue'),
      meta: { titleKey: 'activityConsole.new', roles: ACTIVITY_ROLES },
    },
    {
      path: 'activities/:id(\\d+)', name: 'console-activity', component: () => import('./console/ActivityEditView.vue'),
      meta: { titleKey: 'activityConsole.edit', roles: ACTIVITY_ROLES },
    },
  ],
})
