import { defineFeature } from '@/router/feature'
import { PEOPLE_ROLES } from '@/router/roles'

// 自治议题 / 金点子: residents propose, support and discuss; staff answer and moderate in the console.
export default defineFeature({
  app: [
    {
      path: 'topics', name: 'topics', component: () => import('./TopicListView.vue'),
      meta: {
        titleKey: 'topics.title', roles: ['resident', 'volunteer'],
        entry: { labelKey: 'topics.entry', subKey: 'topics.entrySub', icon: 'chat-o', order: 60 },
      },
    },
    {
      path: 'topics/new', name: 'topic-new', component: () => import('./TopicNewView.vue'),
      meta: { titleKey: 'topics.newTitle', roles: ['resident'], tabbar: false, needsHousehold: true },
    },
    {
      path: 'topics/:id(\\d+)', name: 'topic', component: () => import('./TopicDetailView.vue'),
      meta: { titleKey: 'topics.detailTitle', roles: ['resident', 'volunteer'], tabbar: false, consoleTwin: 'console-topic' },
    },
  ],
  console: [
    {
      path: 'topics', name: 'console-topics', component: () => import('./console/TopicListView.vue'),
      meta: { titleKey: 'topicsConsole.title', roles: PEOPLE_ROLES, nav: { labelKey: 'topicsConsole.nav', order: 42 } },
    },
    {
      path: 'topics/moderation', name: 'console-topic-moderation', component: () => import('./console/ModerationView.vue'),
      meta: { titleKey: 'topicsConsole.moderation', roles: PEOPLE_ROLES },
    },
    {
      path: 'topics/:id(\\d+)', name: 'console-topic', component: () => import('./console/TopicDetailView.vue'),
      meta: { titleKey: 'topicsConsole.detail', roles: PEOPLE_ROLES },
    },
  ],
})
