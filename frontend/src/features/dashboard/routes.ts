import { defineFeature } from '@/router/feature'
import { PEOPLE_ROLES } from '@/router/roles'

// 数据看板 (staff console only): coverage, cases, bookings, care, forms, weekly trend. Its charts (ECharts)
// load with this page alone, so the resident app never downloads them.
export default defineFeature({
  console: [
    {
      path: 'dashboard', name: 'console-dashboard', component: () => import('./DashboardView.vue'),
      meta: { titleKey: 'dashboard.title', roles: PEOPLE_ROLES, nav: { labelKey: 'dashboard.nav', order: 12 } },
    },
  ],
})
