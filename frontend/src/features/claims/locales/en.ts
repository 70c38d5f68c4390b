// English; typed as the Chinese file, so a missing or extra key fails the type check.
import type zhCN from './zh-CN'

const en: typeof zhCN = {
  claims: {
    nav: 'Household claims',
    title: 'Household claims',
    intro: 'Residents gave an address when they registered. Approve only once you know the person lives there; their account is then linked to the household.',
    statusFilter: 'Filter by status',
    status: {
      pending: 'Waiting',
      approved: 'Approved',
      rejected: 'Rejected',
    },
    empty: {
      pending: 'No claims waiting for review',
      approved: 'No approved claims',
      rejected: 'No rejected claims',
    },
    loadFailed: 'Could not load the claims',
    phone: 'Mobile',
    address: 'Address given',
    submittedAt: 'Submitted',
    reviewedAt: 'Reviewed',
    note: 'Note',
    approve: 'Approve',
    occupants: 'Already living there',
    occupantPhone: ' ({phone})',
    hasAccount: 'has an account',
    noAccount: 'no account',
    noOccupants: 'Nobody is registered in this household yet',
    confirmApproveQuestion: 'Does {name} live at {address}? Once approved, the account is linked to this household and can see and change its members.',
    confirmApproveOccupants: '{n} residents are registered in this household: please make sure the applicant is one of them or really lives with them.',
    confirmApprove: 'Yes, approve',
    approveLabel: 'Approve the claim of {name}',
    reject: 'Reject',
    rejectLabel: 'Reject the claim of {name}',
    rejectNote: 'Reason for rejecting (optional, up to 200 characters)',
    rejectNotePlaceholder: 'e.g. Checked on site: nobody of this name lives here',
    confirmReject: 'Confirm rejection',
    reviewing: 'Sending…',
    reviewFailed: 'The review did not go through',
    approvedDone: 'Approved: {name} can now use every service',
    rejectedDone: 'Marked as rejected',
    refresh: 'Reload the list',
    count: '{n} shown',
    badge: '{n} waiting for review',
  },
}

export default en
