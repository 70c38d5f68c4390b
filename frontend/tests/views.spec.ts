import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { saveTokens } from '@/api/tokens'
import { setLocale } from '@/i18n'
import { json, me, problem, stubFetch, tokenPair } from './helpers'
import { mountApp } from './mountApp'

let wrapper: VueWrapper | undefined

function resident(id: number, name: string) {
  return {
    id, name, gender: 'female', birth_date: null, phone: '138****5678', id_card: '310***********1234',
    tags: ['elderly_alone', 'party_member'], household: { id: 3, address: '丽水湾 12号楼 1单元 302室' },
    grid: { id: 20, name: '第3网格', code: 'G03' }, community: { id: 7, name: '丽水湾', code: 'LSW' },
    created_at: '2026-01-01T00:00:00+08:00', updated_at: '2026-01-01T00:00:00+08:00',
  }
}

describe('views', () => {
  beforeEach(() => {
    localStorage.clear()
    setLocale('zh-CN')
  })
  afterEach(() => {
    wrapper?.unmount()
    wrapper = undefined
  })

  it('login: says what is wrong in words, beside the field and from the server', async () => {
    stubFetch(() => problem(401, 'Unauthorized', '手机号或密码错误'))
    const app = await mountApp('/login')
    wrapper = app.wrapper

    await wrapper.get('[data-testid="login-submit"]').trigger('submit')
    expect(wrapper.text()).toContain('请输入正确的 11 位手机号码')
    expect(wrapper.get('[data-testid="login-phone"]').attributes('aria-invalid')).toBe('true')

    await wrapper.get('[data-testid="login-phone"]').setValue('13800000000')
    await wrapper.get('[data-testid="login-password"]').setValue('wrong')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    const alert = wrapper.get('[role="alert"]')
    expect(alert.text()).toContain('登录失败')
    expect(alert.text()).toContain('手机号或密码错误')
    expect(app.router.currentRoute.value.name).toBe('login')
  })

  it('login: every input has a label and an autocomplete hint', async () => {
    stubFetch(() => json(500, {}))
    wrapper = (await mountApp('/login')).wrapper
    for (const id of ['login-phone', 'login-password']) {
      const input = wrapper.get(`[data-testid="${id}"]`)
      const label = wrapper.get(`label[for="${input.attributes('id')}"]`)
      expect(label.text()).not.toBe('')
      expect(input.attributes('autocomplete')).toBeTruthy()
    }
  })

  it('login: a demo account fills the form and a staff login lands on the console', async () => {
    const { seen } = stubFetch((req) => {
      if (req.path.endsWith('/auth/login')) return json(200, tokenPair('staff'))
      if (req.path.endsWith('/stats')) {
        return json(200, { area: me('staff').area, sections: 3, grids: 16, stairwells: 284, households: 2100, residents: 5230,
          tags: { elderly_alone: 120, hardship: 35, party_member: 410, volunteer: 88 } })
      }
      return json(404, {})
    })
    const { wrapper: w, router } = await mountApp('/login')
    wrapper = w
    expect(w.find('[data-testid="demo-13800000002"]').exists()).toBe(false) // collapsed until asked for
    await w.get('[data-testid="demo-accounts"] .van-collapse-item__title').trigger('click')
    await w.get('[data-testid="demo-13800000002"]').trigger('click')
    expect((w.get('[data-testid="login-phone"]').element as HTMLInputElement).value).toBe('13800000002')
    expect((w.get('[data-testid="login-password"]').element as HTMLInputElement).value).toBe('Steward@2026')

    await w.get('form').trigger('submit')
    await vi.waitFor(() => expect(w.find('[data-testid="stats-residents"]').exists()).toBe(true))
    expect(seen[0].body).toEqual({ phone: '13800000002', password: 'Steward@2026' })
    expect(router.currentRoute.value.fullPath).toBe('/console')
    expect(w.get('[data-testid="console-title"]').text()).toBe('红管家工作台')
    expect(w.get('[data-testid="stats-residents"]').text()).toBe('5,230')
    expect(w.text()).toContain('独居老人')
    expect(w.get('[data-testid="stats-tag-party_member"]').text()).toBe('410')
  })

  it('home: shows the community, the elder switch, the entries and a pending household claim', async () => {
    saveTokens({ access: 'a', refresh: 'r' })
    stubFetch(() => json(200, me('resident', { household_id: null, claim: { id: 5, status: 'pending', address: '丽水湾 12号楼 1单元 302室' } })))
    wrapper = (await mountApp('/')).wrapper
    expect(wrapper.get('[data-testid="home-title"]').text()).toBe('红管家')
    expect(wrapper.get('[data-testid="home-community"]').text()).toContain('丽水湾')
    expect(wrapper.find('[data-testid="elder-switch"]').exists()).toBe(true)
    const pending = wrapper.get('[data-testid="claim-pending"]')
    expect(pending.text()).toContain('等待居委会核实')
    expect(pending.text()).toContain('12号楼')
    const labels = wrapper.findAll('.entry-grid__label').map((e) => e.text())
    // the first entries are the committee's everyday ones; the rest come from whatever features are built
    expect(labels.slice(0, 4)).toEqual(['通知公告', '办事指南', '我要报事', '我的报事'])
    expect(labels).toContain('我的家庭')
    expect(new Set(labels).size).toBe(labels.length)
    expect(wrapper.get('[data-testid="entry-case-report"]').attributes('href')).toBe('/cases/new')
    expect(wrapper.get('[data-testid="entry-household"]').attributes('href')).toBe('/household')
  })

  it('every home tile opens a real screen', async () => {
    saveTokens({ access: 'a', refresh: 'r' })
    stubFetch(() => json(200, me('resident')))
    const { wrapper: w, router } = await mountApp('/')
    wrapper = w
    const hrefs = w.findAll('a[data-testid^="entry-"]').map((a) => a.attributes('href')!)
    expect(hrefs.length).toBeGreaterThan(5)
    for (const href of hrefs) expect(router.resolve(href).matched.length, href).toBeGreaterThan(0)
  })

  it('me: switching to English relabels the page and logout returns to /login', async () => {
    saveTokens({ access: 'a', refresh: 'r' })
    stubFetch((req) => (req.path.endsWith('/me') ? json(200, me('resident')) : new Response(null, { status: 204 })))
    const { wrapper: w, router } = await mountApp('/me')
    wrapper = w
    expect(w.get('[data-testid="logout"]').text()).toBe('退出登录')
    await w.get('[data-testid="lang-en"]').trigger('click')
    expect(w.get('[data-testid="logout"]').text()).toBe('Log out')
    expect(document.documentElement.lang).toBe('en')
    await w.get('[data-testid="logout"]').trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.name).toBe('login')
    expect(localStorage.getItem('steward.access_token')).toBeNull()
  })

  it('resident list: searches, filters by tag, loads more by cursor, shows masked values and Chinese tags', async () => {
    saveTokens({ access: 'a', refresh: 'r' })
    const { seen } = stubFetch((req) => {
      if (req.path.endsWith('/me')) return json(200, me('staff'))
      const params = new URLSearchParams(req.search)
      if (params.get('q') === '无此人') return json(200, { items: [], next_cursor: null })
      if (params.get('cursor') === 'c2') return json(200, { items: [resident(3, '王伯伯')], next_cursor: null })
      return json(200, { items: [resident(1, '张阿姨'), resident(2, '李奶奶')], next_cursor: 'c2' })
    })
    const { wrapper: w } = await mountApp('/console/residents')
    wrapper = w
    expect(w.findAll('[data-testid="resident-row"]')).toHaveLength(2)
    expect(w.text()).toContain('138****5678')
    expect(w.text()).toContain('310***********1234')
    expect(w.text()).toContain('丽水湾 12号楼 1单元 302室')
    expect(w.text()).toContain('独居老人')
    expect(w.text()).toContain('党员')

    await w.get('[data-testid="residents-more"]').trigger('click')
    await flushPromises()
    expect(w.findAll('[data-testid="resident-row"]')).toHaveLength(3)
    expect(new URLSearchParams(seen.at(-1)!.search).get('cursor')).toBe('c2')
    expect(w.find('[data-testid="residents-more"]').exists()).toBe(false)

    await w.get('[data-testid="tag-hardship"]').trigger('click')
    await flushPromises()
    expect(new URLSearchParams(seen.at(-1)!.search).get('tag')).toBe('hardship')
    expect(w.get('[data-testid="tag-hardship"]').attributes('aria-pressed')).toBe('true')

    await w.get('[data-testid="residents-q"]').setValue('无此人')
    await w.get('form[role="search"]').trigger('submit')
    await flushPromises()
    expect(new URLSearchParams(seen.at(-1)!.search).get('q')).toBe('无此人')
    expect(w.get('[data-testid="residents-empty"]').text()).toContain('暂无居民')
  })
})
