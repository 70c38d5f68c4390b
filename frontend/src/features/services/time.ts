// Times are stored in UTC and shown as they are in the town (Asia/Shanghai, UTC+8 all year: China keeps no
// daylight saving time), whatever zone the phone or the staff's computer is set to.
import { getLocale } from '@/i18n'

export const TOWN_ZONE = 'Asia/Shanghai'
const OFFSET = '+08:00'
const OFFSET_MS = 8 * 3600 * 1000

function fmt(iso: string, options: Intl.DateTimeFormatOptions): string {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return new Intl.DateTimeFormat(getLocale(), { timeZone: TOWN_ZONE, hour12: false, ...options }).format(d)
}

/** "09:30" in the town's time. */
export function timeOf(iso: string): string {
  return fmt(iso, { hour: '2-digit', minute: '2-digit' })
}

/** The town's calendar date of an instant, `YYYY-MM-DD`. */
export function townDay(iso: string | Date): string {
  const d = typeof iso === 'string' ? new Date(iso) : iso
  return new Date(d.getTime() + OFFSET_MS).toISOString().slice(0, 10)
}

/** Today in the town. */
export function townToday(now: Date = new Date()): string {
  return townDay(now)
}

/** `YYYY-MM-DD` plus n days. */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + n)
  return d.toISOString().slice(0, 10)
}

/** 0 Monday … 6 Sunday, as the schedule rules count (the town's calendar). */
export function weekdayOf(day: string): number {
  return (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7
}

/** "12月1日 周二" / "Tue 1 Dec" for a town date. */
export function dayLabel(day: string): string {
  const d = new Date(`${day}T12:00:00${OFFSET}`)
  return getLocale() === 'en'
    ? fmt(d.toISOString(), { weekday: 'short', day: 'numeric', month: 'short' })
    : `${fmt(d.toISOString(), { month: 'long', day: 'numeric' })} ${fmt(d.toISOString(), { weekday: 'short' })}`
}

/** A town date in two parts for a calendar cell: "12月1日" and "周二" / "1 Dec" and "Tue". */
export function dayParts(day: string): { date: string; weekday: string } {
  const iso = new Date(`${day}T12:00:00${OFFSET}`).toISOString()
  return getLocale() === 'en'
    ? { date: fmt(iso, { day: 'numeric', month: 'short' }), weekday: fmt(iso, { weekday: 'short' }) }
    : { date: fmt(iso, { month: 'long', day: 'numeric' }), weekday: fmt(iso, { weekday: 'short' }) }
}

/** "12月1日 周二 09:30–10:00" / "Tue 1 Dec, 09:30–10:00". */
export function slotText(startsAt: string, endsAt?: string | null): string {
  const day = dayLabel(townDay(startsAt))
  const span = endsAt ? `${timeOf(startsAt)}–${timeOf(endsAt)}` : timeOf(startsAt)
  return getLocale() === 'en' ? `${day}, ${span}` : `${day} ${span}`
}

/** An instant as the town's date and time: "2026/12/01 09:30". */
export function whenText(iso: string | null | undefined): string {
  if (!iso) return ''
  return fmt(iso, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })
}

/** The value of an `<input type="datetime-local">` (the town's wall time) as a UTC instant, or null. */
export function localInputToIso(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return null
  const d = new Date(`${value}:00${OFFSET}`)
  return Number.isNaN(d.getTime()) ? null : d.toISOString()
}

/** An instant as the value of an `<input type="datetime-local">` in the town's wall time. */
export function isoToLocalInput(iso: string | null | undefined): string {
  if (!iso) return ''
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return ''
  return new Date(d.getTime() + OFFSET_MS).toISOString().slice(0, 16)
}

/** Minutes as words: "3 小时" / "1 天" / "90 分钟". */
export function durationParts(minutes: number): { n: number; unit: 'minutes' | 'hours' | 'days' } {
  if (minutes > 0 && minutes % 1440 === 0) return { n: minutes / 1440, unit: 'days' }
  if (minutes > 0 && minutes % 60 === 0) return { n: minutes / 60, unit: 'hours' }
  return { n: minutes, unit: 'minutes' }
}
