// Photos of a case: whether the API takes them yet (read from openapi.yaml when the app is built), and the
// checks made before sending, so a phone on a slow network doesn't upload what the server would refuse.
import { CASE_PHOTOS } from '@/api/spec-constants'
import { ApiError } from '@/api/errors'
import { t } from '@/i18n'

/** The API accepts photos (POST /cases as multipart, POST /cases/{id}/photos). */
export const PHOTOS_ENABLED: boolean = CASE_PHOTOS
export const MAX_PHOTOS = 6
export const MAX_PHOTO_MB = 10
const MAX_BYTES = MAX_PHOTO_MB * 1024 * 1024

/** Which of `files` can join the `already` chosen ones, and what to say about the rest. */
export function checkPhotos(files: File[], already: number, max = MAX_PHOTOS): { accepted: File[]; messages: string[] } {
  const accepted: File[] = []
  const messages: string[] = []
  let extra = 0
  for (const f of files) {
    if (f.type && !f.type.startsWith('image/')) {
      messages.push(t('casePhotos.notImage', { name: f.name }))
    } else if (f.size > MAX_BYTES) {
      messages.push(t('casePhotos.tooBig', { name: f.name, size: (f.size / 1024 / 1024).toFixed(1), mb: MAX_PHOTO_MB }))
    } else if (already + accepted.length >= max) {
      extra += 1
    } else {
      accepted.push(f)
    }
  }
  if (extra) messages.push(t('casePhotos.tooMany', { max, extra }))
  return { accepted, messages }
}

/** The server's messages about photos (`photos`, or `photos.2` for the third file) in words, or undefined. */
export function photoErrors(e: unknown): string | undefined {
  if (!(e instanceof ApiError)) return undefined
  const out: string[] = []
  for (const [field, msgs] of Object.entries(e.fieldErrors)) {
    const m = /^photos(?:\.(\d+))?$/.exec(field)
    if (!m) continue
    const text = msgs.join(t('common.listSep'))
    out.push(m[1] === undefined ? text : t('casePhotos.nth', { n: Number(m[1]) + 1, message: text }))
  }
  return out.length ? out.join(t('common.listSep')) : undefined
}

/** The photo fields of an error, for ProblemAlert's `inlineFields` (they are shown beside the picker). */
export function photoFields(e: unknown): string[] {
  return e instanceof ApiError ? Object.keys(e.fieldErrors).filter((f) => /^photos(\.\d+)?$/.test(f)) : []
}
