import type { Component } from 'vue'
import type { RouteRecordRaw } from 'vue-router'

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without logging in. */
    public?: boolean
    /** `app`: resident/volunteer pages; `console`: staff pages; `any`: both (set by the shells). */
    section?: 'app' | 'console' | 'any'
    /** i18n key of the document title. */
    titleKey?: string
    /** Only these roles may open the page (on top of `section`). */
    roles?: readonly string[]
    /** App pages: hide the bottom tab bar (forms that go back where they came from). */
    tabbar?: false
    /** An app page that console users open in the console instead (the route name there). */
    consoleTwin?: string
    /** A console page listed in the console's navigation. */
    nav?: ConsoleNav
    /** An app page with a tile on the home screen. */
    entry?: HomeEntry
    /** Stays reachable while the user must change their password (Me.must_change_password). */
    passwordChange?: boolean
    /** Only for a user whose household is verified (a pending claimant is sent to 我的家庭). */
    needsHousehold?: boolean
  }
}

export interface ConsoleNav {
  /** i18n key of the link text. */
  labelKey: string
  /** Position in the navigation, low first. */
  order: number
  /** Optional small component shown inside the link (e.g. a count of waiting items). */
  badge?: Component
}

export interface HomeEntry {
  /** i18n key of the tile's label (and `subKey` of its small second line). */
  labelKey: string
  subKey?: string
  icon: string
  order: number
}

/**
 * What a feature contributes to the router. Each `src/features/<feature>/routes.ts` default-exports one;
 * the router finds them all, so a new feature adds its folder and touches no shared list.
 */
export interface FeatureRoutes {
  /** Pages open without logging in, at the top level (login, register, privacy policy, …). */
  public?: RouteRecordRaw[]
  /** Children of the resident/volunteer app shell; paths relative to `/`. */
  app?: RouteRecordRaw[]
  /** Children of the console shell; paths relative to `/console`. */
  console?: RouteRecordRaw[]
}

export function defineFeature(routes: FeatureRoutes): FeatureRoutes {
  return routes
}
