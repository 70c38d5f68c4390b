// English; typed as the Chinese file, so a missing or extra key fails the type check.
import type zhCN from './zh-CN'

const en: typeof zhCN = {
  privacy: {
    title: 'Privacy policy',
    version: 'Version: {v}',
    intro: 'Steward is the online service of the residents\' committees of Zhuanghang Town (the "committee"). We handle your personal information under the Personal Information Protection Law of the People\'s Republic of China, and collect only what the services need. Please read this policy; you need to agree to it to register.',
    sections: [
      {
        title: '1. What we collect',
        body: [
          'When you register: your mobile number (to log in and receive codes), your name, the home address you choose (estate, building, entrance, flat) and your password (only a one-way hash of it is kept).',
          'When you or the committee add household members: name, gender, date of birth, and, if given, their mobile and ID-card numbers.',
          'Where the committee\'s work needs it, a resident may be marked as, for example, "living alone (elderly)" or "household in hardship", so that they can be visited and helped.',
          'For the security of your account: logs of sign-ins, actions and network addresses.',
        ],
      },
      {
        title: '2. Why we use it',
        body: [
          'To check that you live at the address you gave and link you to your household; to provide notices, problem reports, bookings and activities; for the committee and grid volunteers to visit, care for and reach residents in an emergency; and to keep accounts and the system secure.',
          'We never use your information for advertising or marketing, and we never sell it.',
        ],
      },
      {
        title: '3. Sensitive personal information',
        body: [
          'ID-card numbers and marks such as "living alone" or "hardship" are sensitive personal information. We handle them only where a specific task or care for you requires it, and lists always show numbers partly hidden (for example 310***********1234, 138****5678).',
          'A staff member who views a full number must give a reason, and every such view is written to an audit log.',
        ],
      },
      {
        title: '4. Who can see your information',
        body: [
          'You; the staff of your residents\' committee; the grid workers and volunteers of your own grid; and the town staff responsible for community work. Each sees only what their duties need.',
          'When a problem you report is passed to a partner such as the property company, it receives only what it needs to handle that problem.',
          'Except where the law requires it, we do not give your personal information to any other organisation or person.',
        ],
      },
      {
        title: '5. Storage and protection',
        body: [
          'Your information is stored within the People\'s Republic of China and is not transferred abroad.',
          'We protect it with encrypted storage, partly hidden display, access by role, and audit logs.',
          'When you close your account or move away, we delete or anonymise your personal information once the necessary handover is done, unless the law requires otherwise.',
        ],
      },
      {
        title: '6. Your rights',
        body: [
          'You can view and correct your own and your household\'s information under "Me" and "My household", and change your password and mobile number.',
          'You may access, copy, correct or delete your personal information, withdraw your consent, or close your account. Please contact your residents\' committee; we answer within 15 working days.',
          'Withdrawing consent does not affect what was done with your consent before.',
        ],
      },
      {
        title: '7. Children',
        body: [
          'The information of a child under 14 is to be registered, and consented to, by a parent or guardian.',
        ],
      },
      {
        title: '8. Contact and changes',
        body: [
          'For questions or complaints, call your residents\' committee (the number is on the home screen and under "My household") or visit its office.',
          'When this policy changes we tell you in the app; for a major change we ask for your consent again.',
        ],
      },
    ],
  },
  myData: {
    title: 'My data',
    entrySub: 'See · download · delete',
    intro: 'What the platform holds about you and your household. Download a copy, withdraw your consent or ask for deletion (PIPL arts. 44–47).',
    loadFailed: 'Could not load your data',
    account: 'My account',
    name: 'Name',
    phone: 'Mobile',
    registeredAt: 'Registered',
    consent: 'Privacy policy accepted: {v} ({at})',
    household: 'My household',
    members: 'Members',
    me: ' (me)',
    records: 'My records',
    counts: {
      cases: 'Reports',
      bookings: 'Bookings',
      activity_signups: 'Activity sign-ups',
      service_requests: 'Errands',
      form_submissions: 'Forms',
      care: 'Care pairs',
    },
    countN: '{n}',
    download: 'Download my data (JSON file)',
    downloadNote: 'The file holds your full ID number: keep it safe.',
    downloadFailed: 'Download failed',
    deleteTitle: 'Ask to delete my personal information',
    deleteNote: 'Once the committee confirms, your name, phone and ID number are erased and the account can no longer sign in; the problems you reported stay, shown as from a former resident.',
    reason: 'Reason (optional)',
    requestDelete: 'Ask for deletion',
    requested: 'Deletion requested; the committee will confirm.',
    rejected: 'The committee did not accept it: {note}',
    confirmed: 'Your personal information has been erased.',
    cancel: 'Take back the request',
    withdrawTitle: 'Withdraw consent',
    withdrawNote: 'Your account closes at once and you are signed out; the committee erases your personal information.',
    withdrawConfirm: 'I understand: withdraw my consent',
    withdraw: 'Withdraw consent',
    withdrawn: 'Consent withdrawn; your account is closed.',
    actionFailed: 'That did not work',
  },
  privacyConsole: {
    nav: 'Deletion requests',
    title: 'Residents asking to delete their data',
    note: 'Confirming erases or anonymises the resident’s personal information; cases and the audit log keep their records. Every decision is audited.',
    none: 'No requests waiting.',
    who: 'Resident',
    at: 'Asked',
    reason: 'Reason',
    consent: 'Consent withdrawn',
    status: { pending: 'Waiting', confirmed: 'Erased', rejected: 'Refused', cancelled: 'Taken back' },
    confirm: 'Confirm deletion',
    reject: 'Refuse',
    rejectNote: 'Why it is refused',
    failed: 'That did not work',
  },
}

export default en
