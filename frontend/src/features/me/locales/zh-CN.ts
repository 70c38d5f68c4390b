// me: 简体中文
export default {
  me: {
    title: '我的',
    profile: '个人信息',
    account: '账号与安全',
    name: '姓名',
    phone: '手机号',
    role: '身份',
    area: '所属区域',
    settings: '设置',
    language: '语言',
    household: '我的家庭',
    privacy: '个人信息保护政策',
    logout: '退出登录',
  },
  changePhone: {
    title: '更换手机号',
    intro: '验证码会发到新手机号。更换后，请用新手机号登录。',
    current: '当前手机号：',
    new: '新手机号',
    newPhone: '新手机号',
    same: '新手机号与当前手机号相同',
    submit: '确认更换',
    failed: '手机号没有更换成功',
    done: '手机号已更换',
  },
}
