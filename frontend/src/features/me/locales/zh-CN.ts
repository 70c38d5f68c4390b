// me: 简体中文
export default {
  me: {
    title: '我的',
    profile: '个人信息',
    name: '姓名',
    phone: '手机号',
    role: '身份',
    area: '所属区域',
    settings: '设置',
    language: '语言',
    household: '我的家庭',
    logout: '退出登录',
  },
}
