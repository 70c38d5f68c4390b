import { describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { DatePicker } from 'vant'
import { i18n, setLocale } from '@/i18n'
import { installVant } from '@/plugins'
import BirthDateField from '@/components/BirthDateField.vue'

describe('birth date field', () => {
  it('opens a year-first picker from 1900 to today and writes YYYY-MM-DD; it can be cleared', async () => {
    setLocale('zh-CN')
    const w = mount(BirthDateField, {
      props: { label: '出生日期', modelValue: '1943-05-20', 'onUpdate:modelValue': (v: string) => w.setProps({ modelValue: v }) },
      global: { plugins: [i18n, { install: installVant }] },
      attachTo: document.body,
    })
    const button = w.get('[data-testid="rf-birth-date"]')
    expect(button.text()).toContain('1943年5月20日')
    expect(button.attributes('aria-haspopup')).toBe('dialog')
    await button.trigger('click')
    const picker = w.findComponent(DatePicker)
    expect(picker.props('columnsType')).toEqual(['year', 'month', 'day'])
    expect((picker.props('minDate') as Date).getFullYear()).toBe(1900)
    expect((picker.props('maxDate') as Date).getFullYear()).toBe(new Date().getFullYear())
    expect(picker.props('modelValue')).toEqual(['1943', '05', '20'])
    expect(document.body.textContent).toContain('1943年')
    picker.vm.$emit('confirm', { selectedValues: ['1941', '2', '3'], selectedOptions: [], selectedIndexes: [] })
    await flushPromises()
    expect(w.props('modelValue')).toBe('1941-02-03')
    await w.get('[data-testid="rf-birth-date-clear"]').trigger('click')
    expect(w.props('modelValue')).toBe('')
    expect(w.get('[data-testid="rf-birth-date"]').text()).toContain('请选择')
    w.unmount()
  })
})
