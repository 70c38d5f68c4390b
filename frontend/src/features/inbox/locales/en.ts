// inbox: English
export default {
  inbox: {
    title: 'My messages',
    short: 'Inbox',
    bellUnread: 'My messages, {n} unread',
    unread: '{n} unread',
    allRead: 'All read',
    readAll: 'Mark all read',
    new: 'New',
    empty: 'No messages yet',
    loadFailed: 'Could not load your messages',
  },
}
