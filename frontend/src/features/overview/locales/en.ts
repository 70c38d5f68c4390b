// English; typed as the Chinese file, so a missing or extra key fails the type check.
import type zhCN from './zh-CN'

const en: typeof zhCN = {
  overview: {
    nav: 'Overview',
    areaLine: 'Area: {name} ({kind})',
    statsTitle: 'At a glance',
    statsFailed: 'Could not load the statistics',
    children: 'Figures per area ({kind})',
    childrenFailed: 'Could not load the figures per area',
    households: 'Households',
    residentsCount: 'Residents',
    sections: 'Sections',
    grids: 'Grids',
    stairwells: 'Stairwells',
    tagsTitle: 'People needing attention',
    toResidents: 'Open the resident list',
    partnerTitle: 'Partner console',
    partnerBody: 'Cases dispatched to your unit will be handled here. Coming soon.',
  },
}

export default en
