import { defineFeature } from '@/router/feature'
import { PEOPLE_ROLES } from '@/router/roles'

// 联合项目: residents and volunteers follow, like and discuss them; staff run them; partner units mark
// their milestones. 联盟单位: the alliance's member units (the console's list and each unit's page).
export default defineFeature({
  app: [
    {
      path: 'projects', name: 'projects', component: () => import('./ProjectListView.vue'),
      meta: {
        titleKey: 'projects.title', roles: ['resident', 'volunteer'],
        entry: { labelKey: 'projects.title', subKey: 'projects.entrySub', icon: 'award-o', order: 65 },
      },
    },
    {
      path: 'projects/:id(\\d+)', name: 'project', component: () => import('./ProjectDetailView.vue'),
      meta: { titleKey: 'projects.detailTitle', roles: ['resident', 'volunteer'], tabbar: false },
    },
  ],
  console: [
    {
      path: 'projects', name: 'console-projects', component: () => import('./console/ProjectListView.vue'),
      meta: { titleKey: 'projectsConsole.title', roles: [...PEOPLE_ROLES, 'partner'], nav: { labelKey: 'projectsConsole.nav', order: 40 } },
    },
    {
      path: 'projects/new', name: 'console-project-new', component: () => import('./console/ProjectNewView.vue'),
      meta: { titleKey: 'projectsConsole.new', roles: PEOPLE_ROLES },
    },
    {
      path: 'projects/:id(\\d+)', name: 'console-project', component: () => import('./console/ProjectDetailView.vue'),
      meta: { titleKey: 'projectsConsole.detail', roles: [...PEOPLE_ROLES, 'partner'] },
    },
    {
      path: 'units', name: 'console-units', component: () => import('./console/UnitListView.vue'),
      meta: { titleKey: 'alliance.title', roles: PEOPLE_ROLES, nav: { labelKey: 'alliance.nav', order: 45 } },
    },
    {
      path: 'units/:id(\\d+)', name: 'console-unit', component: () => import('./console/UnitDetailView.vue'),
      meta: { titleKey: 'alliance.detail', roles: PEOPLE_ROLES },
    },
  ],
})
