// home: 简体中文
export default {
  home: {
    community: '所在社区：',
    entriesLabel: '常用服务',
  },
  features: {
    notices: '通知公告',
    guides: '办事指南',
    report: '我要报事',
    reportSub: '随手拍',
    booking: '服务预约',
    activities: '活动报名',
    topics: '自治议题',
    forms: '信息登记',
    unknown: '该功能',
  },
  comingSoon: {
    title: '功能建设中',
    body: '「{feature}」正在建设中，敬请期待。',
    back: '返回上一页',
  },
}
