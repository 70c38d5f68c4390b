// English; typed as the Chinese file, so a missing or extra key fails the type check.
import type zhCN from './zh-CN'

const en: typeof zhCN = {
  me: {
    title: 'Me',
    profile: 'Profile',
    account: 'Account and security',
    name: 'Name',
    phone: 'Mobile number',
    role: 'Role',
    area: 'Area',
    settings: 'Settings',
    language: 'Language',
    household: 'My household',
    privacy: 'Privacy policy',
    logout: 'Log out',
  },
  changePhone: {
    title: 'Change mobile number',
    intro: 'The code is sent to the new number. Afterwards, log in with the new number.',
    current: 'Current number:',
    new: 'New mobile number',
    newPhone: 'the new number',
    same: 'The new number is the same as the current one',
    submit: 'Change number',
    failed: 'The number was not changed',
    done: 'Your mobile number has been changed',
  },
}

export default en
