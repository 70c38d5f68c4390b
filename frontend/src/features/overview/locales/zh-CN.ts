// overview: 简体中文
export default {
  overview: {
    nav: '概览',
    areaLine: '管辖区域：{name}（{kind}）',
    statsTitle: '辖区概况',
    statsFailed: '统计数据加载失败',
    children: '各{kind}概况',
    childrenFailed: '分区统计加载失败',
    households: '户数',
    residentsCount: '居民人数',
    sections: '标段',
    grids: '网格',
    stairwells: '楼道',
    tagsTitle: '重点人群',
    toResidents: '查看居民列表',
    partnerTitle: '合作单位工作台',
    partnerBody: '派发给贵单位的事项将在这里处理，功能建设中。',
  },
}
