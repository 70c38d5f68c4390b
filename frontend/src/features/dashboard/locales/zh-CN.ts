// dashboard: 简体中文
export default {
  dashboard: {
    nav: '数据看板',
    title: '数据看板',
    area: '范围',
    wholeTown: '全镇',
    export: '导出 CSV',
    loadFailed: '看板加载失败',
    coverage: '覆盖率',
    verified: '已认证户数',
    registered: '已注册户数（含待核实）',
    households: '总户数',
    coverageNote: '覆盖率 = 已认证户数 ÷ 总户数。已认证：住户中有居民的账号经居委会核实。',
    trend: '近 8 周趋势',
    week: '周（周一）',
    byArea: '各居民区 / 网格覆盖率',
    place: '区域',
  },
}
