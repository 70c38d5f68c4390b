// 我的数据 and deletion requests: the calls and types of the `my-data` and `deletion-requests` tags.
import { client } from '@/api/client'
import { unwrap, type Complete } from '@/api'
import type { paths } from '@/api/schema'

type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : never
type Ok<Op> = Op extends { responses: infer R } ? JsonOf<R[Extract<keyof R, 200 | 201>]> : never

export type MyData = Complete<Ok<paths['/me/data']['get']>>
export type DeletionRequest = Complete<Ok<paths['/me/deletion-request']['post']>>
export interface Page<T> { items: T[]; next_cursor: string | null }
export const RECORD_KINDS = ['cases', 'bookings', 'activity_signups', 'service_requests', 'form_submissions', 'care'] as const

export const privacyApi = {
  myData(): Promise<MyData> {
    return unwrap(client.GET('/me/data')) as Promise<MyData>
  },
  myRequest(): Promise<DeletionRequest | null> {
    return (unwrap(client.GET('/me/deletion-request')) as Promise<{ request: DeletionRequest | null }>).then((r) => r.request)
  },
  requestDeletion(reason?: string): Promise<DeletionRequest> {
    return unwrap(client.POST('/me/deletion-request', { body: reason ? { reason } : {} })) as Promise<DeletionRequest>
  },
  cancel(): Promise<DeletionRequest> {
    return unwrap(client.POST('/me/deletion-request/cancel')) as Promise<DeletionRequest>
  },
  withdraw(): Promise<DeletionRequest> {
    return unwrap(client.POST('/me/consent/withdraw', { body: { confirm: true } })) as Promise<DeletionRequest>
  },
  requests(query: { status?: 'pending' | 'confirmed' | 'rejected' | 'cancelled'; limit?: number } = {}): Promise<Page<DeletionRequest>> {
    return unwrap(client.GET('/deletion-requests', { params: { query } })) as Promise<Page<DeletionRequest>>
  },
  confirm(id: number): Promise<DeletionRequest> {
    return unwrap(client.POST('/deletion-requests/{request_id}/confirm', { params: { path: { request_id: id } } })) as Promise<DeletionRequest>
  },
  reject(id: number, note: string): Promise<DeletionRequest> {
    return unwrap(client.POST('/deletion-requests/{request_id}/reject', {
      params: { path: { request_id: id } }, body: { note },
    })) as Promise<DeletionRequest>
  },
}
