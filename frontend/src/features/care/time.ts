import { t } from '@/i18n'
import { formatDateTime } from '@/utils/format'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

/** Whole days between a past moment and now (0 for today's hours). */
export function daysSince(iso: string, now: Date = new Date()): number {
  return Math.max(0, Math.floor((now.getTime() - new Date(iso).getTime()) / DAY))
}

/**
 * How long ago, in words a phone user reads at a glance: 刚刚, 5 分钟前, 3 小时前, 2 天前
 * (just now, 5 minutes ago, …). A moment in the future (a clock a little ahead) is "just now".
 */
export function ago(iso: string, now: Date = new Date()): string {
  const ms = now.getTime() - new Date(iso).getTime()
  if (Number.isNaN(ms)) return iso
  if (ms < MINUTE) return t('care.time.justNow')
  if (ms < HOUR) return t('care.time.minutesAgo', { n: Math.floor(ms / MINUTE) }, Math.floor(ms / MINUTE))
  if (ms < DAY) return t('care.time.hoursAgo', { n: Math.floor(ms / HOUR) }, Math.floor(ms / HOUR))
  const days = Math.floor(ms / DAY)
  return t('care.time.daysAgo', { n: days }, days)
}

/** "3 天前（2026/11/24 16:49）": the relative time first, the exact one after it. */
export function agoWithDate(iso: string, now: Date = new Date()): string {
  return t('care.time.agoWithDate', { ago: ago(iso, now), date: formatDateTime(iso) })
}

/** The calendar day (YYYY-MM-DD) of a moment in the town's time zone, for `formatDate`. */
export function dayOf(iso: string): string {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(d)
}
