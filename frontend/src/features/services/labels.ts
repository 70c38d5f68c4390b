// Words for the codes the API sends (who may book, policy, states): in the reader's language, never a code.
import { t } from '@/i18n'
import type { ResidentTag } from '@/api'
import type { Service } from './api'
import { durationParts } from './time'

type Eligibility = Pick<Service, 'audience' | 'min_age' | 'required_tags'>

/** "本社区居民均可预约" / "年满 60 周岁、已核实住户的居民；限独居老人或困难家庭". */
export function whoMayBook(s: Eligibility): string {
  const parts: string[] = []
  if (s.min_age) parts.push(t('services.who.minAge', { age: s.min_age }))
  if (s.audience === 'verified') parts.push(t('services.who.verified'))
  const tags = (s.required_tags as ResidentTag[]).map((tag) => t(`tags.${tag}`))
  if (!parts.length && !tags.length) return t('services.who.all')
  const who = parts.length ? t('services.who.residents', { what: parts.join(t('services.who.sep')) }) : t('services.who.anyResident')
  return tags.length ? t('services.who.withTags', { who, tags: tags.join(t('services.who.or')) }) : who
}

/** "3 小时" / "1 天" / "30 分钟". */
export function durationText(minutes: number): string {
  const { n, unit } = durationParts(minutes)
  return t(`services.units.${unit}`, { n })
}
