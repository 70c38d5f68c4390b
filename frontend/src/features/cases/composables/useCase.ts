import { ref } from 'vue'
import { ApiError } from '@/api'
import { createIdempotentSubmit } from '@/api/idempotency'
import { t } from '@/i18n'
import { casesApi, type Case, type CaseEvent, type CasePatch, type StepBody, type StepName } from '../api'

/** A workflow step the server refused because the case moved on meanwhile (409 invalid-transition). */
export function isInvalidTransition(e: unknown): e is ApiError {
  return e instanceof ApiError && e.status === 409 && e.type.endsWith('invalid-transition')
}

/**
 * One case as a detail page needs it: the case with its ETag, its timeline, and the way to act on it.
 * After every action the case and its timeline are read again (the answer to a step carries no ETag, and the
 * timeline has grown). A step the case no longer allows (409) reloads it and says what it is now; a stale
 * ETag on an edit (412) sets `stale`, and the page offers a reload.
 */
export function useCase(caseId: () => number) {
  const item = ref<Case | null>(null)
  const etag = ref('')
  const events = ref<CaseEvent[]>([])
  const loading = ref(false)
  const loadError = ref<unknown>(null)
  const eventsError = ref<unknown>(null)
  /** The step (or other action) being sent; '' when idle. */
  const busy = ref('')
  const actionError = ref<unknown>(null)
  /** What the last successful action was, for a role=status line. */
  const done = ref('')
  /** The case changed under us: a sentence with its current state. */
  const conflict = ref('')
  const stale = ref(false)
  const submits = new Map<string, ReturnType<typeof createIdempotentSubmit>>()
  let generation = 0

  function submitFor(name: string) {
    let s = submits.get(name)
    if (!s) submits.set(name, (s = createIdempotentSubmit()))
    return s
  }

  async function load(): Promise<void> {
    const id = caseId()
    const gen = ++generation
    loading.value = true
    loadError.value = null
    try {
      const [versioned, timeline] = await Promise.all([
        casesApi.get(id),
        casesApi.events(id).catch((e: unknown) => {
          eventsError.value = e
          return null
        }),
      ])
      if (gen !== generation) return
      item.value = versioned.data
      etag.value = versioned.etag
      if (timeline) {
        events.value = timeline
        eventsError.value = null
      }
      stale.value = false
    } catch (e) {
      if (gen === generation) loadError.value = e
    } finally {
      if (gen === generation) loading.value = false
    }
  }

  /** Runs one action; true when it succeeded. `label` says what was done (shown in the status line). */
  async function run(name: string, label: string, action: (key: (body: unknown) => string) => Promise<unknown>): Promise<boolean> {
    busy.value = name
    actionError.value = null
    conflict.value = ''
    done.value = ''
    const submit = submitFor(name)
    try {
      await action((body) => submit.keyFor({ id: caseId(), body }))
      submit.done()
      await load()
      done.value = label
      return true
    } catch (e) {
      if (isInvalidTransition(e)) {
        await load()
        conflict.value = t('cases.conflict', { state: item.value ? t(`cases.status.${item.value.status}`) : '' })
      } else if (e instanceof ApiError && e.status === 412) {
        stale.value = true
      } else {
        actionError.value = e
      }
      return false
    } finally {
      busy.value = ''
    }
  }

  function step<S extends StepName>(name: S, body: StepBody<S>, label: string): Promise<boolean> {
    return run(name, label, (key) => casesApi.step(name, caseId(), body, key(body)))
  }

  function patch(body: CasePatch, label: string): Promise<boolean> {
    return run('patch', label, async () => {
      const r = await casesApi.update(caseId(), body, etag.value)
      etag.value = r.etag
      item.value = r.data
    })
  }

  return { item, etag, events, loading, loadError, eventsError, busy, actionError, done, conflict, stale, load, run, step, patch }
}
