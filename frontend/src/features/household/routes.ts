import { defineFeature } from '@/router/feature'

/** Who keeps their own household's members up to date (contract 14: volunteers too). */
const HOUSEHOLD_EDITORS = ['resident', 'volunteer']

export default defineFeature({
  app: [
    {
      path: 'household', name: 'household', component: () => import('./HouseholdView.vue'),
      meta: { titleKey: 'household.title', entry: { labelKey: 'household.title', icon: 'home-o', order: 80 } },
    },
    {
      path: 'household/members/new', name: 'household-member-new', component: () => import('./HouseholdMemberView.vue'),
      meta: { titleKey: 'household.addTitle', roles: HOUSEHOLD_EDITORS, needsHousehold: true, tabbar: false },
    },
    {
      path: 'household/members/:id(\\d+)', name: 'household-member', component: () => import('./HouseholdMemberView.vue'),
      meta: { titleKey: 'household.editTitle', roles: HOUSEHOLD_EDITORS, needsHousehold: true, tabbar: false },
    },
  ],
})
