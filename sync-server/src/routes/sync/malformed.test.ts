/** Bad input never writes anything and never answers 5xx: always 4xx with { error: { code, message } }. */
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MUTATION_NAMES } from '../../../../shared/mutators/mutators.ts'
import { PROTOCOL_VERSION, type MutationResult } from '../../../../shared/sync/protocol.ts'
import { createApp } from '../../app.ts'
import { invariantViolations, rowCounts } from '../../test/db-checks.ts'
import { rawExchange, statusOf } from '../../test/raw-http.ts'
import { activate, json, SyncClient } from '../../test/sync-client.ts'
import { createTestServer, type TestServer } from '../../test/test-server.ts'
import { MAX_JSON_DEPTH } from '../http.ts'

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

/** Rows a refused mutation may add: its result row (and the client row the first time). Nothing else. */
const effects = (a: Record<string, number>, b: Record<string, number>) =>
  Object.fromEntries(Object.keys(a).filter((k) => a[k] !== b[k] && k !== 'mutation_results' && k !== 'clients' && k !== 'spaceVersions').map((k) => [k, [a[k], b[k]]]))

describe('deeply nested JSON', () => {
  const nested = (levels: number) => '['.repeat(levels) + ']'.repeat(levels)
  const pushWithArgs = (args: string) =>
    `{"protocolVersion":${PROTOCOL_VERSION},"clientGroupId":"g-deep","mutations":[{"clientId":"c-deep","id":1,"name":"child.upsert","createdAt":"2026-11-22T07:00:00Z","args":${args}}]}`

  it('refuses 100k nesting levels in args, in pull and in activate with 400 before parsing, writing nothing', async () => {
    const before = await rowCounts(t.db)
    for (const [path, body] of [
      ['/api/sync/push', pushWithArgs(nested(100_000))],
      ['/api/sync/push', pushWithArgs('{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000))],
      ['/api/sync/pull', `{"protocolVersion":1,"clientGroupId":"g","cookie":null,"resultsAcked":${nested(100_000)}}`],
      ['/api/auth/activate', `{"code":${nested(100_000)}}`],
    ] as const) {
      const res = await post(path, body)
      expect(res.status).toBe(400)
      expect(((await res.json()) as { error: { code: string; details: unknown } }).error).toMatchObject({ code: 'validation', details: { reason: 'too-deep' } })
    }
    expect(await rowCounts(t.db)).toEqual(before)
  })

  it('counts only brackets outside strings, and lets ordinary depth through', async () => {
    const inString = JSON.stringify('['.repeat(1000) + '\\"{'.repeat(100))
    const res = await post('/api/sync/push', pushWithArgs(`{"childId":"c","firstName":${inString},"birthDate":"2020-01-01"}`))
    expect(res.status).toBe(200) // parsed, then refused by the rules (name too long), not by depth
    const deepButFine = nested(MAX_JSON_DEPTH - 4)
    expect((await post('/api/sync/push', pushWithArgs(deepButFine))).status).toBe(200)
  })

  it('answers 413 when the nesting is also over 1 MB', async () => {
    await expectError(await post('/api/sync/push', pushWithArgs(nested(1_000_000))), 413, 'payload-too-large')
  })
})

describe('body size whatever the headers say', () => {
  it('413 when Content-Length lies (says 10 bytes, sends 2 MB)', async () => {
    const before = await rowCounts(t.db)
    const huge = JSON.stringify(envelope({ mutations: [{ ...okMutation, args: { pad: 'x'.repeat(2_000_000) } }] }))
    await expectError(await post('/api/sync/push', huge, token, { 'content-length': '10' }), 413, 'payload-too-large')
    await expectError(await post('/api/auth/activate', JSON.stringify({ code: 'x'.repeat(2_000_000) }), null, { 'content-length': '10' }), 413, 'payload-too-large')
    expect(await rowCounts(t.db)).toEqual(before)
  })

  it('over a real socket: 413 for a big Content-Length, a big chunked body; never a 5xx for a short one', async () => {
    const server = serve({ fetch: createApp(t.deps).fetch, port: 0, hostname: '127.0.0.1' }) as Server
    await new Promise<void>((resolve) => server.once('listening', () => resolve()))
    const { port } = server.address() as AddressInfo
    const raw = (head: string, body: Buffer | string) => rawExchange(port, head, body, { halfClose: true })
    const before = await rowCounts(t.db)
    try {
      const big = Buffer.alloc(2_000_000, 'x')
      const auth = `Authorization: Bearer ${token}\r\nContent-Type: application/json\r\nConnection: close\r\n`
      const declared = await raw(`POST /api/sync/push HTTP/1.1\r\nHost: x\r\n${auth}Content-Length: ${big.length}\r\n\r\n`, big)
      expect(statusOf(declared)).toBe(413)
      expect(declared).toContain('"code":"payload-too-large"')

      const chunk = Buffer.concat([Buffer.from(`${(64 * 1024).toString(16)}\r\n`), Buffer.alloc(64 * 1024, 'x'), Buffer.from('\r\n')])
      const chunked = await raw(`POST /api/sync/push HTTP/1.1\r\nHost: x\r\n${auth}Transfer-Encoding: chunked\r\n\r\n`, Buffer.concat([...Array.from({ length: 32 }, () => chunk), Buffer.from('0\r\n\r\n')]))
      expect(statusOf(chunked)).toBe(413)
      expect(chunked).toContain('"code":"payload-too-large"')

      // Claims 10 bytes and sends more: the server reads 10 (not JSON → 400); the rest is not a request.
      const short = await raw(`POST /api/sync/push HTTP/1.1\r\nHost: x\r\n${auth}Content-Length: 10\r\n\r\n`, big)
      expect(statusOf(short)).toBe(400)
      expect(short).not.toMatch(/HTTP\/1\.1 5\d\d/)
    } finally {
      server.close()
      server.closeAllConnections()
    }
    expect(await rowCounts(t.db)).toEqual(before)
  })
})

describe('values the database cannot hold', () => {
  it('are refused as validation results (never a 5xx that the phone would resend forever)', async () => {
    const fam = new SyncClient(t.app, token)
    const prv = await SyncClient.activate(t.app, 'PRV-ALTANA')
    const before = await rowCounts(t.db)
    const request = { bookingId: 'bk-nul', childId: 'chd-0001-1', sessionId: 'ses-altana-babysitting-20261124', quantity: 1 }
    const cases: [SyncClient, string, unknown][] = [
      [fam, 'booking.request', { ...request, note: 'febbre\u0000alta' }],
      [fam, 'child.upsert', { childId: 'chd-0001-1', firstName: 'Gi\u0000ulia', birthDate: '2019-04-02' }],
      [fam, 'child.upsert', { childId: 'chd-0001-1', firstName: 'Giulia', birthDate: '0000-01-01' }],
      [prv, 'booking.deliver', { bookingId: 'bk-nul', deliveredAt: '2026-11-24T10:00:00+23:59' }],
      [prv, 'booking.decline', { bookingId: 'bk-nul', reason: '\u0000' }],
      [prv, 'session.close', { sessionId: 'ses-altana-babysitting-20261124', reason: 'chiusa\u0000' }],
      [fam, '__proto__', {}],
      [fam, 'constructor', { bookingId: 'x' }],
      [fam, 'booking.request\u0000', request],
    ]
    for (const [client, name, args] of cases) {
      const res = await client.pushRaw([client.mutation(name, args)])
      expect(res.status, name).toBe(200)
      const { results } = (await res.json()) as { results: MutationResult[] }
      expect(results[0], name).toMatchObject({ status: 'rejected', code: 'validation' })
    }
    expect(effects(before, await rowCounts(t.db))).toEqual({})
    const activation = await post('/api/auth/activate', { code: 'FAM-0001', deviceName: 'Pixel\u0000' }, null)
    await expectError(activation, 400, 'validation')
    expect((await rowCounts(t.db)).tokens).toBe(before.tokens)
  })
})

describe('fuzz: any args for any mutation name inside a valid envelope', () => {
  it('are refused with a rejection code, never a 5xx, and change no booking, voucher or child', async () => {
    const fam = new SyncClient(t.app, token)
    const prv = await SyncClient.activate(t.app, 'PRV-ALTANA')
    const before = await rowCounts(t.db)
    const names = fc.oneof(fc.constantFrom(...MUTATION_NAMES), fc.string({ maxLength: 64 }).filter((n) => n.length > 0))
    await fc.assert(
      fc.asyncProperty(fc.boolean(), names, fc.jsonValue(), async (asProvider, name, args) => {
        const client = asProvider ? prv : fam
        const res = await client.pushRaw([client.mutation(name, args)])
        expect(res.status).toBe(200)
        const { results } = (await res.json()) as { results: MutationResult[] }
        expect(results[0]?.status).toBe('rejected')
        expect(typeof results[0]?.code).toBe('string')
      }),
      { numRuns: 120 },
    )
    expect(effects(before, await rowCounts(t.db))).toEqual({})
    expect(await invariantViolations(t.db)).toEqual([])
  })
})
