// 自治议题 / 金点子: the calls and types of the `topics` tag of openapi.yaml (types from the generated paths).
import { client } from '@/api/client'
import { sendForm } from '@/api/form'
import { unwrap, type Complete } from '@/api'
import type { paths } from '@/api/schema'

type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : never
type Ok<Op> = Op extends { responses: infer R } ? JsonOf<R[Extract<keyof R, 200 | 201>]> : never
type Body<Op> = Op extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never

export type Topic = Complete<Ok<paths['/topics/{topic_id}']['get']>>
export interface TopicPage { items: Topic[]; next_cursor: string | null }
export type TopicQuery = NonNullable<paths['/topics']['get']['parameters']['query']>
export type TopicStatus = Topic['status']
export type TopicKind = Topic['kind']
export type TopicIn = Body<paths['/topics']['post']>
export type Decision = Body<paths['/topics/{topic_id}/decision']['post']>['decision']
export type TopicPhoto = Topic['photos'][number]

type RawComment = Complete<Ok<paths['/topics/{topic_id}/comments']['post']>>
export type TopicComment = Omit<RawComment, 'author'> & {
  author: Exclude<RawComment['author'], Record<string, never> | null> | null
}
export interface CommentPage { items: TopicComment[]; next_cursor: string | null }
export type ModerationItem = TopicComment & { topic_title: string; moderation_note: string | null }
export interface ModerationPage { items: ModerationItem[]; next_cursor: string | null }
export type TopicSettings = Complete<Ok<paths['/topics/settings/{community_id}']['get']>>

export const TOPIC_STATUSES = ['proposed', 'discussing', 'adopted', 'declined', 'done'] as const satisfies readonly TopicStatus[]
export const DECISIONS = ['adopted', 'declined', 'done'] as const satisfies readonly Decision[]
export const KINDS = ['topic', 'idea'] as const satisfies readonly TopicKind[]
/** What a decision may follow (the server refuses the rest with 409). */
export const DECISION_FROM: Record<Decision, readonly TopicStatus[]> = {
  adopted: ['proposed', 'discussing'], declined: ['proposed', 'discussing'], done: ['proposed', 'discussing', 'adopted'],
}
export const TITLE_MAX = 80
export const BODY_MAX = 2000
export const COMMENT_MAX = 500
export const MAX_TOPIC_PHOTOS = 6

const idem = (key: string) => ({ 'Idempotency-Key': key })

export const topicsApi = {
  list(query: TopicQuery): Promise<TopicPage> {
    return unwrap(client.GET('/topics', { params: { query } })) as Promise<TopicPage>
  },

  get(topicId: number): Promise<Topic> {
    return unwrap(client.GET('/topics/{topic_id}', { params: { path: { topic_id: topicId } } })) as Promise<Topic>
  },

  /** JSON, or multipart when there are photos (the JSON in `data`, the files in `photos`). */
  propose(body: TopicIn, photos: File[], key: string): Promise<Topic> {
    if (!photos.length) {
      return unwrap(client.POST('/topics', { params: { header: idem(key) }, body })) as Promise<Topic>
    }
    const form = new FormData()
    form.append('data', JSON.stringify(body))
    for (const p of photos) form.append('photos', p, p.name)
    return sendForm('/topics', form, idem(key))
  },

  support(topicId: number, supported: boolean): Promise<Topic> {
    return unwrap(client.POST('/topics/{topic_id}/support', {
      params: { path: { topic_id: topicId } }, body: { supported },
    })) as Promise<Topic>
  },

  decide(topicId: number, decision: Decision, text: string, key: string): Promise<Topic> {
    return unwrap(client.POST('/topics/{topic_id}/decision', {
      params: { path: { topic_id: topicId }, header: idem(key) }, body: { decision, text },
    })) as Promise<Topic>
  },

  toProject(topicId: number, summary: string | undefined, key: string): Promise<Topic> {
    return unwrap(client.POST('/topics/{topic_id}/project', {
      params: { path: { topic_id: topicId }, header: idem(key) }, body: summary ? { summary } : {},
    })) as Promise<Topic>
  },

  toCase(topicId: number, categoryId: number, key: string): Promise<Topic> {
    return unwrap(client.POST('/topics/{topic_id}/case', {
      params: { path: { topic_id: topicId }, header: idem(key) }, body: { category_id: categoryId },
    })) as Promise<Topic>
  },

  comments(topicId: number, query: { limit?: number; cursor?: string } = {}): Promise<CommentPage> {
    return unwrap(client.GET('/topics/{topic_id}/comments', {
      params: { path: { topic_id: topicId }, query },
    })) as Promise<CommentPage>
  },

  comment(topicId: number, body: string, key: string): Promise<TopicComment> {
    return unwrap(client.POST('/topics/{topic_id}/comments', {
      params: { path: { topic_id: topicId }, header: idem(key) }, body: { body },
    })) as Promise<TopicComment>
  },

  report(topicId: number, commentId: number): Promise<TopicComment> {
    return unwrap(client.POST('/topics/{topic_id}/comments/{comment_id}/report', {
      params: { path: { topic_id: topicId, comment_id: commentId } }, body: {},
    })) as Promise<TopicComment>
  },

  moderation(query: { status?: 'hidden' | 'removed'; limit?: number; cursor?: string } = {}): Promise<ModerationPage> {
    return unwrap(client.GET('/topics/moderation', { params: { query } })) as Promise<ModerationPage>
  },

  moderate(topicId: number, commentId: number, action: 'restore' | 'remove', note?: string): Promise<TopicComment> {
    return unwrap(client.POST('/topics/{topic_id}/comments/{comment_id}/moderate', {
      params: { path: { topic_id: topicId, comment_id: commentId } }, body: { action, ...(note ? { note } : {}) },
    })) as Promise<TopicComment>
  },

  settings(communityId: number): Promise<TopicSettings> {
    return unwrap(client.GET('/topics/settings/{community_id}', {
      params: { path: { community_id: communityId } },
    })) as Promise<TopicSettings>
  },
}
