/**
 * Request bodies over a real socket, as main.ts serves them: read from Node's own request (never
 * through a web Request, which costs the adapter a Request, an AbortController and a stream per
 * request), with the same limits as in-process: 413 past 1 MB whatever the headers say, nothing written.
 */
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PROTOCOL_VERSION } from '../../../shared/sync/protocol.ts'
import { createApp } from '../app.ts'
import { rowCounts } from '../test/db-checks.ts'
import { rawExchange, statusOf } from '../test/raw-http.ts'
import { activate } from '../test/sync-client.ts'
import { createTestServer, TEST_NOW, type TestServer } from '../test/test-server.ts'

let t: TestServer
let token: string
let server: Server
let port: number
/** Times the app read the body through the web Request, or touched what builds the adapter's full one. */
let webRequestUses = 0
const WEB_BODY = new Set<string | symbol>(['body', 'signal', 'clone', 'formData', 'text', 'json', 'arrayBuffer', 'blob'])

/** The request as the adapter hands it over, counting uses of its web body. */
function watched(req: Request): Request {
  return new Proxy(req, {
    get(target, prop) {
      if (WEB_BODY.has(prop)) webRequestUses++
      const value = Reflect.get(target, prop, target) as unknown
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value
    },
  })
}

beforeAll(async () => {
  t = await createTestServer({ families: 1 })
  token = await activate(t.app, 'FAM-0001')
  const app = createApp(t.deps)
  server = serve({ fetch: (req, env) => app.fetch(watched(req), env), port: 0, hostname: '127.0.0.1' }) as Server
  await new Promise<void>((resolve) => server.once('listening', () => resolve()))
  port = (server.address() as AddressInfo).port
})
afterAll(async () => {
  server.close()
  server.closeAllConnections()
  await t.close()
})

const raw = (head: string, body: Buffer | string, opts: { halfClose?: boolean; port?: number } = {}) =>
  rawExchange(opts.port ?? port, head, body, opts)
const headers = (path: string, bearer: string, extra: string) =>
  `POST ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${bearer}\r\nContent-Type: application/json\r\nConnection: close\r\n${extra}\r\n`
/** A body in HTTP/1.1 chunks of `size` bytes. */
function chunked(body: Buffer, size = 64 * 1024): Buffer {
  const parts: Buffer[] = []
  for (let at = 0; at < body.length; at += size) {
    const part = body.subarray(at, at + size)
    parts.push(Buffer.from(`${part.length.toString(16)}\r\n`), part, Buffer.from('\r\n'))
  }
  return Buffer.concat([...parts, Buffer.from('0\r\n\r\n')])
}
const push = (clientId: string) =>
  JSON.stringify({ protocolVersion: PROTOCOL_VERSION, clientGroupId: 'g-node', mutations: [
    { clientId, id: 1, name: 'child.upsert', args: { childId: 'new-0001-h', firstName: 'Giulia', birthDate: '2020-01-01' }, createdAt: TEST_NOW },
  ] })

describe('request bodies from Node’s request', () => {
  it('are read, with or without Content-Length, and never through a web Request', async () => {
    const withLength = Buffer.from(push('c-node-length'))
    const answer = await raw(headers('/api/sync/push', token, `Content-Length: ${withLength.length}\r\n`), withLength)
    expect(statusOf(answer)).toBe(200)
    expect(answer).toContain('"status":"applied"')

    const answerChunked = await raw(headers('/api/sync/push', token, 'Transfer-Encoding: chunked\r\n'), chunked(Buffer.from(push('c-node-chunked')), 50))
    expect(statusOf(answerChunked)).toBe(200)
    expect(answerChunked).toContain('"status":"applied"')

    const pull = Buffer.from(JSON.stringify({ protocolVersion: PROTOCOL_VERSION, clientGroupId: 'g-node', cookie: null }))
    expect(statusOf(await raw(headers('/api/sync/pull', token, `Content-Length: ${pull.length}\r\n`), pull))).toBe(200)
    expect(webRequestUses).toBe(0)
  })

  it('413 past 1 MB whatever the headers say, before the route looks at the body or the token; nothing written', async () => {
    const before = await rowCounts(t.db)
    const big = Buffer.from(push('c-node-big').replace('"Giulia"', `"${'x'.repeat(2_000_000)}"`))
    // Chunked: no length to judge by, so the bytes are counted as they arrive.
    const overChunked = await raw(headers('/api/sync/push', token, 'Transfer-Encoding: chunked\r\n'), chunked(big))
    expect(statusOf(overChunked)).toBe(413)
    expect(overChunked).toContain('"code":"payload-too-large"')
    // The same to a route that never reads a body, with a token nobody has: still 413, as in-process.
    expect(statusOf(await raw(headers('/api/auth/logout', 'x'.repeat(43), 'Transfer-Encoding: chunked\r\n'), chunked(big)))).toBe(413)
    // A Content-Length over the limit is refused on its word, before the (short) body.
    expect(statusOf(await raw(headers('/api/sync/push', token, `Content-Length: ${big.length}\r\n`), '{}'))).toBe(413)
    // A Content-Length under the truth: Node reads that many bytes (not JSON: 400); the rest is not a request.
    const short = await raw(headers('/api/sync/push', token, 'Content-Length: 10\r\n'), big)
    expect(statusOf(short)).toBe(400)
    expect(short).not.toMatch(/HTTP\/1\.1 5\d\d/)
    // A Content-Length over the truth, then the client goes away: never a 5xx.
    expect(await raw(headers('/api/sync/push', token, 'Content-Length: 1000\r\n'), '{"protocol', { halfClose: true })).not.toMatch(/HTTP\/1\.1 5\d\d/)
    expect(await rowCounts(t.db)).toEqual(before)
  })

  it('a client that half-closes its socket right after a whole request is still heard, as before', async () => {
    // Node destroys such a request as soon as it sees the FIN; a token lookup slowed down by a few ms
    // makes sure it has by the time the body is read. The answer may be lost; the push is not.
    const slow = new Proxy(t.db, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown
        if (typeof value !== 'function') return value
        if (prop !== 'query') return value.bind(target)
        return async (sql: string, params?: readonly unknown[]) => {
          if (sql.includes('FROM tokens t JOIN')) await new Promise((r) => setTimeout(r, 30))
          return target.query(sql, params)
        }
      },
    })
    const app = createApp({ ...t.deps, db: slow })
    const halfClosing = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server
    await new Promise<void>((resolve) => halfClosing.once('listening', () => resolve()))
    try {
      const body = Buffer.from(push('c-node-half').replace('"Giulia"', '"Mezza"'))
      const answer = await raw(headers('/api/sync/push', token, `Content-Length: ${body.length}\r\n`), body, { halfClose: true, port: (halfClosing.address() as AddressInfo).port })
      expect(answer).not.toMatch(/HTTP\/1\.1 [45]\d\d/)
      const name = async () => (await t.db.query<{ n: string }>("SELECT first_name AS n FROM children WHERE id = 'new-0001-h'"))[0]?.n
      for (let i = 0; i < 100 && (await name()) !== 'Mezza'; i++) await new Promise((r) => setTimeout(r, 20))
      expect(await name()).toBe('Mezza')
    } finally {
      halfClosing.close()
      halfClosing.closeAllConnections()
    }
  })
})
