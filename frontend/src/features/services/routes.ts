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
      meta: { titleKey: 'bookings.title', roles: BOOKERS, entry: { labelKey: 'bookings.title', icon: 'orders-o', order: 41 } },
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
})
