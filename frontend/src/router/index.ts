import {
  createRouter, createWebHistory, type RouteLocationNormalized, type RouteLocationRaw, type RouteRecordRaw,
  type RouterHistory,
} from 'vue-router'
import type { Me } from '@/api/types'
import type { MeX } from '@/api/contract'
import { ApiError } from '@/api/errors'
import { useAuthStore } from '@/stores/auth'
import { t } from '@/i18n'
import { isConsoleRole, landingFor } from './roles'
import type { ConsoleNav, FeatureRoutes, HomeEntry } from './feature'

export type { FeatureRoutes } from './feature'

const features = import.meta.glob<{ default: FeatureRoutes }>('../features/*/routes.ts', { eager: true })

/** Composes the features' routes: public pages at the top, the two shells as layout routes around the rest. */
export function composeRoutes(list: FeatureRoutes[]): RouteRecordRaw[] {
  const pick = (k: keyof FeatureRoutes) => list.flatMap((f) => f[k] ?? [])
  return [
    ...pick('public').map((r) => ({ ...r, meta: { ...r.meta, public: true } }) as RouteRecordRaw),
    {
      path: '/console',
      component: () => import('@/shells/ConsoleShell.vue'),
      meta: { section: 'console' },
      children: pick('console'),
    },
    {
      path: '/',
      component: () => import('@/shells/AppShell.vue'),
      meta: { section: 'app' },
      children: pick('app'),
    },
    { path: '/:pathMatch(.*)*', redirect: '/' },
  ]
}

export const routes = composeRoutes(Object.keys(features).sort().map((k) => features[k].default))

function childrenOf(path: string): RouteRecordRaw[] {
  return routes.find((r) => r.path === path)?.children ?? []
}

/** The console's navigation links, from the console pages that declare `meta.nav`. */
export function consoleNav(role: string | null): { name: string; nav: ConsoleNav }[] {
  return childrenOf('/console')
    .filter((r) => r.meta?.nav && r.name && (!r.meta.roles || (role !== null && r.meta.roles.includes(role))))
    .map((r) => ({ name: String(r.name), nav: r.meta!.nav! }))
    .sort((a, b) => a.nav.order - b.nav.order)
}

/** The home screen's tiles, from the app pages that declare `meta.entry` and the role may open. */
export function homeEntries(role: string | null): { name: string; entry: HomeEntry; params?: Record<string, string> }[] {
  return childrenOf('/')
    .filter((r) => r.meta?.entry && r.name && (!r.meta.roles || (role !== null && r.meta.roles.includes(role))))
    .map((r) => ({ name: String(r.name), entry: r.meta!.entry! }))
    .sort((a, b) => a.entry.order - b.entry.order)
}

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
 * are sent to the console from the resident-only pages (or to the page's console twin), and pages with
 * `meta.roles` check the role.
 */
export async function authGuard(to: RouteLocationNormalized, auth: GuardAuth): Promise<true | RouteLocationRaw> {
  if (to.meta.public) {
    if (!auth.isAuthenticated || to.meta.section === 'any') return true
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
  if (!allows(to.meta, me.role)) {
    if (to.meta.consoleTwin && isConsoleRole(me.role)) return { name: to.meta.consoleTwin, params: to.params, query: to.query }
    return landingFor(me.role)
  }
  const mx = me as MeX
  if (mx.must_change_password && !to.meta.passwordChange) {
    return { name: isConsoleRole(me.role) ? 'console-password' : 'password', query: { forced: '1' } }
  }
  if (to.meta.needsHousehold && !me.household_id) return { name: 'household' }
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

/** The document title of a page, in the current language. */
export function pageTitle(to: Pick<RouteLocationNormalized, 'meta'>): string {
  const name = t('app.name')
  return to.meta.titleKey ? `${t(to.meta.titleKey)} · ${name}` : name
}

export function createAppRouter(history: RouterHistory = createWebHistory('/')) {
  const router = createRouter({ history, routes, scrollBehavior: () => ({ top: 0 }) })
  router.beforeEach((to) => authGuard(to, useAuthStore()))
  return router
}
