// English; typed as the Chinese file, so a missing or extra key fails the type check.
import type zhCN from './zh-CN'

const en: typeof zhCN = {
  grid: {
    title: 'My grid',
    entrySub: 'Households and people to care for',
    view: 'Show',
    residents: 'Residents',
    households: 'Households',
    filter: 'Filter by situation',
    all: 'All residents',
    search: 'Search the residents of your grid',
    searchPlaceholder: 'Name or last 4 digits of the phone',
    searchButton: 'Search',
    empty: 'No residents in this grid yet',
    emptyTag: 'Nobody marked "{tag}" in this grid',
    noHouseholds: 'No households in this grid yet',
    loadFailed: 'Could not load your grid',
  },
}

export default en
