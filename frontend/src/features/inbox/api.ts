// The inbox: the calls and types of the `notifications` tag of openapi.yaml.
import { client } from '@/api/client'
import { unwrap, type Complete } from '@/api'
import type { paths } from '@/api/schema'

type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : never
type Ok<Op> = Op extends { responses: infer R } ? JsonOf<R[Extract<keyof R, 200 | 201>]> : never

export type InboxItem = Complete<Ok<paths['/notifications']['get']>>['items'][number]
export interface InboxPage { items: InboxItem[]; next_cursor: string | null }

export const inboxApi = {
  list(query: { unread?: boolean; cursor?: string; limit?: number }): Promise<InboxPage> {
    return unwrap(client.GET('/notifications', { params: { query } })) as Promise<InboxPage>
  },
  markRead(id: number): Promise<InboxItem> {
    return unwrap(client.POST('/notifications/{notification_id}/read', { params: { path: { notification_id: id } } })) as Promise<InboxItem>
  },
  markAllRead(): Promise<number> {
    return unwrap(client.POST('/notifications/read-all')).then((r) => (r as { marked: number }).marked)
  },
}

/** Where a notification leads in the app (its subject), if anywhere. */
const APP_ROUTES: Record<string, string> = {
  notice: 'notice', case: 'case', booking: 'booking', topic: 'topic', question: 'question', form: 'form-fill',
}
const CONSOLE_ROUTES: Record<string, string> = {
  notice: 'console-notice', case: 'console-case', topic: 'console-topic', question: 'console-question',
  project: 'console-project', care_pair: 'console-care-pair', form: 'console-form',
}

/** Where a notification leads: the app's screen of its subject, or (`inConsole`) the console's. */
export function subjectRoute(item: Pick<InboxItem, 'subject_type' | 'subject_id'>, inConsole = false): { name: string; params: { id: string } } | null {
  if (!item.subject_id) return null
  if (inConsole && item.subject_type === 'deletion_request') return { name: 'console-deletion-requests', params: {} as { id: string } }
  const name = item.subject_type ? (inConsole ? CONSOLE_ROUTES : APP_ROUTES)[item.subject_type] : undefined
  return name ? { name, params: { id: String(item.subject_id) } } : null
}
