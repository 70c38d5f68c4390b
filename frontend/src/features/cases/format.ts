// Small wording helpers shared by the cases screens.
import { getLocale, t } from '@/i18n'
import type { Case, CaseEvent, CaseStatus, Duplicate } from './api'

/**
 * The language of what people wrote (a title, a description, an address) when it is Chinese, so that a screen
 * reader in the English interface reads it in Chinese; undefined for text in the interface's own language.
 */
export function langOf(text: string | null | undefined): 'zh-CN' | undefined {
  return text && /[\u3400-\u9fff]/.test(text) && getLocale() !== 'zh-CN' ? 'zh-CN' : undefined
}

/** The text in the reader's language: English when there is one and the app speaks English. */
export function localName(zh: string | null | undefined, en: string | null | undefined): string {
  if (getLocale() === 'en' && en) return en
  return zh ?? en ?? ''
}

export function categoryName(c: { name_zh: string; name_en: string }): string {
  return localName(c.name_zh, c.name_en)
}

type Placed = Pick<Case, 'stairwell' | 'address'> & { grid?: Case['grid'] }
interface StairwellLike { building?: string; unit?: string; label?: string | null }

/** Where a case is, in words: the stairwell, else the address. */
export function placeOf(c: Placed | Duplicate): string {
  const s = c.stairwell as StairwellLike | null
  if (s && s.building) return t('cases.stairwell', { building: s.building, unit: s.unit ?? '' })
  if (s?.label) return s.label
  if (c.address) return c.address
  return t('cases.unknownPlace')
}

export function gridName(c: Pick<Case, 'grid'>): string {
  const g = c.grid as { name?: string } | null
  return g?.name ?? ''
}

/** Statuses a resident reads as "done" (the chip's icon). */
const DONE: readonly CaseStatus[] = ['resolved', 'closed']
const STOPPED: readonly CaseStatus[] = ['rejected', 'duplicate']

/** The chip's tone and icon: the word always says the status, the colour and icon only repeat it. */
export function statusTone(s: CaseStatus): { tone: 'done' | 'stopped' | 'waiting' | 'working'; icon: string } {
  if (DONE.includes(s)) return { tone: 'done', icon: 'passed' }
  if (STOPPED.includes(s)) return { tone: 'stopped', icon: 'close' }
  if (s === 'submitted' || s === 'reopened') return { tone: 'waiting', icon: 'clock-o' }
  return { tone: 'working', icon: 'underway-o' }
}

const KNOWN_EVENTS = new Set(Object.keys({
  submitted: 1, accept: 1, reject: 1, assign: 1, dispatch: 1, start: 1, resolve: 1, close: 1, confirm: 1, reopen: 1,
  mark_duplicate: 1, rated: 1, comment: 1, followed: 1, escalated: 1, deescalated: 1, recategorised: 1, rerouted: 1,
  edited: 1, part_updated: 1, mediation: 1, photo: 1,
}))

/** One timeline line's "what": the kind in words, with the detail the event's data carries. */
export function eventText(e: CaseEvent): string {
  const kind = KNOWN_EVENTS.has(e.kind) ? e.kind : 'other'
  const base = t(`cases.event.${kind}`)
  const data = (e.data ?? {}) as Record<string, unknown>
  const extra: string[] = []
  if (e.kind === 'assign' && typeof data.name === 'string') extra.push(data.name)
  if (e.kind === 'dispatch' && Array.isArray(data.units)) extra.push(data.units.join(getLocale() === 'en' ? ', ' : '、'))
  if ((e.kind === 'escalated' || e.kind === 'deescalated') && typeof data.from === 'string' && typeof data.to === 'string') {
    extra.push(t('cases.levelChange', { from: t(`cases.level.${data.from}`), to: t(`cases.level.${data.to}`) }))
    if (data.automatic === true && typeof data.late_hours === 'number') {
      extra.push(t('cases.automaticRaise', { hours: data.late_hours }))
    }
  }
  if (e.kind === 'close' && data.automatic === true) extra.push(t('cases.automaticClose', { days: Number(data.days) || 7 }))
  if (e.kind === 'resolve' && data.parts_done === true) extra.push(t('cases.partsDone'))
  if (e.kind === 'rated' && typeof data.rating === 'number') extra.push(t('cases.ratingValue', { n: data.rating }))
  if (e.kind === 'part_updated' && typeof data.unit === 'string' && typeof data.status === 'string') {
    extra.push(`${data.unit} · ${t(`cases.part.${data.status}`)}`)
  }
  if (e.kind === 'mediation' && typeof data.outcome === 'string') extra.push(t(`cases.outcome.${data.outcome}`))
  if (e.kind === 'photo' && typeof data.stage === 'string') {
    extra.push(t('cases.photoCount', { stage: t(`cases.photoStage.${data.stage}`), n: Number(data.count) || 0 }))
  }
  if (e.kind === 'rerouted' || (e.kind === 'accept' && data.mode)) {
    const mode = (data.mode as { to?: string } | string | undefined)
    const to = typeof mode === 'string' ? mode : mode?.to
    if (to) extra.push(t(`cases.mode.${to}`))
  }
  if (e.kind === 'recategorised') {
    const c = data.category as { to?: string } | undefined
    if (c?.to) extra.push(c.to)
  }
  if (!extra.length) return base
  return getLocale() === 'en' ? `${base} (${extra.join(', ')})` : `${base}（${extra.join('，')}）`
}

/** Who took a step: their name, or their role in words, or "system" (the escalation job). */
export function actorName(e: CaseEvent): string {
  const a = (e.actor ?? {}) as { name?: string | null; role?: string | null }
  if (a.name) return a.name
  if (a.role && a.role !== 'system') return t(`roles.${a.role}`)
  return t('cases.system')
}
