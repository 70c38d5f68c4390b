import { describe, expect, it } from 'vitest'
import { parseSpec, phonePattern, render } from '../tools/gen-spec-constants.mjs'
import { isPhone, normalisePhone } from '@/utils/phone'


describe('rules taken from openapi.yaml', () => {
  it('src/api/spec-constants.ts is up to date with the spec (npm run gen:api)', async () => {
    // Node's fs, untyped on purpose (the project has no @types/node); Vitest runs in frontend/.
    const fs: { readFileSync(p: string, enc: string): string } = await import(/* @vite-ignore */ 'node:fs' as string)
    const cwd = (globalThis as unknown as { process: { cwd(): string } }).process.cwd()
    const specText = fs.readFileSync(`${cwd}/../openapi.yaml`, 'utf8')
    const constantsText = fs.readFileSync(`${cwd}/src/api/spec-constants.ts`, 'utf8')
    expect(constantsText).toBe(render(parseSpec(specText)))
  })

  it('finds the phone pattern on a Phone schema or on phone properties, and refuses two different ones', () => {
    const pattern = '^1[3-9]\\d{9}$'
    expect(phonePattern({ components: { schemas: { Phone: { type: 'string', pattern } } } })).toBe(pattern)
    expect(phonePattern({ components: { schemas: { LoginIn: { properties: { phone: { $ref: '#/components/schemas/P' } } }, P: { pattern } } } })).toBe(pattern)
    expect(phonePattern({ components: { schemas: { X: { properties: { new_phone: { pattern } } } } } })).toBe(pattern)
    expect(phonePattern({ components: { schemas: { X: { properties: { phone: { type: 'string' } } } } } })).toBeNull()
    expect(() => phonePattern({ components: { schemas: { A: { properties: { phone: { pattern } } }, B: { properties: { phone: { pattern: '^1\\d{10}$' } } } } } })).toThrow()
  })

  it('reads what people type: full-width digits and separators', () => {
    expect(normalisePhone('１３８ ０００0-0005')).toBe('13800000005')
    expect(isPhone('138 0000 0005')).toBe(true)
    expect(isPhone('1380000000')).toBe(false)
    expect(isPhone('23800000005')).toBe(false)
  })
})
