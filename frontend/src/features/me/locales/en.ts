// English; typed as the Chinese file, so a missing or extra key fails the type check.
import type zhCN from './zh-CN'

const en: typeof zhCN = {
  me: {
    title: 'Me',
    profile: 'Profile',
    name: 'Name',
    phone: 'Mobile number',
    role: 'Role',
    area: 'Area',
    settings: 'Settings',
    language: 'Language',
    household: 'My household',
    logout: 'Log out',
  },
}

export default en
