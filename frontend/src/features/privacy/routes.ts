import { defineFeature } from '@/router/feature'

// Open to everyone, signed in or not (section "any": a signed-in reader is not sent away).
export default defineFeature({
  public: [
    {
      path: '/privacy', name: 'privacy', component: () => import('./PrivacyView.vue'),
      meta: { titleKey: 'privacy.title', section: 'any' },
    },
  ],
})
