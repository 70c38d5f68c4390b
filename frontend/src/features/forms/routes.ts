import { defineFeature } from '@/router/feature'
import { PEOPLE_ROLES } from '@/router/roles'

// 信息登记: residents answer the committee's forms (返沪人员登记, 活动报名…) and change their answers
// before the deadline; staff build forms, read the answers masked and export them.
export default defineFeature({
  app: [
    {
      path: 'forms', name: 'forms', component: () => import('./FormListView.vue'),
      meta: {
        titleKey: 'forms.title', roles: ['resident', 'volunteer'], needsHousehold: true,
        entry: { labelKey: 'forms.title', subKey: 'forms.entrySub', icon: 'records-o', order: 70 },
      },
    },
    {
      path: 'forms/:id(\\d+)', name: 'form-fill', component: () => import('./FormFillView.vue'),
      meta: { titleKey: 'forms.fill', roles: ['resident', 'volunteer'], needsHousehold: true, tabbar: false },
    },
    {
      path: 'forms/submissions/:sid(\\d+)', name: 'form-edit', component: () => import('./FormFillView.vue'),
      meta: { titleKey: 'forms.edit', roles: ['resident', 'volunteer'], needsHousehold: true, tabbar: false },
    },
  ],
  console: [
    {
      path: 'forms', name: 'console-forms', component: () => import('./console/FormsConsoleView.vue'),
      meta: { titleKey: 'formsConsole.title', roles: PEOPLE_ROLES, nav: { labelKey: 'formsConsole.nav', order: 45 } },
    },
    {
      path: 'forms/new', name: 'console-form-new', component: () => import('./console/FormBuilderView.vue'),
      meta: { titleKey: 'formsConsole.builder.title', roles: PEOPLE_ROLES },
    },
    {
      path: 'forms/:id(\\d+)', name: 'console-form', component: () => import('./console/FormSubmissionsView.vue'),
      meta: { titleKey: 'formsConsole.submissions.title', roles: PEOPLE_ROLES },
    },
  ],
})
