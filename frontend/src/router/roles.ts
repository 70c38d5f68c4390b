import type { Role } from '@/api/types'

/** Roles that work in the desktop console; everyone else uses the resident app. */
export const CONSOLE_ROLES: readonly Role[] = ['staff', 'town_staff', 'partner', 'admin']

/** Console roles that manage residents and read area statistics (partners only handle dispatched work). */
export const PEOPLE_ROLES: readonly Role[] = ['staff', 'town_staff', 'admin']

export function managesPeople(role: Role | string | null | undefined): boolean {
  return !!role && (PEOPLE_ROLES as readonly string[]).includes(role)
}

export function isConsoleRole(role: Role | string): boolean {
  return (CONSOLE_ROLES as readonly string[]).includes(role)
}

/** Where a user lands after login: residents and volunteers on the app home, the rest on the console. */
export function landingFor(role: Role | string | null | undefined): '/' | '/console' {
  return role && isConsoleRole(role) ? '/console' : '/'
}
