import { describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { consoleNav } from '@/router'
import { json, me, problem, stubFetch, type SeenRequest } from './helpers'
import { useSignedInApp } from './mountApp'

const community = { id: 7, name: '丽水湾', full_name: '丽水湾', code: 'LSW' }
const unitBrief = { id: 4, kind: 'property_company', name: '丽水湾物业服务中心' }
const unitOut = { ...unitBrief, area: community, contact_name: null, contact_phone: null, description: null, is_active: true }
const page = (items: unknown[]) => ({ items, next_cursor: null })
function apiClient(over: Record<string, unknown> = {}) {
  return {
    id: 3, client_id: 'stw_3f2a9c1b0d4e5f67', name: '物业报修系统', unit: unitBrief, scopes: ['cases:read', 'cases:write'],
    created_by: { id: 42, name: '王主任' }, created_at: '2026-11-27T02:00:00+00:00', last_used_at: null, expires_at: null,
    revoked_at: null, is_active: true, ...over,
  }
}
function subscription(over: Record<string, unknown> = {}) {
  return {
    id: 5, unit: unitBrief, url: 'https://wuye.example.com/hooks', description: null,
    events: ['case.dispatched', 'case.updated', 'case.escalated', 'case.closed'], is_active: true,
    created_at: '2026-11-27T02:00:00+00:00', updated_at: '2026-11-27T02:00:00+00:00', ...over,
  }
}
function delivery(over: Record<string, unknown> = {}) {
  return {
    id: 9, subscription_id: 5, event: { id: 'evt_12', type: 'case.dispatched', case_id: 42, created_at: '2026-11-27T02:40:00+00:00' },
    status: 'delivered', attempts: 1, next_attempt_at: null, last_attempt_at: '2026-11-27T02:40:01+00:00', status_code: 200,
    latency_ms: 85, response_excerpt: '{"ok":true}', error: null, delivered_at: '2026-11-27T02:40:01+00:00', replay_of_id: null,
    created_at: '2026-11-27T02:40:00+00:00', ...over,
  }
}

function server(role: string, extra?: (req: SeenRequest) => Response | undefined) {
  let clients = [apiClient()]
  return stubFetch((req) => {
    const hit = extra?.(req)
    if (hit) return hit
    if (req.path.endsWith('/me')) return json(200, me(role, { community, ...(role === 'partner' ? { unit: unitBrief } : {}) }))
    if (req.path === '/api/v1/units') return json(200, page([unitOut]))
    if (req.path === '/api/v1/api-clients' && req.method === 'GET') return json(200, page(clients))
    if (req.path === '/api/v1/api-clients' && req.method === 'POST') {
      const created = apiClient({ id: 8, client_id: 'stw_new0000000000001', name: (req.body as { name: string }).name })
      clients = [created, ...clients]
      return json(201, { ...created, client_secret: 'S3cr3t-once', api_key: 'stw_new0000000000001.S3cr3t-once' })
    }
    if (req.path === '/api/v1/api-clients/3/rotate') return json(200, { ...apiClient(), client_secret: 'R0tated', api_key: 'stw_3f2a9c1b0d4e5f67.R0tated' })
    if (req.path === '/api/v1/api-clients/3/revoke') {
      clients = [apiClient({ revoked_at: '2026-11-27T03:00:00+00:00', is_active: false })]
      return json(200, clients[0])
    }
    if (req.path === '/api/v1/webhook-subscriptions' && req.method === 'GET') return json(200, page([subscription()]))
    if (req.path === '/api/v1/webhook-subscriptions' && req.method === 'POST') {
      return json(201, { ...subscription({ id: 6, url: (req.body as { url: string }).url }), secret: 'whsec_once' })
    }
    if (req.path === '/api/v1/webhook-subscriptions/5' && req.method === 'GET') return json(200, subscription())
    if (req.path === '/api/v1/webhook-subscriptions/5/ping') return json(202, delivery({ id: 10, status: 'pending', event: { id: 'evt_13', type: 'ping', case_id: null, created_at: '2026-11-27T02:41:00+00:00' } }))
    if (req.path === '/api/v1/webhook-subscriptions/5/deliveries') {
      return json(200, page([delivery(), delivery({ id: 8, status: 'pending', attempts: 3, status_code: 500, error: 'HTTP 500', response_excerpt: 'oops', next_attempt_at: '2026-11-27T03:10:00+00:00' })]))
    }
    if (req.path === '/api/v1/webhook-deliveries/8/replay') return json(202, delivery({ id: 11, replay_of_id: 8 }))
    return json(404, {})
  })
}

describe('系统对接 (console)', () => {
  const mountSignedIn = useSignedInApp()

  it('creates an API client and shows its secret once', async () => {
    const { seen } = server('staff')
    const { wrapper: w } = await mountSignedIn('/console/api-clients')
    await vi.waitFor(() => expect(w.find('[data-testid="client-row"]').exists()).toBe(true))
    expect(w.get('[data-testid="client-state"]').text()).toBe('有效')
    await w.get('[data-testid="client-name"]').setValue('新报修系统')
    await w.get('[data-testid="client-unit"]').setValue('4')
    await w.get('[data-testid="client-scope-cases:write"]').setValue(false)
    await w.get('[data-testid="client-form"]').trigger('submit')
    await flushPromises()
    const post = seen.find((r) => r.path === '/api/v1/api-clients' && r.method === 'POST')!
    expect(post.body).toEqual({ name: '新报修系统', unit_id: 4, scopes: ['cases:read'] })
    expect(w.get('[data-testid="secret-once"]').text()).toContain('只显示这一次')
    expect(w.get('[data-testid="secret-api-key"]').text()).toBe('stw_new0000000000001.S3cr3t-once')
    expect(w.findAll('[data-testid="client-row"]')).toHaveLength(2)
    await w.get('[data-testid="secret-dismiss"]').trigger('click')
    expect(w.find('[data-testid="secret-once"]').exists()).toBe(false)
  })

  it('rotates with an overlap and revokes only after a second, explicit confirmation', async () => {
    const { seen } = server('staff')
    const { wrapper: w } = await mountSignedIn('/console/api-clients')
    await vi.waitFor(() => expect(w.find('[data-testid="client-rotate"]').exists()).toBe(true))
    await w.get('[data-testid="client-rotate"]').trigger('click')
    await w.get('[data-testid="client-overlap"]').setValue('2')
    await w.get('[data-testid="client-confirm"]').trigger('click')
    await flushPromises()
    expect(seen.find((r) => r.path.endsWith('/rotate'))!.body).toEqual({ overlap_hours: 2 })
    expect(w.get('[data-testid="secret-client-secret"]').text()).toBe('R0tated')
    expect(w.get('[data-testid="clients-message"]').text()).toContain('旧密钥还可使用 2 小时')

    await w.get('[data-testid="client-revoke"]').trigger('click')
    expect(seen.some((r) => r.path.endsWith('/revoke'))).toBe(false)
    expect(w.get('[data-testid="client-confirm"]').text()).toContain('确认吊销')
    await w.get('[data-testid="client-confirm"]').trigger('click')
    await flushPromises()
    expect(seen.some((r) => r.path.endsWith('/revoke') && r.method === 'POST')).toBe(true)
    expect(w.get('[data-testid="client-state"]').text()).toBe('已吊销')
    expect(w.find('[data-testid="client-rotate"]').exists()).toBe(false)
  })

  it('a partner subscribes its own unit, sees the signing secret once and sends a test', async () => {
    const { seen } = server('partner')
    const { wrapper: w } = await mountSignedIn('/console/webhooks')
    await vi.waitFor(() => expect(w.find('[data-testid="webhook-row"]').exists()).toBe(true))
    expect(w.find('[data-testid="webhook-unit"]').exists()).toBe(false) // its own unit, no choice
    await w.get('[data-testid="webhook-url"]').setValue('https://wuye.example.com/new')
    await w.get('[data-testid="webhook-event-case.updated"]').setValue(false)
    await w.get('[data-testid="webhook-form"]').trigger('submit')
    await flushPromises()
    expect(seen.find((r) => r.path === '/api/v1/webhook-subscriptions' && r.method === 'POST')!.body).toEqual({
      unit_id: 4, url: 'https://wuye.example.com/new', events: ['case.dispatched', 'case.escalated', 'case.closed'], is_active: true,
    })
    expect(w.get('[data-testid="secret-signing"]').text()).toBe('whsec_once')
    await w.get('[data-testid="webhook-ping"]').trigger('click')
    await flushPromises()
    expect(seen.some((r) => r.path.endsWith('/5/ping') && r.method === 'POST')).toBe(true)
    expect(w.get('[data-testid="webhooks-message"]').text()).toContain('已发送测试消息')
  })

  it('says in words why an address is refused', async () => {
    server('staff', (req) => req.path === '/api/v1/webhook-subscriptions' && req.method === 'POST'
      ? problem(422, '请求有误', '部分字段无效。', { url: ['该网址指向内网或保留地址，不能使用。'] }) : undefined)
    const { wrapper: w } = await mountSignedIn('/console/webhooks')
    await vi.waitFor(() => expect(w.find('[data-testid="webhook-unit"] option[value="4"]').exists()).toBe(true))
    await w.get('[data-testid="webhook-unit"]').setValue('4')
    await w.get('[data-testid="webhook-url"]').setValue('https://10.0.0.5/hooks')
    await w.get('[data-testid="webhook-form"]').trigger('submit')
    await flushPromises()
    expect(w.text()).toContain('该网址指向内网或保留地址，不能使用。')
    expect(w.find('[data-testid="secret-once"]').exists()).toBe(false)
  })

  it('shows the delivery log and replays a delivery', async () => {
    const { seen } = server('staff')
    const { wrapper: w } = await mountSignedIn('/console/webhooks/5')
    await vi.waitFor(() => expect(w.findAll('[data-testid="delivery-row"]')).toHaveLength(2))
    const [ok, retrying] = w.findAll('[data-testid="delivery-row"]')
    expect(ok.get('[data-testid="delivery-status"]').text()).toBe('已送达')
    expect(ok.text()).toContain('85 毫秒')
    expect(retrying.get('[data-testid="delivery-status"]').text()).toBe('等待重试')
    expect(retrying.text()).toContain('HTTP 500')
    await retrying.get('[data-testid="delivery-replay"]').trigger('click')
    await flushPromises()
    expect(seen.some((r) => r.path === '/api/v1/webhook-deliveries/8/replay' && r.method === 'POST')).toBe(true)
    expect(w.get('[data-testid="deliveries-message"]').text()).toBe('已重新发送')
  })

  it('a partner account issues a key for its own unit, with no unit to choose', async () => {
    const { seen } = server('partner')
    const { wrapper: w } = await mountSignedIn('/console/api-clients')
    await vi.waitFor(() => expect(w.find('[data-testid="client-row"]').exists()).toBe(true))
    expect(w.find('[data-testid="client-unit"]').exists()).toBe(false)
    await w.get('[data-testid="client-name"]').setValue('报修系统')
    await w.get('[data-testid="client-form"]').trigger('submit')
    await flushPromises()
    expect(seen.find((r) => r.path === '/api/v1/api-clients' && r.method === 'POST')!.body).toEqual({
      name: '报修系统', unit_id: 4, scopes: ['cases:read', 'cases:write'],
    })
    expect(seen.some((r) => r.path === '/api/v1/units')).toBe(false)
  })

  it('puts API keys and webhooks in the console of staff and partner accounts, nobody else', () => {
    for (const role of ['staff', 'partner']) {
      expect(consoleNav(role).map((l) => l.name)).toEqual(expect.arrayContaining(['console-api-clients', 'console-webhooks']))
    }
  })
})
