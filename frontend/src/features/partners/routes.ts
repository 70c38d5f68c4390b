import { defineFeature } from '@/router/feature'
import { PEOPLE_ROLES } from '@/router/roles'

// 系统对接: a partner unit's own system. Staff and the unit's admin issue, rotate and revoke its API keys and
// subscribe its webhooks; the unit's other partner accounts read them and the delivery log.
export default defineFeature({
  console: [
    {
      path: 'api-clients', name: 'console-api-clients', component: () => import('./ApiClientsView.vue'),
      meta: { titleKey: 'partners.clientsTitle', roles: [...PEOPLE_ROLES, 'partner'], nav: { labelKey: 'partners.clientsNav', order: 70 } },
    },
    {
      path: 'webhooks', name: 'console-webhooks', component: () => import('./WebhooksView.vue'),
      meta: { titleKey: 'partners.webhooksTitle', roles: [...PEOPLE_ROLES, 'partner'], nav: { labelKey: 'partners.webhooksNav', order: 72 } },
    },
    {
      path: 'webhooks/:id(\\d+)', name: 'console-webhook', component: () => import('./WebhookDeliveriesView.vue'),
      meta: { titleKey: 'partners.deliveriesTitle', roles: [...PEOPLE_ROLES, 'partner'] },
    },
  ],
})
