// dashboard: English; typed as the Chinese file, so a missing or extra key fails the type check.
import type zhCN from './zh-CN'

const en: typeof zhCN = {
  dashboard: {
    nav: 'Dashboard',
    title: 'Dashboard',
    area: 'Area',
    wholeTown: 'Whole town',
    export: 'Export CSV',
    loadFailed: 'Could not load the dashboard',
    coverage: 'Coverage',
    verified: 'Verified households',
    registered: 'Registered (incl. waiting)',
    households: 'Households',
    coverageNote: 'Coverage = verified households ÷ households. Verified: a resident’s account confirmed by the committee.',
    trend: 'Last 8 weeks',
    week: 'Week (Monday)',
    byArea: 'Coverage by community / grid',
    place: 'Area',
  },
}

export default en
