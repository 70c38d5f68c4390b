import { defineFeature } from '@/router/feature'
import { PEOPLE_ROLES } from '@/router/roles'

// 系统对接: a partner unit's own system. Staff of the unit's area and the unit's own partner accounts issue,
// rotate and revoke its API keys, subscribe its webhooks and read their delivery log.
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
