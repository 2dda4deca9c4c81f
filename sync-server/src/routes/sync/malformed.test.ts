/** Bad input never writes anything and never answers 5xx: always 4xx with { error: { code, message } }. */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PROTOCOL_VERSION } from '../../../../shared/sync/protocol.ts'
import { rowCounts } from '../../test/db-checks.ts'
import { activate, json } from '../../test/sync-client.ts'
import { createTestServer, type TestServer } from '../../test/test-server.ts'

let t: TestServer
let token: string
beforeAll(async () => {
  t = await createTestServer({ families: 1 })
  token = await activate(t.app, 'FAM-0001')
})
afterAll(() => t.close())

const okMutation = { clientId: 'c-ok', id: 1, name: 'child.upsert', args: { childId: 'chd-0001-1', firstName: 'A', birthDate: '2020-01-01' }, createdAt: '2026-11-22T07:00:00Z' }
const envelope = (over: Record<string, unknown> = {}) => ({ protocolVersion: PROTOCOL_VERSION, clientGroupId: 'g-ok', mutations: [okMutation], ...over })

async function expectError(res: Response, status: number, code: string): Promise<void> {
  expect(res.status).toBe(status)
  const body = (await res.json()) as { error: { code: string; message: string } }
  expect(body.error.code).toBe(code)
  expect(body.error.message.length).toBeGreaterThan(0)
}

const post = (path: string, body: unknown, tok: string | null = token, headers: Record<string, string> = {}) =>
  t.app.request(path, json(tok, body, headers))

describe('push: malformed envelopes', () => {
  it('answers 400 validation and writes nothing', async () => {
    const before = await rowCounts(t.db)
    const bodies: unknown[] = [
      '{"protocolVersion": 1, "clientGroupId": ', // broken JSON
      '', 'null', '[]', '"push"', '42',
      envelope({ mutations: 'all of them' }),
      envelope({ clientGroupId: undefined }),
      envelope({ protocolVersion: '1' }),
      envelope({ mutations: [{ ...okMutation, id: '1' }] }),
      envelope({ mutations: [{ ...okMutation, id: 0 }] }),
      envelope({ mutations: [{ ...okMutation, id: 1.5 }] }),
      envelope({ mutations: [{ ...okMutation, createdAt: 'yesterday' }] }),
      envelope({ mutations: [{ ...okMutation, name: undefined }] }),
      envelope({ mutations: [{ ...okMutation, name: 'x'.repeat(65) }] }),
      envelope({ mutations: [{ ...okMutation, clientId: "c'; DROP TABLE bookings; --" }] }),
      envelope({ clientGroupId: "g' OR '1'='1" }),
      envelope({ mutations: [okMutation, { ...okMutation, id: 2, clientId: '' }] }),
      envelope({ mutations: Array.from({ length: 1001 }, (_, i) => ({ ...okMutation, id: i + 1 })) }),
    ]
    for (const body of bodies) await expectError(await post('/api/sync/push', body), 400, 'validation')
    expect(await rowCounts(t.db)).toEqual(before)
  })

  it('gives validation details a developer can act on', async () => {
    const res = await post('/api/sync/push', envelope({ mutations: [{ ...okMutation, id: 'seven' }] }))
    const body = (await res.json()) as { error: { details: { issues: { path: string }[] } } }
    expect(body.error.details.issues.map((i) => i.path)).toContain('mutations.0.id')
  })

  it('answers 413 payload-too-large for a body over 1 MB, with or without Content-Length', async () => {
    const before = await rowCounts(t.db)
    const huge = JSON.stringify(envelope({ mutations: [{ ...okMutation, args: { pad: 'x'.repeat(1_100_000) } }] }))
    await expectError(await post('/api/sync/push', huge, token, { 'content-length': String(Buffer.byteLength(huge)) }), 413, 'payload-too-large')
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(huge))
        controller.close()
      },
    })
    const res = await t.app.request('/api/sync/push', {
      method: 'POST', headers: { authorization: `Bearer ${token}` }, body: stream, duplex: 'half',
    } as RequestInit)
    await expectError(res, 413, 'payload-too-large')
    expect(await rowCounts(t.db)).toEqual(before)
  })

  it('answers 401 for a missing or unknown token, before looking at the body', async () => {
    const before = await rowCounts(t.db)
    await expectError(await post('/api/sync/push', envelope(), null), 401, 'unauthorized')
    await expectError(await post('/api/sync/push', envelope(), "' OR 1=1 --"), 401, 'unauthorized')
    await expectError(await post('/api/sync/push', envelope(), 'A'.repeat(43)), 401, 'unauthorized')
    await expectError(await post('/api/sync/pull', { protocolVersion: 1, clientGroupId: 'g', cookie: null }, 'nope'), 401, 'unauthorized')
    expect(await rowCounts(t.db)).toEqual(before)
  })

  it('refuses SQL-looking ids inside args as a validation result, and the tables survive', async () => {
    const res = await post('/api/sync/push', envelope({
      mutations: [{ ...okMutation, clientId: 'c-sql', name: 'booking.cancel', args: { bookingId: "x'); DELETE FROM bookings; --" } }],
    }))
    expect(res.status).toBe(200)
    const { results } = (await res.json()) as { results: { status: string; code: string }[] }
    expect(results[0]).toMatchObject({ status: 'rejected', code: 'validation' })
    const [row] = await t.db.query<{ n: number }>('SELECT count(*) AS n FROM sessions')
    expect(row?.n).toBeGreaterThan(0)
  })
})

describe('pull and activate: malformed bodies', () => {
  it('answers 400 validation for bad pull envelopes', async () => {
    const good = { protocolVersion: PROTOCOL_VERSION, clientGroupId: 'g', cookie: null }
    for (const body of ['{', { ...good, cookie: 42 }, { ...good, cookie: undefined }, { ...good, resultsAcked: { c: -1 } }, { ...good, clientGroupId: 'a b' }]) {
      await expectError(await post('/api/sync/pull', body), 400, 'validation')
    }
  })
})

describe('fuzz: arbitrary JSON never gets a 5xx and never writes', () => {
  it('push, pull and activate', async () => {
    const before = await rowCounts(t.db)
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('/api/sync/push', '/api/sync/pull', '/api/auth/activate'), fc.jsonValue(), async (path, body) => {
        const res = await post(path, JSON.stringify(body))
        expect(res.status).toBeGreaterThanOrEqual(400)
        expect(res.status).toBeLessThan(500)
        const parsed = (await res.json()) as { error?: { code?: string } }
        expect(typeof parsed.error?.code).toBe('string')
      }),
      { numRuns: 150 },
    )
    expect(await rowCounts(t.db)).toEqual(before)
  })
})
