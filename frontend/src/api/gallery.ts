// Photos of an activity (afterwards) or a joint project (the work): list, add, remove.
import { client } from './client'
import { sendForm } from './form'
import { unwrap } from './index'
import type { Complete } from './types'
import type { paths } from './schema'

type Ok<R> = R extends { responses: { 200: { content: { 'application/json': infer T } } } } ? T : never
export type GalleryPhoto = Complete<Ok<paths['/activities/{activity_id}/photos']['get']>>['items'][number]
export type GallerySubject = 'activities' | 'projects'

export const galleryApi = {
  async list(subject: GallerySubject, id: number): Promise<GalleryPhoto[]> {
    const page = subject === 'activities'
      ? await unwrap(client.GET('/activities/{activity_id}/photos', { params: { path: { activity_id: id } } }))
      : await unwrap(client.GET('/projects/{project_id}/photos', { params: { path: { project_id: id } } }))
    return (page as { items: GalleryPhoto[] }).items
  },

  async add(subject: GallerySubject, id: number, photos: File[], caption: string | undefined, key: string): Promise<GalleryPhoto[]> {
    const form = new FormData()
    form.append('data', JSON.stringify(caption ? { caption } : {}))
    for (const p of photos) form.append('photos', p, p.name)
    return (await sendForm<{ items: GalleryPhoto[] }>(`/${subject}/${id}/photos`, form, { 'Idempotency-Key': key })).items
  },

  async remove(subject: GallerySubject, id: number, photoId: number): Promise<void> {
    if (subject === 'activities') {
      await unwrap(client.DELETE('/activities/{activity_id}/photos/{photo_id}', { params: { path: { activity_id: id, photo_id: photoId } } }))
    } else {
      await unwrap(client.DELETE('/projects/{project_id}/photos/{photo_id}', { params: { path: { project_id: id, photo_id: photoId } } }))
    }
  },
}
