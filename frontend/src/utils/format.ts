import { getLocale } from '@/i18n'

// The service is for one town in Shanghai: show times as they are there, whatever the device says.
const TIME_ZONE = 'Asia/Shanghai'

/** "2026/01/05 14:30" (zh-CN) or "01/05/2026, 14:30" (en) for an ISO 8601 timestamp. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return ''
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return new Intl.DateTimeFormat(getLocale(), {
    timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
    hour12: false,
  }).format(d)
}

/** A calendar date (`YYYY-MM-DD`) in the reader's language, e.g. 1955年3月12日 / 12 March 1955. */
export function formatDate(date: string | null | undefined): string {
  if (!date) return ''
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)
  if (!m) return date
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  return new Intl.DateTimeFormat(getLocale(), { timeZone: 'UTC', year: 'numeric', month: 'long', day: 'numeric' })
    .format(d)
}

/** A phone shown the way the API shows other people's: 138****5678 (the owner sees it in full only where they change it). */
export function maskPhone(phone: string | null | undefined): string {
  if (!phone) return ''
  return phone.length === 11 ? `${phone.slice(0, 3)}****${phone.slice(7)}` : phone
}
