/**
 * The security log: a wrong code, an unknown token, a refused role, throttling, a revocation and an
 * office report each leave one JSON line saying what and where, never a token, code, address or name.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../app.ts'
import { activate, json } from '../../test/sync-client.ts'
import { createTestServer, type TestServer } from '../../test/test-server.ts'

let t: TestServer
beforeAll(async () => {
  t = await createTestServer({ families: 2 })
})
afterAll(() => t.close())

describe('the security log', () => {
  it('has one JSON line per event, and no secret or personal data in any', async () => {
    const lines: string[] = []
    const clock = 0
    const app = createApp({
      ...t.deps,
      log: (line) => void lines.push(line),
      rateLimits: {
        enabled: true, address: { burst: 100, perMinute: 600 }, token: { burst: 100, perMinute: 600 },
        activationFailures: { burst: 2, perMinute: 1 }, trustProxy: false, now: () => clock,
      },
    })
    const from = { incoming: { socket: { remoteAddress: '10.1.2.3' } } }
    const family = await activate(app, 'FAM-0001')
    const officer = await activate(app, 'OFFICER-1')
    const activateWrong = () => app.request('/api/auth/activate', json(null, JSON.stringify({ code: 'FAM-9999' })), from)
    expect((await activateWrong()).status).toBe(401)
    expect((await activateWrong()).status).toBe(401)
    expect((await activateWrong()).status).toBe(429) // the third wrong code from one address waits
    expect((await app.request('/api/me', { headers: { authorization: 'Bearer not-a-token-0123456789' } })).status).toBe(401)
    expect((await app.request('/api/office/liquidation?from=2026-11-01&to=2026-11-30', { headers: { authorization: `Bearer ${family}` } })).status).toBe(403)
    expect((await app.request('/api/office/liquidation?from=2026-11-01&to=2026-11-30', { headers: { authorization: `Bearer ${officer}` } })).status).toBe(200)
    const revoke = await app.request('/api/office/codes/revoke', json(officer, JSON.stringify({ code: 'FAM-0002' })))
    expect(revoke.status).toBe(200)

    const events = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((e) => e.log === 'security')
    expect(events.map((e) => e.event)).toEqual(['auth-failed', 'auth-failed', 'throttled', 'auth-failed', 'forbidden', 'office-action', 'revoked'])
    expect(events[0]).toMatchObject({ reason: 'unknown-code', method: 'POST', path: '/api/auth/activate' })
    expect(events[2]).toMatchObject({ bucket: 'activation', path: '/api/auth/activate' })
    expect(events[3]).toMatchObject({ reason: 'unknown-token', path: '/api/me' })
    expect(events[4]).toMatchObject({ code: 'forbidden', role: 'parent', path: '/api/office/liquidation' })
    expect(events[5]).toMatchObject({ action: 'liquidation-report-json', role: 'officer' })
    expect(events[6]).toMatchObject({ by: 'officer', codes: 1 })
    for (const e of events) expect(typeof e.time).toBe('string')
    const all = lines.join('\n')
    for (const secret of [family, officer, 'not-a-token-0123456789', 'FAM-9999', 'FAM-0002', 'OFFICER-1', '10.1.2.3', 'fam-0001', 'fam-0002']) {
      expect(all).not.toContain(secret)
    }
  })
})
