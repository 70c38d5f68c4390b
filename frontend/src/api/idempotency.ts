/**
 * Idempotency keys for POSTs. A phone on a bad network may send a form, lose the answer and let the
 * user tap "submit" again: the retry must carry the same `Idempotency-Key`, so that the server replays
 * its first answer instead of creating the record twice. A different submission (changed content, or
 * a new one after a success) gets a fresh key.
 */

/** A random UUID; `crypto.randomUUID` only exists in secure contexts, so fall back to getRandomValues. */
export function newIdempotencyKey(): string {
  const c = globalThis.crypto
  if (typeof c?.randomUUID === 'function') return c.randomUUID()
  const b = c.getRandomValues(new Uint8Array(16))
  b[6] = (b[6] & 0x0f) | 0x40 // version 4
  b[8] = (b[8] & 0x3f) | 0x80 // RFC 4122 variant
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

export interface IdempotentSubmit {
  /** The key for sending `body`: the previous one while the same content is retried, else a new one. */
  keyFor(body: unknown): string
  /** The submission succeeded: the next one is a new request with a new key. */
  done(): void
}

export function createIdempotentSubmit(): IdempotentSubmit {
  let last: { key: string; fingerprint: string } | null = null
  return {
    keyFor(body: unknown): string {
      const fingerprint = JSON.stringify(body ?? null)
      if (!last || last.fingerprint !== fingerprint) last = { key: newIdempotencyKey(), fingerprint }
      return last.key
    },
    done(): void {
      last = null
    },
  }
}
