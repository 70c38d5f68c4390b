// 信息登记 (registration forms): the calls and types of the `forms`, `form-submissions` and `form-exports`
// tags of openapi.yaml.
import { client } from '@/api/client'
import { unwrap, type Complete } from '@/api'
import type { paths } from '@/api/schema'
import { newIdempotencyKey } from '@/api/idempotency'

type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : never
type Ok<Op> = Op extends { responses: infer R } ? JsonOf<R[Extract<keyof R, 200 | 201>]> : never
type Body<Op> = Op extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never

export type Form = Complete<Ok<paths['/forms/{form_id}']['get']>>
export type FormField = Form['fields'][number]
export type FieldType = FormField['type']
export type FormCreate = Body<paths['/forms']['post']>
export type FieldDef = FormCreate['fields'][number]
export type Submission = Complete<Ok<paths['/form-submissions/{submission_id}']['get']>>
export type Answer = string | number | boolean | string[]
export type Answers = Record<string, Answer>
export type FormExport = Complete<Ok<paths['/form-exports/{export_id}']['get']>>
export interface Page<T> { items: T[]; next_cursor: string | null }

export const FIELD_TYPES = ['text', 'number', 'date', 'single', 'multi', 'phone', 'id_card', 'consent'] as const satisfies readonly FieldType[]
/** Answers shown masked to staff (the server seals them). */
export const PERSONAL_TYPES: readonly FieldType[] = ['phone', 'id_card']

const idem = (key: string) => ({ 'Idempotency-Key': key })

export const formsApi = {
  list(query: { open?: boolean; status?: 'draft' | 'published' | 'closed'; limit?: number; cursor?: string } = {}): Promise<Page<Form>> {
    return unwrap(client.GET('/forms', { params: { query } })) as Promise<Page<Form>>
  },
  get(id: number): Promise<Form> {
    return unwrap(client.GET('/forms/{form_id}', { params: { path: { form_id: id } } })) as Promise<Form>
  },
  create(body: FormCreate, key = newIdempotencyKey()): Promise<Form> {
    return unwrap(client.POST('/forms', { params: { header: idem(key) }, body })) as Promise<Form>
  },
  publish(id: number): Promise<Form> {
    return unwrap(client.POST('/forms/{form_id}/publish', { params: { path: { form_id: id } } })) as Promise<Form>
  },
  close(id: number): Promise<Form> {
    return unwrap(client.POST('/forms/{form_id}/close', { params: { path: { form_id: id } } })) as Promise<Form>
  },
  submit(id: number, answers: Answers, key: string): Promise<Submission> {
    return unwrap(client.POST('/forms/{form_id}/submissions', {
      params: { path: { form_id: id }, header: idem(key) }, body: { answers },
    })) as Promise<Submission>
  },
  submissions(id: number, query: { limit?: number; cursor?: string } = {}): Promise<Page<Submission>> {
    return unwrap(client.GET('/forms/{form_id}/submissions', { params: { path: { form_id: id }, query } })) as Promise<Page<Submission>>
  },
  mine(query: { limit?: number; cursor?: string } = {}): Promise<Page<Submission>> {
    return unwrap(client.GET('/form-submissions', { params: { query } })) as Promise<Page<Submission>>
  },
  submission(id: number): Promise<Submission> {
    return unwrap(client.GET('/form-submissions/{submission_id}', { params: { path: { submission_id: id } } })) as Promise<Submission>
  },
  update(id: number, answers: Answers): Promise<Submission> {
    return unwrap(client.PUT('/form-submissions/{submission_id}', {
      params: { path: { submission_id: id } }, body: { answers },
    })) as Promise<Submission>
  },
  exportFile(id: number, format: 'csv' | 'xlsx'): Promise<FormExport> {
    return unwrap(client.POST('/forms/{form_id}/exports', { params: { path: { form_id: id } }, body: { format } })) as Promise<FormExport>
  },
  exportState(id: number): Promise<FormExport> {
    return unwrap(client.GET('/form-exports/{export_id}', { params: { path: { export_id: id } } })) as Promise<FormExport>
  },
}

/** An answer as text for lists and tables. */
export function answerText(field: FormField, value: unknown, yes: string): string {
  if (value === undefined || value === null || value === '') return '—'
  if (field.type === 'consent') return value ? yes : '—'
  if (Array.isArray(value)) return value.join('、')
  return String(value)
}
