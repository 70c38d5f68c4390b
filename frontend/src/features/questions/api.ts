// 咨询 (questions to the committee): the calls and types of the `questions` tag of openapi.yaml.
import { client } from '@/api/client'
import { unwrap, type Complete } from '@/api'
import type { paths } from '@/api/schema'
import { sendForm } from '@/api/form'

type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : never
type Ok<Op> = Op extends { responses: infer R } ? JsonOf<R[Extract<keyof R, 200 | 201>]> : never

export type Question = Complete<Ok<paths['/questions/{question_id}']['get']>>
export type QuestionBrief = Complete<Ok<paths['/questions']['get']>>['items'][number]
export interface QuestionPage { items: QuestionBrief[]; next_cursor: string | null }
export type QuestionStatus = Question['status']
export type Message = Question['thread'][number]
export type GuideCandidate = Complete<Ok<paths['/questions/{question_id}/guide']['get']>>

export const QUESTION_STATUSES = ['open', 'answered', 'closed'] as const satisfies readonly QuestionStatus[]
export const QUESTION_MAX = 1000
export const MESSAGE_MAX = 2000
export const MAX_QUESTION_PHOTOS = 3

const idem = (key: string) => ({ 'Idempotency-Key': key })

export const questionsApi = {
  mine(query: { status?: QuestionStatus; limit?: number; cursor?: string } = {}): Promise<QuestionPage> {
    return unwrap(client.GET('/questions', { params: { query } })) as Promise<QuestionPage>
  },

  queue(query: { status?: QuestionStatus; limit?: number; cursor?: string } = {}): Promise<QuestionPage> {
    return unwrap(client.GET('/questions/queue', { params: { query } })) as Promise<QuestionPage>
  },

  get(questionId: number): Promise<Question> {
    return unwrap(client.GET('/questions/{question_id}', { params: { path: { question_id: questionId } } })) as Promise<Question>
  },

  /** JSON, or multipart when there are photos (the JSON in `data`, the files in `photos`). */
  ask(body: string, photos: File[], key: string): Promise<Question> {
    if (!photos.length) {
      return unwrap(client.POST('/questions', { params: { header: idem(key) }, body: { body } })) as Promise<Question>
    }
    const form = new FormData()
    form.append('data', JSON.stringify({ body }))
    for (const p of photos) form.append('photos', p, p.name)
    return sendForm('/questions', form, idem(key))
  },

  /** An answer (staff, the grid's volunteer) or the asker's follow-up: the server knows which. */
  post(questionId: number, body: string, key: string): Promise<Question> {
    return unwrap(client.POST('/questions/{question_id}/messages', {
      params: { path: { question_id: questionId }, header: idem(key) }, body: { body },
    })) as Promise<Question>
  },

  close(questionId: number): Promise<Question> {
    return unwrap(client.POST('/questions/{question_id}/close', {
      params: { path: { question_id: questionId } },
    })) as Promise<Question>
  },

  saveAsGuide(questionId: number, saved: boolean, title?: string): Promise<Question> {
    return unwrap(client.POST('/questions/{question_id}/guide', {
      params: { path: { question_id: questionId } }, body: { saved, ...(title ? { title } : {}) },
    })) as Promise<Question>
  },
}
