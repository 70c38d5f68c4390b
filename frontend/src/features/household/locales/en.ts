// English; typed as the Chinese file, so a missing or extra key fails the type check.
import type zhCN from './zh-CN'

const en: typeof zhCN = {
  household: {
    title: 'My household',
    address: 'Address',
    community: 'Community',
    grid: 'Grid',
    stairwell: 'Stairwell',
    stairwellValue: 'Building {building}, unit {unit}',
    members: 'Members',
    noMembers: 'No members yet',
    notLinked: 'You are not linked to a household yet',
    notLinkedDetail: 'Your household appears here once the committee has verified the address you registered.',
    phoneLabel: 'Phone: ',
    born: 'Born {date}',
    edit: 'Edit',
    editLabel: 'Edit {name}',
    addMember: 'Add a household member',
    addTitle: 'Add a household member',
    addIntro: "Fill in the new member's details. Only the name is required.",
    addSubmit: 'Add',
    editTitle: 'Edit household member',
    editIntro: 'Make your changes and tap "Save". Tags are kept by the committee and cannot be changed here.',
    memberLoadFailed: 'Could not load this member',
    memberAdded: 'Household member added: {name}',
    memberSaved: 'Saved the details of {name}',
  },
}

export default en
