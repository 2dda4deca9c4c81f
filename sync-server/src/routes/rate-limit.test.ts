/**
 * Rate limits: per address, per token, and strictly for wrong activation codes; 429 `rate-limited`
 * with Retry-After; nothing written when refused. The app gets small limits and a fake monotonic
 * clock here; requests carry a socket address the way @hono/node-server passes it (env.incoming).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PROTOCOL_VERSION } from '../../../shared/sync/protocol.ts'
import { createApp } from '../app.ts'
import { defaultRateLimits } from '../env.ts'
import { rowCounts } from '../test/db-checks.ts'
import { activate, json } from '../test/sync-client.ts'
import { createTestServer, TEST_NOW, type TestServer } from '../test/test-server.ts'
import { addressKey, TokenBuckets, type RateLimits } from './rate-limit.ts'

let t: TestServer
beforeAll(async () => {
  t = await createTestServer({ families: 3 })
})
afterAll(() => t.close())

let clock = 0
const limits = (over: Partial<RateLimits> = {}): RateLimits => ({
  enabled: true,
  address: { burst: 6, perMinute: 60 },
  token: { burst: 3, perMinute: 60 },
  activationFailures: { burst: 3, perMinute: 1 },
  trustProxy: false,
  now: () => clock,
  ...over,
})
const from = (remoteAddress: string) => ({ incoming: { socket: { remoteAddress } } })
const limitedApp = (over: Partial<RateLimits> = {}) => createApp({ ...t.deps, rateLimits: limits(over) })
const pullBody = { protocolVersion: PROTOCOL_VERSION, clientGroupId: 'g-rl', cookie: null }

async function expect429(res: Response, retryAfter: number): Promise<void> {
  expect(res.status).toBe(429)
  expect(res.headers.get('retry-after')).toBe(String(retryAfter))
  const body = (await res.json()) as { error: { code: string; message: string; details: { retryAfterSeconds: number } } }
  expect(body.error).toMatchObject({ code: 'rate-limited', details: { retryAfterSeconds: retryAfter } })
  expect(body.error.message.length).toBeGreaterThan(0)
}

describe('token buckets', () => {
  it('allow a burst, then refill steadily, and say how long to wait', () => {
    let now = 0
    const b = new TokenBuckets({ burst: 2, perMinute: 6 }, () => now)
    expect([b.take('k'), b.take('k'), b.take('k')]).toEqual([0, 0, 10])
    now += 5_000
    expect(b.take('k')).toBe(5) // half a token back: five more seconds
    now += 5_000
    expect(b.take('k')).toBe(0)
    now += 3_600_000
    expect([b.take('k'), b.take('k'), b.take('k')]).toEqual([0, 0, 10]) // never more than the burst
    expect(b.take('other')).toBe(0)
  })

  it('can go into debt (charge) and say when a token is back (check, which takes nothing)', () => {
    let now = 0
    const b = new TokenBuckets({ burst: 2, perMinute: 6 }, () => now)
    expect(b.check('k')).toBe(0)
    for (let i = 0; i < 5; i++) b.charge('k')
    expect(b.check('k')).toBe(40) // -3 tokens: four to go, ten seconds each
    now += 30_000
    expect(b.check('k')).toBe(10)
    now += 10_000
    expect([b.check('k'), b.check('k')]).toEqual([0, 0])
  })

  it('forget the least recently used keys past maxKeys', () => {
    const b = new TokenBuckets({ burst: 1, perMinute: 1 }, () => 0, 3)
    for (const k of ['a', 'b', 'c', 'd']) b.take(k)
    expect(b.size).toBe(3)
    expect(b.take('a')).toBe(0) // forgotten: full again
    expect(b.take('d')).toBeGreaterThan(0)
  })

  it('count IPv6 per /64 and IPv4-mapped addresses as IPv4', () => {
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64')
    expect(addressKey('2001:0db8:0001:0002:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64')
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64')
    expect(addressKey('::1')).toBe('0:0:0:0::/64')
    expect(addressKey('::ffff:203.0.113.9')).toBe('203.0.113.9')
    expect(addressKey('203.0.113.9')).toBe('203.0.113.9')
  })
})

describe('per address', () => {
  it('429 past the burst with Retry-After; other addresses and the health check unaffected; refills', async () => {
    const app = limitedApp()
    clock = 0
    for (let i = 0; i < 6; i++) expect((await app.request('/api/me', {}, from('198.51.100.1'))).status).toBe(401)
    await expect429(await app.request('/api/me', {}, from('198.51.100.1')), 1)
    await expect429(await app.request('/api/sync/pull', json(null, pullBody), from('198.51.100.1')), 1)
    expect((await app.request('/api/me', {}, from('198.51.100.2'))).status).toBe(401)
    expect((await app.request('/api/health', {}, from('198.51.100.1'))).status).toBe(200)
    clock += 1000
    expect((await app.request('/api/me', {}, from('198.51.100.1'))).status).toBe(401)
    await expect429(await app.request('/api/me', {}, from('198.51.100.1')), 1)
  })

  it('groups an IPv6 /64, trusts X-Forwarded-For only with TRUST_PROXY (its last entry)', async () => {
    clock = 0
    const v6 = limitedApp()
    for (let i = 0; i < 6; i++) await v6.request('/api/me', {}, from(`2001:db8:5:6::${i + 1}`))
    await expect429(await v6.request('/api/me', {}, from('2001:db8:5:6::ffff')), 1)
    expect((await v6.request('/api/me', {}, from('2001:db8:5:7::1'))).status).toBe(401)

    const spoofed = limitedApp()
    for (let i = 0; i < 6; i++) await spoofed.request('/api/me', { headers: { 'x-forwarded-for': `10.0.0.${i}` } }, from('198.51.100.3'))
    await expect429(await spoofed.request('/api/me', { headers: { 'x-forwarded-for': '10.0.0.99' } }, from('198.51.100.3')), 1)

    const proxied = limitedApp({ trustProxy: true })
    const via = (client: string) => ({ headers: { 'x-forwarded-for': `6.6.6.6, ${client}` } })
    for (let i = 0; i < 6; i++) expect((await proxied.request('/api/me', via('192.0.2.1'), from('127.0.0.1'))).status).toBe(401)
    await expect429(await proxied.request('/api/me', via('192.0.2.1'), from('127.0.0.1')), 1)
    expect((await proxied.request('/api/me', via('192.0.2.2'), from('127.0.0.1'))).status).toBe(401)
  })
})

describe('per token', () => {
  it('429 for the token past its burst, before the body is read and with nothing written; the family’s other phone goes on', async () => {
    const app = limitedApp({ address: { burst: 1000, perMinute: 1000 } })
    clock = 0
    const [phoneA, phoneB] = [await activate(app, 'FAM-0001'), await activate(app, 'FAM-0001')]
    for (let i = 0; i < 3; i++) expect((await app.request('/api/sync/pull', json(phoneA, pullBody), from('198.51.100.4'))).status).toBe(200)
    const before = await rowCounts(t.db)
    const push = { protocolVersion: PROTOCOL_VERSION, clientGroupId: 'g-rl', mutations: [
      { clientId: 'c-rl', id: 1, name: 'child.upsert', args: { childId: 'chd-0001-2', firstName: 'Luca', birthDate: '2022-01-01' }, createdAt: TEST_NOW },
    ] }
    await expect429(await app.request('/api/sync/push', json(phoneA, push), from('198.51.100.4')), 1)
    await expect429(await app.request('/api/sync/poke', { headers: { authorization: `Bearer ${phoneA}` } }, from('198.51.100.4')), 1)
    expect(await rowCounts(t.db)).toEqual(before)
    expect((await app.request('/api/sync/push', json(phoneB, push), from('198.51.100.4'))).status).toBe(200)
    clock += 2000
    expect((await app.request('/api/sync/pull', json(phoneA, pullBody), from('198.51.100.4'))).status).toBe(200)
  })

  it('applies to in-process requests too (no address), which the address bucket cannot see', async () => {
    const app = limitedApp()
    clock = 0
    const token = await activate(app, 'FAM-0002')
    for (let i = 0; i < 3; i++) expect((await app.request('/api/me', { headers: { authorization: `Bearer ${token}` } })).status).toBe(200)
    await expect429(await app.request('/api/me', { headers: { authorization: `Bearer ${token}` } }), 1)
  })
})

describe('activation: wrong codes per address', () => {
  const attempt = (app: ReturnType<typeof limitedApp>, code: string, address = '198.51.100.9') =>
    app.request('/api/auth/activate', json(null, { code }), from(address))

  it('allows right codes freely, stops an address after a few wrong ones (even its right code), one more per refill', async () => {
    const app = limitedApp({ address: { burst: 1000, perMinute: 1000 } })
    clock = 0
    for (let i = 0; i < 5; i++) expect((await attempt(app, 'FAM-0003')).status).toBe(200) // right codes cost nothing
    for (let i = 0; i < 3; i++) expect((await attempt(app, `FAM-9${i}99`)).status).toBe(401)
    const tokensBefore = (await rowCounts(t.db)).tokens
    await expect429(await attempt(app, 'FAM-0003'), 60)
    await expect429(await attempt(app, 'FAM-9999'), 60)
    expect((await rowCounts(t.db)).tokens).toBe(tokensBefore)
    expect((await attempt(app, 'FAM-0003', '198.51.100.10')).status).toBe(200) // another address
    expect((await attempt(app, 'x', '198.51.100.9')).status).toBe(400) // malformed: refused before any code is tried
    clock += 60_000
    expect((await attempt(app, 'FAM-0003')).status).toBe(200)
    expect((await attempt(app, 'FAM-9000')).status).toBe(401)
    await expect429(await attempt(app, 'FAM-9001'), 60)
  })

  it('lets many right codes from one address activate at once (an office signing in its phones)', async () => {
    const app = limitedApp({ address: { burst: 1000, perMinute: 1000 } })
    clock = 0
    const codes = Array.from({ length: 12 }, (_, i) => ['FAM-0001', 'FAM-0002', 'FAM-0003', 'PRV-ALTANA'][i % 4] ?? '')
    const statuses = (await Promise.all(codes.map((code) => attempt(app, code, '198.51.100.13')))).map((r) => r.status)
    expect(statuses).toEqual(codes.map(() => 200))
  })

  it('makes parallel guesses pay: each failure is a debt the address waits off, so guesses over time stay at the refill rate', async () => {
    const app = limitedApp({ address: { burst: 1000, perMinute: 1000 } })
    clock = 0
    const guesses = await Promise.all(Array.from({ length: 30 }, (_, i) => attempt(app, `FAM-8${String(i).padStart(3, '0')}`, '198.51.100.11')))
    const statuses = guesses.map((r) => r.status)
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true)
    const failed = statuses.filter((s) => s === 401).length
    expect(failed).toBeGreaterThanOrEqual(3)
    // 3 tokens, `failed` spent: the debt is paid back at one a minute before the next try.
    const waitMinutes = failed - 3 + 1
    await expect429(await attempt(app, 'FAM-0003', '198.51.100.11'), waitMinutes * 60)
    clock += (waitMinutes - 1) * 60_000
    await expect429(await attempt(app, 'FAM-0003', '198.51.100.11'), 60)
    clock += 60_000
    expect((await attempt(app, 'FAM-0003', '198.51.100.11')).status).toBe(200)
  })
})

describe('defaults', () => {
  it('are on, and far above what a phone does, except for wrong activation codes', async () => {
    const d = defaultRateLimits()
    expect(d.enabled).toBe(true)
    expect(d.token.perMinute).toBeGreaterThanOrEqual(6000) // 100 requests a second, per device
    expect(d.address.perMinute).toBeGreaterThanOrEqual(d.token.perMinute)
    expect(d.activationFailures.burst).toBeLessThanOrEqual(50)
    expect(d.activationFailures.perMinute).toBeLessThanOrEqual(1)
  })

  it('let forty typing mistakes from one shared address pass the next person’s right code; four hundred are throttled', async () => {
    const app = createApp({ ...t.deps, rateLimits: { ...defaultRateLimits(), now: () => clock } })
    clock = 0
    const wifi = '198.51.100.40' // a hospital's Wi-Fi: many people, one address
    for (let i = 0; i < 40; i++) expect((await app.request('/api/auth/activate', json(null, { code: `FAM-7${String(i).padStart(3, '0')}` }), from(wifi))).status).toBe(401)
    expect((await app.request('/api/auth/activate', json(null, { code: 'FAM-0002' }), from(wifi))).status).toBe(200)
    const statuses: number[] = []
    for (let i = 0; i < 400; i++) {
      statuses.push((await app.request('/api/auth/activate', json(null, { code: `FAM-6${String(i).padStart(3, '0')}` }), from('198.51.100.41'))).status)
    }
    expect(statuses.filter((s) => s === 401)).toHaveLength(50) // the burst, then a guessing run waits
    expect(statuses.filter((s) => s === 429)).toHaveLength(350)
    await expect429(await app.request('/api/auth/activate', json(null, { code: 'FAM-0002' }), from('198.51.100.41')), 120)
  })

  it('can be switched off (RATE_LIMITS=0)', async () => {
    const app = limitedApp({ enabled: false })
    for (let i = 0; i < 10; i++) expect((await app.request('/api/auth/activate', json(null, { code: 'FAM-7777' }), from('198.51.100.12'))).status).toBe(401)
  })
})

describe('behind a proxy', () => {
  it('warns once when forwarded addresses arrive and TRUST_PROXY is off', async () => {
    const lines: string[] = []
    const app = createApp({ ...t.deps, rateLimits: limits(), log: (line) => void lines.push(line) })
    const forwarded = { headers: { 'x-forwarded-for': '203.0.113.7' } }
    await app.request('/api/health', forwarded, from('10.0.0.1'))
    await app.request('/api/health', forwarded, from('10.0.0.1'))
    expect(lines.filter((l) => l.includes('TRUST_PROXY is off'))).toHaveLength(1)
    expect(lines.join('\n')).not.toContain('203.0.113.7')
    const trusted: string[] = []
    const behind = createApp({ ...t.deps, rateLimits: limits({ trustProxy: true }), log: (line) => void trusted.push(line) })
    await behind.request('/api/health', forwarded, from('10.0.0.1'))
    expect(trusted).toEqual([])
  })
})
