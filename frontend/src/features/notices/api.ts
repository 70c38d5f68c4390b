// 通知公告 / 办事指南: the calls and types of the `notices` tag of openapi.yaml.
import { client, apiBaseUrl, authFetch } from '@/api/client'
import { unwrap, unwrapVersioned, type Complete, type Versioned } from '@/api'
import { sendForm } from '@/api/form'
import type { paths } from '@/api/schema'

type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : never
type Ok<Op> = Op extends { responses: infer R } ? JsonOf<R[Extract<keyof R, 200 | 201>]> : never
type Body<Op> = Op extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never

export type NoticeBrief = Complete<Ok<paths['/notices']['get']>>['items'][number]
export interface NoticePage { items: NoticeBrief[]; next_cursor: string | null }
export type Notice = Complete<Ok<paths['/notices/{notice_id}']['get']>>
export type NoticeQuery = NonNullable<paths['/notices']['get']['parameters']['query']>
export type NoticeCreate = Body<paths['/notices']['post']>
export type NoticePatch = Body<paths['/notices/{notice_id}']['patch']>
export type NoticeCategory = Complete<Ok<paths['/notices/categories']['get']>>['items'][number]
export type CategoryCode = NoticeBrief['category']
export type NoticeStats = Complete<Ok<paths['/notices/{notice_id}/stats']['get']>>
export type UnreadHousehold = Complete<Ok<paths['/notices/{notice_id}/unread-households']['get']>>['items'][number]
export interface UnreadHouseholdPage { items: UnreadHousehold[]; next_cursor: string | null }
export type Attachment = Notice['attachments'][number]

/** The categories in the order residents see them (the server's order). */
export const CATEGORIES = ['disclosure', 'important', 'guide', 'seasonal', 'tip', 'culture', 'civility'] as const satisfies readonly CategoryCode[]
export const AUDIENCE_TAGS = ['elderly_alone', 'hardship', 'party_member', 'volunteer'] as const

const path = (id: number) => ({ params: { path: { notice_id: id } } })

export const noticesApi = {
  list(query: NoticeQuery): Promise<NoticePage> {
    return unwrap(client.GET('/notices', { params: { query } })) as Promise<NoticePage>
  },
  /** Opening a notice marks it read (for me and my household). */
  get(id: number): Promise<Versioned<Notice>> {
    return unwrapVersioned(client.GET('/notices/{notice_id}', path(id))) as Promise<Versioned<Notice>>
  },
  unreadCount(): Promise<number> {
    return unwrap(client.GET('/notices/unread-count')).then((r) => (r as { unread: number }).unread)
  },
  create(body: NoticeCreate): Promise<Versioned<Notice>> {
    return unwrapVersioned(client.POST('/notices', { body })) as Promise<Versioned<Notice>>
  },
  update(id: number, etag: string, body: NoticePatch): Promise<Versioned<Notice>> {
    return unwrapVersioned(client.PATCH('/notices/{notice_id}', {
      params: { path: { notice_id: id }, header: { 'If-Match': etag } }, body,
    })) as Promise<Versioned<Notice>>
  },
  publish(id: number): Promise<Notice> {
    return unwrap(client.POST('/notices/{notice_id}/publish', path(id))) as Promise<Notice>
  },
  withdraw(id: number): Promise<Notice> {
    return unwrap(client.POST('/notices/{notice_id}/withdraw', path(id))) as Promise<Notice>
  },
  preview(bodyMd: string): Promise<string> {
    return unwrap(client.POST('/notices/preview', { body: { body_md: bodyMd } })).then((r) => (r as { body_html: string }).body_html)
  },
  stats(id: number): Promise<NoticeStats> {
    return unwrap(client.GET('/notices/{notice_id}/stats', path(id))) as Promise<NoticeStats>
  },
  unreadHouseholds(id: number, query: { grid_id?: number; cursor?: string; limit?: number }): Promise<UnreadHouseholdPage> {
    return unwrap(client.GET('/notices/{notice_id}/unread-households', { params: { path: { notice_id: id }, query } })) as Promise<UnreadHouseholdPage>
  },
  informed(id: number, householdId: number): Promise<NoticeStats> {
    return unwrap(client.POST('/notices/{notice_id}/informed', { ...path(id), body: { household_id: householdId } })) as Promise<NoticeStats>
  },
  attach(id: number, files: File[]): Promise<Notice> {
    const form = new FormData()
    for (const f of files) form.append('files', f, f.name)
    return sendForm<Notice>(`/notices/${id}/attachments`, form)
  },
  removeAttachment(id: number, attachmentId: number): Promise<unknown> {
    return unwrap(client.DELETE('/notices/{notice_id}/attachments/{attachment_id}', { params: { path: { notice_id: id, attachment_id: attachmentId } } }))
  },
  attachmentPath(id: number, attachmentId: number, thumb = false): string {
    return `${apiBaseUrl()}/notices/${id}/attachments/${attachmentId}${thumb ? '?size=thumb' : ''}`
  },
  /** Downloads a PDF with the session's token (never in a URL) and hands it to the browser. */
  async download(id: number, a: Attachment): Promise<void> {
    const res = await authFetch(new Request(noticesApi.attachmentPath(id, a.id)))
    if (!res.ok) throw new Error(`HTTP ${res.status}`)
    const url = URL.createObjectURL(await res.blob())
    const link = document.createElement('a')
    link.href = url
    link.download = a.filename
    link.click()
    setTimeout(() => URL.revokeObjectURL(url), 30_000)
  },
}
