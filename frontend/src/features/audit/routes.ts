import { defineFeature } from '@/router/feature'
import { PEOPLE_ROLES } from '@/router/roles'

export default defineFeature({
  console: [
    {
      path: 'audit', name: 'console-audit', component: () => import('./AuditListView.vue'),
      meta: { titleKey: 'audit.title', roles: PEOPLE_ROLES, nav: { labelKey: 'audit.nav', order: 80 } },
    },
  ],
})
