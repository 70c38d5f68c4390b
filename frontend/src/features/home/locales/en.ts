// English; typed as the Chinese file, so a missing or extra key fails the type check.
import type zhCN from './zh-CN'

const en: typeof zhCN = {
  home: {
    community: 'Community: ',
    entriesLabel: 'Services',
  },
  features: {
    notices: 'Notices',
    guides: 'Guides',
    report: 'Report a problem',
    reportSub: 'Snap & send',
    booking: 'Book a service',
    activities: 'Activities',
    topics: 'Community topics',
    forms: 'Forms',
    unknown: 'This feature',
  },
  comingSoon: {
    title: 'Coming soon',
    body: '"{feature}" is being built. Please check back later.',
    back: 'Go back',
  },
}

export default en
