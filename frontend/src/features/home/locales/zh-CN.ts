// home: 简体中文
export default {
  home: {
    community: '所在社区：',
    entriesLabel: '常用服务',
  },
}
