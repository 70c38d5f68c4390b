import { defineFeature } from '@/router/feature'

export default defineFeature({
  public: [
    { path: '/login', name: 'login', component: () => import('./LoginView.vue'), meta: { titleKey: 'login.title' } },
    { path: '/register', name: 'register', component: () => import('./RegisterView.vue'), meta: { titleKey: 'register.title' } },
    { path: '/forgot-password', name: 'forgot-password', component: () => import('./ForgotPasswordView.vue'), meta: { titleKey: 'forgot.title' } },
  ],
})
