import { describe, expect, it } from 'vitest'
import { isConsoleRole, landingFor } from '@/router/roles'

describe('role → landing route', () => {
  it.each([
    ['resident', '/'],
    ['volunteer', '/'],
    ['staff', '/console'],
    ['town_staff', '/console'],
    ['partner', '/console'],
    ['admin', '/console'],
  ])('%s lands on %s', (role, path) => {
    expect(landingFor(role)).toBe(path)
  })

  it('sends an unknown or missing role to the resident app, never to the console', () => {
    expect(landingFor('superuser')).toBe('/')
    expect(landingFor(null)).toBe('/')
    expect(landingFor(undefined)).toBe('/')
    expect(isConsoleRole('resident')).toBe(false)
    expect(isConsoleRole('admin')).toBe(true)
  })
})
