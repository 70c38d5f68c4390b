import { defineFeature } from '@/router/feature'

// 消息: the inbox of notifications (the home header's bell opens it).
export default defineFeature({
  app: [
    {
      path: 'inbox', name: 'inbox', component: () => import('./InboxView.vue'),
      meta: { titleKey: 'inbox.title', tabbar: false },
    },
  ],
})
