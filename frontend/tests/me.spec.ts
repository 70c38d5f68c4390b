import { describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { json, me, problem, stubFetch } from './helpers'
import { useSignedInApp } from './mountApp'

describe('我的: phone, password, 换手机号', () => {
  const mountSignedIn = useSignedInApp()

  it('shows the own phone masked, as everywhere else', async () => {
    stubFetch((req) => (req.path.endsWith('/me') ? json(200, me('resident', { phone: '13800000005' })) : json(404, {})))
    const { wrapper: w } = await mountSignedIn('/me')
    expect(w.get('[data-testid="me-phone"]').text()).toContain('138****0005')
    expect(w.text()).not.toContain('13800000005')
  })

  it('changes the password: current one required, the new one twice, then back to 我的 with a note', async () => {
    const { seen } = stubFetch((req) => {
      if (req.path.endsWith('/me/password')) {
        const body = req.body as { current_password: string }
        return body.current_password === 'wrong'
          ? problem(422, '提交的内容有误', undefined, { current_password: ['当前密码不正确'] })
          : new Response(null, { status: 204 })
      }
      if (req.path.endsWith('/me')) return json(200, me('resident'))
      return json(404, {})
    })
    const { wrapper: w, router } = await mountSignedIn('/me')
    await w.get('[data-testid="me-password"]').trigger('click')
    await vi.waitFor(() => expect(w.find('[data-testid="password-form"]').exists()).toBe(true), { timeout: 10_000 })
    await w.get('[data-testid="password-current"]').setValue('wrong')
    await w.get('[data-testid="password-new"]').setValue('NewPass2026')
    await w.get('[data-testid="password-new2"]').setValue('NewPass2025')
    await w.get('[data-testid="password-form"]').trigger('submit')
    expect(w.text()).toContain('两次输入的密码不一致')
    await w.get('[data-testid="password-new2"]').setValue('NewPass2026')
    await w.get('[data-testid="password-form"]').trigger('submit')
    await flushPromises()
    expect(w.get('[data-testid="password-current"]').attributes('aria-invalid')).toBe('true')
    expect(w.text()).toContain('当前密码不正确')
    await w.get('[data-testid="password-current"]').setValue('Steward@2026')
    await w.get('[data-testid="password-form"]').trigger('submit')
    await flushPromises()
    expect(seen.filter((r) => r.path.endsWith('/me/password')).at(-1)!.body).toEqual({ current_password: 'Steward@2026', new_password: 'NewPass2026' })
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('me'))
    await flushPromises()
    expect(w.get('[data-testid="me-done"]').text()).toContain('密码已修改')
  })

  it('while must_change_password is true, every page leads to the password page, which offers logout only', async () => {
    let must = true
    stubFetch((req) => {
      if (req.path.endsWith('/me/password')) {
        must = false
        return new Response(null, { status: 204 })
      }
      if (req.path.endsWith('/me')) return json(200, me('resident', { must_change_password: must }))
      return json(404, {})
    })
    const { wrapper: w, router } = await mountSignedIn('/household')
    expect(router.currentRoute.value.name).toBe('password')
    expect(w.get('[data-testid="password-forced"]').text()).toContain('请先修改密码')
    expect(w.find('.van-nav-bar__left .van-nav-bar__arrow').exists()).toBe(false)
    await router.push('/me')
    expect(router.currentRoute.value.name).toBe('password')
    await w.get('[data-testid="password-current"]').setValue('Temp@2026x')
    await w.get('[data-testid="password-new"]').setValue('Mine@2026x')
    await w.get('[data-testid="password-new2"]').setValue('Mine@2026x')
    await w.get('[data-testid="password-form"]').trigger('submit')
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/'))
  })

  it('a 403 password-change-required from any request sends the user to the password page at once', async () => {
    stubFetch((req) => {
      if (req.path.endsWith('/me')) return json(200, me('staff'))
      return new Response(JSON.stringify({ type: 'https://steward.example.org/problems/password-change-required', title: '请先修改密码', status: 403 }),
        { status: 403, headers: { 'Content-Type': 'application/problem+json' } })
    })
    const { router } = await mountSignedIn('/console/residents')
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('console-password'))
  })

  it('换手机号: the code goes to the new number; the new Me comes back', async () => {
    const { seen } = stubFetch((req) => {
      if (req.path.endsWith('/auth/sms-codes')) return json(202, { expires_in: 300, resend_after: 60 })
      if (req.path.endsWith('/public/config')) return json(200, { demo_sms: false, privacy_policy_version: '2026-11' })
      if (req.path.endsWith('/me/phone')) return json(200, me('resident', { phone: '13911112222' }))
      if (req.path.endsWith('/me')) return json(200, me('resident', { phone: '13800000005' }))
      return json(404, {})
    })
    const { wrapper: w, router } = await mountSignedIn('/me/phone')
    expect(w.get('[data-testid="phone-current"]').text()).toBe('13800000005') // in full only here
    await w.get('[data-testid="phone-new"]').setValue('13800000005')
    await w.get('[data-testid="sms-code"]').setValue('123456')
    await w.get('[data-testid="phone-password"]').setValue('Steward@2026')
    await w.get('[data-testid="phone-form"]').trigger('submit')
    expect(w.text()).toContain('新手机号与当前手机号相同')
    await w.get('[data-testid="phone-new"]').setValue('139 1111 2222')
    await w.get('[data-testid="sms-send"]').trigger('click')
    await flushPromises()
    expect(seen.find((r) => r.path.endsWith('/auth/sms-codes'))!.body).toEqual({ phone: '13911112222', purpose: 'change_phone' })
    await w.get('[data-testid="phone-form"]').trigger('submit')
    await flushPromises()
    expect(seen.find((r) => r.path.endsWith('/me/phone'))!.body).toEqual({ new_phone: '13911112222', code: '123456', password: 'Steward@2026' })
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('me'))
    await flushPromises()
    expect(w.get('[data-testid="me-phone"]').text()).toContain('139****2222')
    expect(w.get('[data-testid="me-done"]').text()).toContain('手机号已更换')
  })
})
