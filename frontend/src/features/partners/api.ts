// Partner systems: API clients (keys, rotation, revocation) and webhooks (subscriptions, delivery log). The
// calls and types of the `api-clients`, `webhook-subscriptions` and `webhook-deliveries` tags of openapi.yaml.
import { client } from '@/api/client'
import { unwrap, type Complete } from '@/api'
import type { paths } from '@/api/schema'

type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : never
type Ok<Op> = Op extends { responses: infer R } ? JsonOf<R[Extract<keyof R, 200 | 201 | 202>]> : never
type Body<Op> = Op extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never
interface Page<T> { items: T[]; next_cursor: string | null }

export type ApiClient = Complete<Ok<paths['/api-clients/{client_id}']['get']>>
export type ApiClientCreated = Complete<Ok<paths['/api-clients']['post']>>
export type ApiClientCreate = Body<paths['/api-clients']['post']>
export type Subscription = Complete<Ok<paths['/webhook-subscriptions/{subscription_id}']['get']>>
export type SubscriptionCreated = Complete<Ok<paths['/webhook-subscriptions']['post']>>
export type SubscriptionCreate = Body<paths['/webhook-subscriptions']['post']>
export type SubscriptionPatch = Body<paths['/webhook-subscriptions/{subscription_id}']['patch']>
export type Delivery = Complete<Ok<paths['/webhook-deliveries/{delivery_id}']['get']>>
export type DeliveryStatus = Delivery['status']
export type UnitOption = Complete<Ok<paths['/units']['get']>>['items'][number]

export const SCOPES = ['cases:read', 'cases:write', 'services:read', 'services:write', 'bookings:read'] as const
export const DEFAULT_SCOPES = ['cases:read', 'cases:write'] as const
export const EVENTS = ['case.dispatched', 'case.updated', 'case.escalated', 'case.closed'] as const

export const partnersApi = {
  units(): Promise<Page<UnitOption>> {
    return unwrap(client.GET('/units', { params: { query: { limit: 100 } } })) as Promise<Page<UnitOption>>
  },

  clients(query: { cursor?: string; include_revoked?: boolean } = {}): Promise<Page<ApiClient>> {
    return unwrap(client.GET('/api-clients', { params: { query: { limit: 50, ...query } } })) as Promise<Page<ApiClient>>
  },

  createClient(body: ApiClientCreate): Promise<ApiClientCreated> {
    return unwrap(client.POST('/api-clients', { body })) as Promise<ApiClientCreated>
  },

  rotateClient(id: number, overlapHours: number): Promise<ApiClientCreated> {
    return unwrap(client.POST('/api-clients/{client_id}/rotate', {
      params: { path: { client_id: id } }, body: { overlap_hours: overlapHours },
    })) as Promise<ApiClientCreated>
  },

  revokeClient(id: number): Promise<ApiClient> {
    return unwrap(client.POST('/api-clients/{client_id}/revoke', { params: { path: { client_id: id } } })) as Promise<ApiClient>
  },

  subscriptions(query: { cursor?: string } = {}): Promise<Page<Subscription>> {
    return unwrap(client.GET('/webhook-subscriptions', { params: { query: { limit: 50, ...query } } })) as Promise<Page<Subscription>>
  },

  subscription(id: number): Promise<Subscription> {
    return unwrap(client.GET('/webhook-subscriptions/{subscription_id}', {
      params: { path: { subscription_id: id } },
    })) as Promise<Subscription>
  },

  createSubscription(body: SubscriptionCreate): Promise<SubscriptionCreated> {
    return unwrap(client.POST('/webhook-subscriptions', { body })) as Promise<SubscriptionCreated>
  },

  updateSubscription(id: number, body: SubscriptionPatch): Promise<Subscription> {
    return unwrap(client.PATCH('/webhook-subscriptions/{subscription_id}', {
      params: { path: { subscription_id: id } }, body,
    })) as Promise<Subscription>
  },

  deleteSubscription(id: number): Promise<unknown> {
    return unwrap(client.DELETE('/webhook-subscriptions/{subscription_id}', { params: { path: { subscription_id: id } } }))
  },

  rotateSecret(id: number): Promise<SubscriptionCreated> {
    return unwrap(client.POST('/webhook-subscriptions/{subscription_id}/rotate-secret', {
      params: { path: { subscription_id: id } },
    })) as Promise<SubscriptionCreated>
  },

  ping(id: number): Promise<Delivery> {
    return unwrap(client.POST('/webhook-subscriptions/{subscription_id}/ping', {
      params: { path: { subscription_id: id } },
    })) as Promise<Delivery>
  },

  deliveries(id: number, query: { cursor?: string; status?: DeliveryStatus } = {}): Promise<Page<Delivery>> {
    return unwrap(client.GET('/webhook-subscriptions/{subscription_id}/deliveries', {
      params: { path: { subscription_id: id }, query: { limit: 50, ...query } },
    })) as Promise<Page<Delivery>>
  },

  replay(deliveryId: number): Promise<Delivery> {
    return unwrap(client.POST('/webhook-deliveries/{delivery_id}/replay', {
      params: { path: { delivery_id: deliveryId } },
    })) as Promise<Delivery>
  },
}
