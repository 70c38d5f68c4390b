import {
  createRouter, createWebHistory, type RouteLocationNormalized, type RouteLocationRaw, type RouterHistory,
  type RouteRecordRaw,
} from 'vue-router'
import type { Me } from '@/api/types'
import { ApiError } from '@/api/errors'
import { useAuthStore } from '@/stores/auth'
import { t } from '@/i18n'
import { isConsoleRole, landingFor, PEOPLE_ROLES } from './roles'

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without logging in. */
    public?: boolean
    /** `app`: resident/volunteer pages; `console`: staff pages; `any`: both. */
    section?: 'app' | 'console' | 'any'
    /** i18n key of the document title. */
    titleKey?: string
    /** Only these roles may open the page (on top of `section`). */
    roles?: readonly string[]
  }
}

export const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: () => import('@/views/LoginView.vue'), meta: { public: true, titleKey: 'login.title' } },
  { path: '/register', name: 'register', component: () => import('@/views/RegisterView.vue'), meta: { public: true, titleKey: 'register.title' } },
  { path: '/', name: 'home', component: () => import('@/views/HomeView.vue'), meta: { section: 'app' } },
  { path: '/household', name: 'household', component: () => import('@/views/HouseholdView.vue'), meta: { section: 'app', titleKey: 'household.title' } },
  { path: '/household/members/new', name: 'household-member-new', component: () => import('@/views/HouseholdMemberView.vue'), meta: { section: 'app', titleKey: 'household.addTitle', roles: ['resident'] } },
  { path: '/household/members/:id(\\d+)', name: 'household-member', component: () => import('@/views/HouseholdMemberView.vue'), meta: { section: 'app', titleKey: 'household.editTitle', roles: ['resident'] } },
  { path: '/me', name: 'me', component: () => import('@/views/MeView.vue'), meta: { section: 'any', titleKey: 'me.title' } },
  { path: '/coming-soon/:feature', name: 'coming-soon', component: () => import('@/views/ComingSoonView.vue'), meta: { section: 'any', titleKey: 'comingSoon.title' } },
  { path: '/console', name: 'console', component: () => import('@/views/console/ConsoleHomeView.vue'), meta: { section: 'console', titleKey: 'console.title' } },
  { path: '/console/residents', name: 'console-residents', component: () => import('@/views/console/ResidentListView.vue'), meta: { section: 'console', titleKey: 'residents.title', roles: PEOPLE_ROLES } },
  { path: '/console/residents/:id(\\d+)', name: 'console-resident', component: () => import('@/views/console/ResidentDetailView.vue'), meta: { section: 'console', titleKey: 'residentDetail.title', roles: PEOPLE_ROLES } },
  { path: '/console/claims', name: 'console-claims', component: () => import('@/views/console/ClaimListView.vue'), meta: { section: 'console', titleKey: 'claims.title', roles: PEOPLE_ROLES } },
  { path: '/:pathMatch(.*)*', redirect: '/' },
]

/** What the guard needs from the auth store (kept narrow so the rule is easy to read and test). */
export interface GuardAuth {
  readonly isAuthenticated: boolean
  ensureMe(): Promise<Me | null>
  reset(): void
}

function allows(meta: RouteLocationNormalized['meta'], role: string): boolean {
  if (meta.roles && !meta.roles.includes(role)) return false
  if (meta.section === 'console') return isConsoleRole(role)
  if (meta.section === 'app') return !isConsoleRole(role)
  return true
}

/**
 * The navigation rule: public pages are open (but a logged-in user is sent on from login/register);
 * everything else needs a session; residents and volunteers can't open the console, console users
 * are sent to the console from the resident-only pages, and pages with `meta.roles` check the role.
 */
export async function authGuard(to: RouteLocationNormalized, auth: GuardAuth): Promise<true | RouteLocationRaw> {
  if (to.meta.public) {
    if (!auth.isAuthenticated) return true
    const me = await auth.ensureMe().catch(() => null)
    return me ? landingFor(me.role) : true
  }
  const toLogin = { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } }
  if (!auth.isAuthenticated) return toLogin
  let me: Me | null
  try {
    me = await auth.ensureMe()
  } catch (e) {
    if (e instanceof ApiError && (e.status === 401 || e.status === 403)) auth.reset()
    return toLogin
  }
  if (!me) return toLogin
  if (!allows(to.meta, me.role)) return landingFor(me.role)
  return true
}

/** A post-login redirect target, only if it is a local path the user's role may open. */
export function safeRedirect(router: ReturnType<typeof createRouter>, redirect: unknown, role: string): string {
  if (typeof redirect === 'string' && redirect.startsWith('/') && !redirect.startsWith('//')) {
    const target = router.resolve(redirect)
    if (target.matched.length && !target.meta.public && allows(target.meta, role)) return target.fullPath
  }
  return landingFor(role)
}

export function createAppRouter(history: RouterHistory = createWebHistory('/')) {
  const router = createRouter({ history, routes, scrollBehavior: () => ({ top: 0 }) })
  router.beforeEach((to) => authGuard(to, useAuthStore()))
  router.afterEach((to) => {
    const name = t('app.name')
    document.title = to.meta.titleKey ? `${t(to.meta.titleKey)} · ${name}` : name
  })
  return router
}
