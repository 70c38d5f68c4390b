import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { mount } from '@vue/test-utils'
import { useElderStore } from '@/stores/elder'
import { i18n } from '@/i18n'
import ElderSwitch from '@/components/ElderSwitch.vue'

const html = document.documentElement

describe('elder mode', () => {
  beforeEach(() => {
    localStorage.clear()
    html.className = ''
    setActivePinia(createPinia())
  })

  it('is off by default', () => {
    const elder = useElderStore()
    expect(elder.enabled).toBe(false)
    expect(html.classList.contains('elder')).toBe(false)
  })

  it('toggles the class on <html> and remembers the choice', () => {
    const elder = useElderStore()
    elder.toggle()
    expect(html.classList.contains('elder')).toBe(true)
    expect(localStorage.getItem('steward.elder')).toBe('1')
    elder.set(false)
    expect(html.classList.contains('elder')).toBe(false)
    expect(localStorage.getItem('steward.elder')).toBe('0')
  })

  it('restores the remembered mode on the next visit', () => {
    localStorage.setItem('steward.elder', '1')
    setActivePinia(createPinia()) // a fresh app start
    const elder = useElderStore()
    expect(elder.enabled).toBe(true)
    expect(html.classList.contains('elder')).toBe(true)
  })

  it('the switch is an accessible toggle that flips the mode', async () => {
    const pinia = createPinia()
    setActivePinia(pinia)
    const w = mount(ElderSwitch, { global: { plugins: [pinia, i18n], stubs: { 'van-icon': true } } })
    const btn = w.get('[data-testid="elder-switch"]')
    expect(btn.attributes('role')).toBe('switch')
    expect(btn.attributes('aria-label')).toBe('长辈版')
    expect(btn.attributes('aria-checked')).toBe('false')
    await btn.trigger('click')
    expect(btn.attributes('aria-checked')).toBe('true')
    expect(html.classList.contains('elder')).toBe(true)
    expect(w.text()).toContain('已开启')
  })
})
