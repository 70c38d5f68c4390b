import { defineFeature } from '@/router/feature'

/** Console roles that run services: community and town staff, admins, and the provider units' partner accounts. */
export const SERVICE_ROLES = ['staff', 'town_staff', 'admin', 'partner']
/** Who books and asks for services in the app. */
const BOOKERS = ['resident', 'volunteer']

export default defineFeature({
  app: [
    {
      path: 'services', name: 'services', component: () => import('./ServiceListView.vue'),
      meta: { titleKey: 'services.title', roles: BOOKERS, entry: { labelKey: 'services.entry', icon: 'clock-o', order: 40 } },
    },
    {
      path: 'services/:id(\\d+)', name: 'service', component: () => import('./ServiceDetailView.vue'),
      meta: { titleKey: 'services.title', roles: BOOKERS },
    },
    {
      path: 'services/:id(\\d+)/request', name: 'service-request-new', component: () => import('./RequestFormView.vue'),
      meta: { titleKey: 'serviceRequests.formTitleShort', roles: BOOKERS, tabbar: false },
    },
    {
      path: 'bookings', name: 'bookings', component: () => import('./BookingListView.vue'),
      meta: { titleKey: 'bookings.title', roles: BOOKERS, entry: { labelKey: 'bookings.title', icon: 'todo-list-o', order: 41 } },
    },
    {
      path: 'bookings/:id(\\d+)', name: 'booking', component: () => import('./BookingDetailView.vue'),
      meta: { titleKey: 'bookings.detailTitle', roles: BOOKERS },
    },
    {
      path: 'bookings/calendar', name: 'calendar-feed', component: () => import('./CalendarFeedView.vue'),
      meta: { titleKey: 'calendarFeed.title', roles: BOOKERS },
    },
    {
      path: 'requests/:id(\\d+)', name: 'service-request', component: () => import('./RequestDetailView.vue'),
      meta: { titleKey: 'serviceRequests.detailTitle', roles: BOOKERS },
    },
  ],
  console: [
    {
      path: 'services', name: 'console-services', component: () => import('./console/ServiceCatalogueView.vue'),
      meta: { titleKey: 'serviceConsole.catalogue', roles: SERVICE_ROLES, nav: { labelKey: 'serviceConsole.nav', order: 30 } },
    },
    {
      path: 'services/new', name: 'console-service-new', component: () => import('./console/ServiceEditView.vue'),
      meta: { titleKey: 'serviceConsole.new', roles: ['staff', 'town_staff', 'admin'] },
    },
    {
      path: 'services/:id(\\d+)', name: 'console-service', component: () => import('./console/ServiceEditView.vue'),
      meta: { titleKey: 'serviceConsole.edit', roles: SERVICE_ROLES },
    },
    {
      path: 'services/:id(\\d+)/roster', name: 'console-service-roster', component: () => import('./console/RosterView.vue'),
      meta: { titleKey: 'serviceConsole.rosterLink', roles: SERVICE_ROLES },
    },
    {
      path: 'service-requests', name: 'console-service-requests', component: () => import('./console/RequestBoardView.vue'),
      meta: { titleKey: 'serviceConsole.board.title', roles: SERVICE_ROLES, nav: { labelKey: 'serviceConsole.requestsNav', order: 31 } },
    },
    {
      path: 'service-reports', name: 'console-service-reports', component: () => import('./console/ReportView.vue'),
      meta: { titleKey: 'serviceConsole.report.title', roles: SERVICE_ROLES, nav: { labelKey: 'serviceConsole.reportNav', order: 32 } },
    },
  ],
})
