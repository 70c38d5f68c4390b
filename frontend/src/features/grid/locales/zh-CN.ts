// grid: 简体中文
export default {
  grid: {
    title: '我的网格',
    entrySub: '住户与关爱对象',
    view: '查看方式',
    residents: '居民',
    households: '住户',
    filter: '按情况筛选',
    all: '全部居民',
    search: '搜索本网格居民',
    searchPlaceholder: '姓名或手机号后四位',
    searchButton: '搜索',
    empty: '本网格暂无居民',
    emptyTag: '本网格暂无“{tag}”',
    noHouseholds: '本网格暂无住户',
    loadFailed: '网格信息加载失败',
  },
}
