import { defineFeature } from '@/router/feature'
import { CONSOLE_ROLES } from '@/router/roles'
import InboxBadge from './components/InboxBadge.vue'

// 消息: the inbox of notifications (the home header's bell opens it; in the console, a link with its count).
export default defineFeature({
  app: [
    {
      path: 'inbox', name: 'inbox', component: () => import('./InboxView.vue'),
      meta: { titleKey: 'inbox.title', tabbar: false },
    },
  ],
  console: [
    {
      path: 'inbox', name: 'console-inbox', component: () => import('./InboxView.vue'),
      meta: { titleKey: 'inbox.title', roles: CONSOLE_ROLES, nav: { labelKey: 'inbox.title', order: 5, badge: InboxBadge } },
    },
  ],
})
