// English; typed as the Chinese file, so a missing or extra key fails the type check.
import type zhCN from './zh-CN'

const en: typeof zhCN = {
  home: {
    community: 'Community: ',
    entriesLabel: 'Services',
  },
}

export default en
