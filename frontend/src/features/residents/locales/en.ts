// English; typed as the Chinese file, so a missing or extra key fails the type check.
import type zhCN from './zh-CN'

const en: typeof zhCN = {
  residents: {
    nav: 'Residents',
    title: 'Residents',
    search: 'Search',
    searchPlaceholder: 'Name or mobile number',
    searchLabel: 'Search residents (name or mobile number)',
    tagFilter: 'Filter by tag',
    all: 'All',
    empty: 'No residents',
    phone: 'Phone',
    idCard: 'ID card',
    address: 'Address',
    grid: 'Grid',
    loadFailed: 'Could not load the residents',
    count: '{n} shown',
    open: 'Open the details of {name}',
  },
  residentDetail: {
    title: 'Resident details',
    back: 'Back to the resident list',
    loadFailed: 'Could not load this resident',
    name: 'Name',
    gender: 'Gender',
    birthDate: 'Date of birth',
    phone: 'Phone',
    idCard: 'ID card',
    tags: 'Tags',
    noTags: 'None',
    address: 'Address',
    grid: 'Grid',
    community: 'Community',
    updatedAt: 'Last updated',
    reveal: 'Show full numbers',
    revealing: 'Loading…',
    revealFailed: 'Could not load the full numbers',
    revealNote: 'This view has been recorded in the audit log',
    hide: 'Hide full numbers',
    edit: 'Edit details',
    saved: 'Saved',
  },
}

export default en
