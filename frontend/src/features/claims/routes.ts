import { defineFeature } from '@/router/feature'
import { PEOPLE_ROLES } from '@/router/roles'
import ClaimsBadge from './ClaimsBadge.vue'

export default defineFeature({
  console: [
    {
      path: 'claims', name: 'console-claims', component: () => import('./ClaimListView.vue'),
      meta: { titleKey: 'claims.title', roles: PEOPLE_ROLES, nav: { labelKey: 'claims.nav', order: 20, badge: ClaimsBadge } },
    },
  ],
})
