// inbox: 简体中文
export default {
  inbox: {
    title: '我的消息',
    short: '消息',
    bellUnread: '我的消息，{n} 条未读',
    unread: '{n} 条未读',
    allRead: '消息都已读',
    readAll: '全部已读',
    new: '未读',
    empty: '还没有消息',
    loadFailed: '消息加载失败',
  },
}
