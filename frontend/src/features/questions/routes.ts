import { defineFeature } from '@/router/feature'
import { PEOPLE_ROLES } from '@/router/roles'

// 咨询: residents ask the committee and read the answers; the grid's volunteer answers from the app; staff
// answer from the console's queue.
export default defineFeature({
  app: [
    {
      path: 'questions', name: 'questions', component: () => import('./QuestionListView.vue'),
      meta: {
        titleKey: 'questions.title', roles: ['resident', 'volunteer'],
        entry: { labelKey: 'questions.entry', subKey: 'questions.entrySub', icon: 'service-o', order: 75 },
      },
    },
    {
      path: 'questions/new', name: 'question-new', component: () => import('./QuestionNewView.vue'),
      meta: { titleKey: 'questions.newTitle', roles: ['resident'], tabbar: false },
    },
    {
      path: 'questions/:id(\\d+)', name: 'question', component: () => import('./QuestionDetailView.vue'),
      meta: { titleKey: 'questions.detailTitle', roles: ['resident', 'volunteer'], tabbar: false, consoleTwin: 'console-question' },
    },
  ],
  console: [
    {
      path: 'questions', name: 'console-questions', component: () => import('./console/QuestionQueueView.vue'),
      meta: { titleKey: 'questionsConsole.title', roles: PEOPLE_ROLES, nav: { labelKey: 'questionsConsole.nav', order: 43 } },
    },
    {
      path: 'questions/:id(\\d+)', name: 'console-question', component: () => import('./console/QuestionDetailView.vue'),
      meta: { titleKey: 'questionsConsole.detail', roles: PEOPLE_ROLES },
    },
  ],
})
