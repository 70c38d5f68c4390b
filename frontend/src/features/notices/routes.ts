import { defineFeature } from '@/router/feature'
import { PEOPLE_ROLES } from '@/router/roles'

// 通知公告 and 办事指南: residents read (opening marks read), search the guides; staff write, publish and
// follow the read rate down to the doors still to knock on.
export default defineFeature({
  app: [
    {
      path: 'notices', name: 'notices', component: () => import('./NoticeListView.vue'),
      meta: { titleKey: 'notices.title', entry: { labelKey: 'notices.title', subKey: 'notices.entrySub', icon: 'volume-o', order: 10 } },
    },
    {
      path: 'notices/:id(\\d+)', name: 'notice', component: () => import('./NoticeReaderView.vue'),
      meta: { titleKey: 'notices.title', tabbar: false },
    },
    {
      path: 'guides', name: 'guides', component: () => import('./GuideSearchView.vue'),
      meta: { titleKey: 'guides.title', entry: { labelKey: 'guides.title', subKey: 'guides.entrySub', icon: 'guide-o', order: 20 } },
    },
  ],
  console: [
    {
      path: 'notices', name: 'console-notices', component: () => import('./console/NoticeConsoleListView.vue'),
      meta: { titleKey: 'noticesConsole.title', roles: PEOPLE_ROLES, nav: { labelKey: 'noticesConsole.nav', order: 25 } },
    },
    {
      path: 'notices/new', name: 'console-notice-new', component: () => import('./console/NoticeEditorView.vue'),
      meta: { titleKey: 'noticesConsole.new', roles: PEOPLE_ROLES },
    },
    {
      path: 'notices/:id(\\d+)/edit', name: 'console-notice-edit', component: () => import('./console/NoticeEditorView.vue'),
      meta: { titleKey: 'noticesConsole.editTitle', roles: PEOPLE_ROLES },
    },
    {
      path: 'notices/:id(\\d+)', name: 'console-notice', component: () => import('./console/NoticeStatsView.vue'),
      meta: { titleKey: 'noticesConsole.title', roles: PEOPLE_ROLES },
    },
  ],
})
