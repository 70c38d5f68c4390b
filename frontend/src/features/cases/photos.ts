// Photos of a case: whether the API takes them yet (read from openapi.yaml when the app is built), and the
// checks made before sending, so a phone on a slow network doesn't upload what the server would refuse.
import { CASE_PHOTOS } from '@/api/spec-constants'
import { t } from '@/i18n'

/** The API accepts photos (POST /cases as multipart, POST /cases/{id}/photos). */
export const PHOTOS_ENABLED: boolean = CASE_PHOTOS
export const MAX_PHOTOS = 6
export const MAX_PHOTO_MB = 10
const MAX_BYTES = MAX_PHOTO_MB * 1024 * 1024

/** Which of `files` can join the `already` chosen ones, and what to say about the rest. */
export function checkPhotos(files: File[], already: number): { accepted: File[]; messages: string[] } {
  const accepted: File[] = []
  const messages: string[] = []
  let extra = 0
  for (const f of files) {
    if (f.type && !f.type.startsWith('image/')) {
      messages.push(t('casePhotos.notImage', { name: f.name }))
    } else if (f.size > MAX_BYTES) {
      messages.push(t('casePhotos.tooBig', { name: f.name, size: (f.size / 1024 / 1024).toFixed(1), mb: MAX_PHOTO_MB }))
    } else if (already + accepted.length >= MAX_PHOTOS) {
      extra += 1
    } else {
      accepted.push(f)
    }
  }
  if (extra) messages.push(t('casePhotos.tooMany', { max: MAX_PHOTOS, extra }))
  return { accepted, messages }
}
