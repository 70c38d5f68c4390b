import { defineFeature } from '@/router/feature'
import { PEOPLE_ROLES } from '@/router/roles'

// Red Grid cases (红网格事项): residents report and follow, volunteers handle their grid's cases, staff
// triage and dispatch on the board, partners update their unit's part.
export default defineFeature({
  app: [
    {
      path: 'cases/new', name: 'case-report', component: () => import('./ReportView.vue'),
      meta: {
        titleKey: 'caseReport.title', roles: ['resident', 'volunteer'], tabbar: false,
        entry: { labelKey: 'caseReport.entry', subKey: 'caseReport.entrySub', icon: 'photograph', order: 30 },
      },
    },
    {
      path: 'cases/mine', name: 'my-cases', component: () => import('./CaseListView.vue'), props: { kind: 'mine' },
      meta: {
        titleKey: 'myCases.title', roles: ['resident'],
        entry: { labelKey: 'myCases.entry', subKey: 'myCases.entrySub', icon: 'orders-o', order: 31 },
      },
    },
    {
      path: 'cases/grid', name: 'grid-cases', component: () => import('./CaseListView.vue'), props: { kind: 'grid' },
      meta: {
        titleKey: 'gridCases.title', roles: ['volunteer'],
        entry: { labelKey: 'gridCases.entry', subKey: 'gridCases.entrySub', icon: 'cluster-o', order: 29 },
      },
    },
    {
      path: 'cases/:id(\\d+)', name: 'case', component: () => import('./CaseDetailView.vue'),
      // a link to a case (a notification, a shared address) opens it in the console for staff and partners
      meta: { titleKey: 'caseDetail.title', consoleTwin: 'console-case' },
    },
  ],
  console: [
    {
      path: 'cases', name: 'console-cases', component: () => import('./console/CaseBoardView.vue'),
      meta: { titleKey: 'caseBoard.title', roles: PEOPLE_ROLES, nav: { labelKey: 'caseBoard.nav', order: 5 } },
    },
    {
      path: 'unit-cases', name: 'console-unit-cases', component: () => import('./console/CaseBoardView.vue'),
      props: { partner: true },
      meta: { titleKey: 'caseBoard.partnerTitle', roles: ['partner'], nav: { labelKey: 'caseBoard.partnerNav', order: 5 } },
    },
    {
      path: 'cases/stats', name: 'console-case-stats', component: () => import('./console/CaseStatsView.vue'),
      meta: { titleKey: 'caseStats.title', roles: PEOPLE_ROLES, nav: { labelKey: 'caseStats.nav', order: 6 } },
    },
    {
      path: 'cases/:id(\\d+)', name: 'console-case', component: () => import('./console/ConsoleCaseView.vue'),
      meta: { titleKey: 'caseDetail.title', roles: [...PEOPLE_ROLES, 'partner'] },
    },
  ],
})
