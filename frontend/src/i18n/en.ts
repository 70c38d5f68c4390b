// English: the strings shared by every feature (each feature's own are in src/features/<feature>/locales/).
import type { Messages } from './zh-CN'

const en: Messages = {
  app: {
    name: 'Steward',
    slogan: 'Your neighbourhood committee in your pocket',
    town: 'Zhuanghang',
  },
  common: {
    back: 'Back',
    loading: 'Loading…',
    loadMore: 'Load more',
    noMore: 'No more',
    retry: 'Retry',
    cancel: 'Cancel',
    errorPrefix: 'Error: ',
    required: 'Please enter {field}',
    fieldError: '{field}: {message}',
    unknown: 'Not given',
    requestId: 'Reference: {id} (quote it when asking for help)',
  },
  errors: {
    network: 'Network error. Please check your connection and try again.',
    generic: 'Something went wrong. Please try again later.',
    phone: 'Please enter an 11-digit mobile number',
    passwordShort: 'The password needs at least 8 characters',
    sessionExpired: 'Your session has expired. Please log in again.',
  },
  tabbar: {
    home: 'Home',
    me: 'Me',
  },
  elder: {
    label: 'Large mode',
    on: 'On: larger text and buttons',
    off: 'Off: tap for larger text and buttons',
  },
  language: {
    'zh-CN': '中文',
    en: 'English',
  },
  roles: {
    resident: 'Resident',
    volunteer: 'Volunteer',
    staff: 'Committee staff',
    town_staff: 'Town staff',
    partner: 'Partner unit',
    admin: 'Administrator',
  },
  areaKinds: {
    town: 'Town',
    community: 'Community',
    section: 'Section',
    grid: 'Grid',
  },
  tags: {
    elderly_alone: 'Living alone (elderly)',
    hardship: 'Hardship',
    party_member: 'Party member',
    volunteer: 'Volunteer',
  },
  gender: {
    male: 'Male',
    female: 'Female',
  },
  console: {
    title: 'Steward console',
    nav: 'Console navigation',
    who: '{area} · {name} ({role})',
  },
  residentForm: {
    addLabel: 'Add a resident',
    editLabel: 'Edit {name}',
    name: 'Name (required)',
    gender: 'Gender',
    genderUnset: 'Not given',
    birthDate: 'Date of birth',
    phone: 'Mobile number',
    idCard: 'ID card number',
    tags: 'Tags',
    optional: 'Optional',
    keep: 'Leave empty to keep',
    phoneHint: 'Currently {masked}. To change it, enter the full 11-digit number; leave empty to keep it.',
    idCardHint: 'Currently {masked}. To change it, enter the full 18-character number; leave empty to keep it.',
    idCardInvalid: 'Please enter an 18-character ID card number (the last one may be X)',
    save: 'Save',
    saving: 'Saving…',
    saveFailed: 'Could not save',
    noChanges: 'Nothing has changed',
    stale: 'Someone else has changed this record. Please reload and try again.',
    reload: 'Reload',
  },
}

export default en
