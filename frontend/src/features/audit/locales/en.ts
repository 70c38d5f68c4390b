// English; typed as the Chinese file, so a missing or extra key fails the type check.
import type zhCN from './zh-CN'

const en: typeof zhCN = {
  audit: {
    nav: 'Audit log',
    title: 'Audit log',
    intro: 'Who viewed or changed what, and when; newest first. The reasons given for viewing full numbers are here too.',
    filters: 'Filter the log',
    action: 'Action',
    actionPlaceholder: 'e.g. resident.reveal',
    resourceType: 'Record type',
    resourceTypePlaceholder: 'e.g. resident',
    resourceId: 'Record number',
    actor: 'User number',
    byActor: 'Only entries by user #{id}',
    system: 'System',
    at: 'Time',
    resource: 'Record',
    detail: 'Details',
    ip: 'IP address',
    clear: 'Clear filters',
    empty: 'No matching entries',
    loadFailed: 'Could not load the audit log',
    actions: {
      resident_reveal: 'Viewed a full number',
      resident_update: 'Changed a resident',
      resident_create: 'Added a resident',
      claim_review: 'Reviewed a household claim',
      user_password_reset: 'Reset a password',
      auth_login: 'Logged in',
    },
  },
}

export default en
