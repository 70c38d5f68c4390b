import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { setLocale } from '@/i18n'
import { json, problem, stubFetch, tokenPair, type SeenRequest } from './helpers'
import { mountApp } from './mountApp'

let wrapper: VueWrapper | undefined

/** The public endpoints of the registration form (contract items 1–3). */
function publicServer(extra?: (req: SeenRequest) => Response | undefined) {
  return stubFetch((req) => {
    const custom = extra?.(req)
    if (custom) return custom
    if (req.path.endsWith('/public/config')) return json(200, { demo_sms: true, privacy_policy_version: '2026-11' })
    if (req.path.endsWith('/public/communities')) {
      return json(200, { items: [{ id: 7, name: '丽水湾', code: 'LSW', office_phone: '021-57460000' }, { id: 8, name: '庄行新苑', code: 'XY', office_phone: null }] })
    }
    if (req.path.endsWith('/public/communities/7/buildings')) {
      return json(200, { items: [
        { building: '5', units: [{ stairwell_id: 50, unit: '2', label: '5号楼2单元' }] },
        { building: '12', units: [{ stairwell_id: 120, unit: '1', label: '12号楼1单元' }, { stairwell_id: 121, unit: '2', label: '12号楼2单元' }] },
      ] })
    }
    if (req.path.endsWith('/public/stairwells/120/rooms')) return json(200, { items: [{ household_id: 301, room: '301' }, { household_id: 302, room: '302' }] })
    if (req.path.endsWith('/public/stairwells/50/rooms')) return json(200, { items: [{ household_id: 501, room: '101' }] })
    if (req.path.endsWith('/auth/sms-codes')) return json(202, { expires_in: 300, resend_after: 60 })
    if (req.path.endsWith('/demo/sms-codes')) {
      return json(200, { items: [{ phone: '13655550001', purpose: 'register', code: '246810', sent_at: '2026-11-28T08:00:00+08:00' }] })
    }
    if (req.path.endsWith('/auth/register')) return json(201, tokenPair('resident').user)
    if (req.path.endsWith('/auth/login')) return json(200, tokenPair('resident', 1, { household_id: null }))
    if (req.path.endsWith('/me')) return json(200, tokenPair('resident', 1, { household_id: null }).user)
    return json(404, {})
  })
}

async function pick(w: VueWrapper, testid: string, value: string) {
  await w.get(`[data-testid="${testid}"]`).setValue(value)
  await flushPromises()
}

describe('register (注册)', () => {
  beforeEach(() => {
    localStorage.clear()
    setLocale('zh-CN')
  })
  afterEach(() => {
    wrapper?.unmount()
    wrapper = undefined
    vi.useRealTimers()
  })

  it('picks the address from the tree: community → building → unit → room (one unit is chosen at once)', async () => {
    const { seen } = publicServer()
    wrapper = (await mountApp('/register')).wrapper
    const w = wrapper
    expect(w.get('[data-testid="pick-building"]').attributes('disabled')).toBeDefined()
    await pick(w, 'pick-community', '7')
    const buildings = w.findAll('[data-testid="pick-building"] option').map((o) => o.text())
    expect(buildings).toEqual(['请选择', '5号楼', '12号楼'])
    await pick(w, 'pick-building', '12')
    expect(w.findAll('[data-testid="pick-unit"] option').map((o) => o.text())).toEqual(['请选择', '1单元', '2单元'])
    await pick(w, 'pick-unit', '120')
    expect(w.findAll('[data-testid="pick-room"] option').map((o) => o.text())).toEqual(['请选择', '301室', '302室'])
    await pick(w, 'pick-building', '5')
    expect((w.get('[data-testid="pick-unit"]').element as HTMLSelectElement).value).toBe('50')
    await flushPromises()
    expect(seen.some((r) => r.path.endsWith('/public/stairwells/50/rooms'))).toBe(true)
  })

  it('checks everything before sending: code, address, the password twice and the consent', async () => {
    const { seen } = publicServer()
    wrapper = (await mountApp('/register')).wrapper
    const w = wrapper
    await w.get('[data-testid="register-phone"]').setValue('１３６ ５５５５ ０００１')
    await w.get('[data-testid="register-name"]').setValue('钱阿姨')
    await w.get('[data-testid="register-password"]').setValue('Neighbour2026')
    await w.get('[data-testid="register-password2"]').setValue('Neighbour2025')
    await w.get('form').trigger('submit')
    await flushPromises()
    const text = w.text()
    expect(text).toContain('请输入短信验证码')
    expect(text).toContain('请选择您家的室号')
    expect(text).toContain('两次输入的密码不一致')
    expect(text).toContain('请先阅读并同意个人信息保护政策')
    expect(text).not.toContain('请输入正确的 11 位手机号码') // full-width digits and spaces are fine
    expect(w.get('[data-testid="register-consent"]').attributes('aria-invalid')).toBe('true')
    expect(seen.some((r) => r.path.endsWith('/auth/register'))).toBe(false)
    expect(w.get('[data-testid="privacy-link"]').attributes('href')).toBe('/privacy')
  })

  it('the password can be shown', async () => {
    publicServer()
    wrapper = (await mountApp('/register')).wrapper
    const input = wrapper.get('[data-testid="register-password"]')
    expect(input.attributes('type')).toBe('password')
    const toggle = wrapper.findAll('.password-field__toggle')[0]
    expect(toggle.attributes('aria-label')).toContain('显示')
    await toggle.trigger('click')
    expect(input.attributes('type')).toBe('text')
    expect(toggle.attributes('aria-pressed')).toBe('true')
  })

  it('sends the code, shows it in the demo, registers with the household picked and logs in', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true })
    const { seen } = publicServer()
    const { wrapper: w, router } = await mountApp('/register')
    wrapper = w
    await w.get('[data-testid="sms-send"]').trigger('click')
    expect(w.text()).toContain('请输入正确的 11 位手机号码')
    await w.get('[data-testid="register-phone"]').setValue('13655550001')
    await w.get('[data-testid="sms-send"]').trigger('click')
    await flushPromises()
    expect(seen.find((r) => r.path.endsWith('/auth/sms-codes'))!.body).toEqual({ phone: '13655550001', purpose: 'register' })
    expect(w.get('[data-testid="sms-send"]').text()).toContain('60 秒后可重新获取')
    expect(w.get('[data-testid="sms-send"]').attributes('disabled')).toBeDefined()
    await w.get('[data-testid="demo-sms-show"]').trigger('click')
    await flushPromises()
    expect(w.get('[data-testid="demo-sms-code"]').text()).toBe('246810')
    await w.get('[data-testid="demo-sms-fill"]').trigger('click')
    expect((w.get('[data-testid="sms-code"]').element as HTMLInputElement).value).toBe('246810')

    await w.get('[data-testid="register-name"]').setValue('钱阿姨')
    await pick(w, 'pick-community', '7')
    await pick(w, 'pick-building', '12')
    await pick(w, 'pick-unit', '120')
    await pick(w, 'pick-room', '302')
    await w.get('[data-testid="register-password"]').setValue('Neighbour2026')
    await w.get('[data-testid="register-password2"]').setValue('Neighbour2026')
    await w.get('[data-testid="register-consent"]').setValue(true)
    await w.get('form').trigger('submit')
    await flushPromises()
    expect(seen.find((r) => r.path.endsWith('/auth/register'))!.body).toEqual({
      phone: '13655550001', code: '246810', password: 'Neighbour2026', name: '钱阿姨', household_id: 302, accept_privacy: true,
    })
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/'))
  })

  it('puts the server’s field errors under the fields (a wrong code, a registered phone)', async () => {
    publicServer((req) => (req.path.endsWith('/auth/register')
      ? problem(422, '提交的内容有误', '部分字段填写有误，请检查。', { code: ['验证码不正确或已过期'], phone: ['该手机号已注册，请直接登录或找回密码'] })
      : undefined))
    const w = (wrapper = (await mountApp('/register')).wrapper)
    await w.get('[data-testid="register-phone"]').setValue('13655550001')
    await w.get('[data-testid="sms-code"]').setValue('000000')
    await w.get('[data-testid="register-name"]').setValue('钱阿姨')
    await pick(w, 'pick-community', '7')
    await pick(w, 'pick-building', '5')
    await pick(w, 'pick-room', '501')
    await w.get('[data-testid="register-password"]').setValue('Neighbour2026')
    await w.get('[data-testid="register-password2"]').setValue('Neighbour2026')
    await w.get('[data-testid="register-consent"]').setValue(true)
    await w.get('form').trigger('submit')
    await flushPromises()
    expect(w.get('[data-testid="sms-code"]').attributes('aria-invalid')).toBe('true')
    expect(w.text()).toContain('验证码不正确或已过期')
    expect(w.get('[data-testid="register-phone"]').attributes('aria-invalid')).toBe('true')
    expect(w.text()).toContain('该手机号已注册')
    expect(w.get('[role="alert"]').text()).toContain('注册没有成功')
  })

  it('a 429 on the code says how long to wait', async () => {
    publicServer((req) => (req.path.endsWith('/auth/sms-codes')
      ? new Response(JSON.stringify({ type: 'about:blank', title: '请求太频繁', status: 429 }), { status: 429, headers: { 'Content-Type': 'application/problem+json', 'Retry-After': '42' } })
      : undefined))
    const w = (wrapper = (await mountApp('/register')).wrapper)
    await w.get('[data-testid="register-phone"]').setValue('13655550001')
    await w.get('[data-testid="sms-send"]').trigger('click')
    await flushPromises()
    expect(w.text()).toContain('获取太频繁，请 42 秒后再试')
  })
})

describe('忘记密码 and the privacy policy', () => {
  beforeEach(() => {
    localStorage.clear()
    setLocale('zh-CN')
  })
  afterEach(() => {
    wrapper?.unmount()
    wrapper = undefined
  })

  it('resets the password with a code and goes to login with a note and the phone filled in', async () => {
    const { seen } = publicServer((req) => (req.path.endsWith('/auth/password-reset') ? new Response(null, { status: 204 }) : undefined))
    const { wrapper: w, router } = await mountApp('/login')
    wrapper = w
    await w.get('[data-testid="to-forgot"]').trigger('click')
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('forgot-password'))
    await flushPromises()
    await w.get('[data-testid="forgot-phone"]').setValue('13800000005')
    await w.get('[data-testid="sms-send"]').trigger('click')
    await flushPromises()
    expect(seen.find((r) => r.path.endsWith('/auth/sms-codes'))!.body).toEqual({ phone: '13800000005', purpose: 'reset_password' })
    await w.get('[data-testid="sms-code"]').setValue('135790')
    await w.get('[data-testid="forgot-password"]').setValue('NewPass2026')
    await w.get('[data-testid="forgot-password2"]').setValue('NewPass2026')
    await w.get('form').trigger('submit')
    await flushPromises()
    expect(seen.find((r) => r.path.endsWith('/auth/password-reset'))!.body).toEqual({ phone: '13800000005', code: '135790', new_password: 'NewPass2026' })
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('login'))
    await flushPromises()
    expect(w.get('[data-testid="login-done"]').text()).toContain('新密码已设置')
    expect((w.get('[data-testid="login-phone"]').element as HTMLInputElement).value).toBe('13800000005')
  })

  it('shows the privacy policy in Chinese and English, to visitors and signed-in users alike', async () => {
    publicServer()
    const w = (wrapper = (await mountApp('/privacy')).wrapper)
    expect(w.text()).toContain('个人信息保护政策')
    expect(w.text()).toContain('敏感个人信息')
    expect(w.text()).toContain('版本：2026-11')
    setLocale('en')
    await flushPromises()
    expect(w.text()).toContain('Privacy policy')
    expect(w.text()).toContain('Personal Information Protection Law')
  })
})
