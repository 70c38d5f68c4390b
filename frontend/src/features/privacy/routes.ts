import { defineFeature } from '@/router/feature'
import { PEOPLE_ROLES } from '@/router/roles'

export default defineFeature({
  // Open to everyone, signed in or not (section "any": a signed-in reader is not sent away).
  public: [
    {
      path: '/privacy', name: 'privacy', component: () => import('./PrivacyView.vue'),
      meta: { titleKey: 'privacy.title', section: 'any' },
    },
  ],
  // 我的数据 (PIPL arts. 44–47): see, download, withdraw consent, ask for deletion.
  app: [
    {
      path: 'me/data', name: 'my-data', component: () => import('./MyDataView.vue'),
      meta: {
        titleKey: 'myData.title', roles: ['resident', 'volunteer'],
        entry: { labelKey: 'myData.title', subKey: 'myData.entrySub', icon: 'shield-o', order: 95 },
      },
    },
  ],
  console: [
    {
      path: 'deletion-requests', name: 'console-deletion-requests', component: () => import('./console/DeletionRequestsView.vue'),
      meta: { titleKey: 'privacyConsole.title', roles: PEOPLE_ROLES, nav: { labelKey: 'privacyConsole.nav', order: 88 } },
    },
  ],
})
