/**
 * Secure headers on every answer (the PWA, the API, errors), and no personal data in logs: a
 * failing request's log line names the kind of failure and where, never a token, an activation
 * code, a child's name or anything else from the request or from the error's message.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { serve } from '@hono/node-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PROTOCOL_VERSION } from '../../shared/sync/protocol.ts'
import { createApp } from './app.ts'
import type { Db } from './db/db.ts'
import { sha256 } from './services/auth/auth.service.ts'
import { activate, json } from './test/sync-client.ts'
import { createTestServer, TEST_NOW, type TestServer } from './test/test-server.ts'

let t: TestServer
let dist: string
beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), 'conciliapp-headers-'))
  mkdirSync(join(dist, 'assets'))
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>x</title>')
  writeFileSync(join(dist, 'assets', 'index-abc.js'), 'console.log(1)')
  writeFileSync(join(dist, 'sw.js'), 'self.addEventListener("fetch", () => {})')
  t = await createTestServer({ families: 1, staticDir: dist })
})
afterAll(() => t.close())

/** Serves the test app on a real socket for `fn` (the secure headers take another path there). */
async function overSocket(fn: (base: string) => Promise<void>): Promise<void> {
  const server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }) as Server
  await new Promise<void>((resolve) => server.once('listening', () => resolve()))
  try {
    await fn(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)
  } finally {
    server.close()
    server.closeAllConnections()
  }
}

describe('secure headers', () => {
  /** The same requests, through `send`; every answer must carry the headers. */
  async function answersOf(send: (path: string, init?: RequestInit) => Promise<Response>, token: string): Promise<Response[]> {
    const answers = [
      await send('/', { headers: { accept: 'text/html' } }),
      await send('/piano', { headers: { accept: 'text/html' } }),
      await send('/assets/index-abc.js'),
      await send('/sw.js'),
      await send('/api/health'),
      await send('/api/me', { headers: { authorization: `Bearer ${token}` } }),
      await send('/api/me'),
      await send('/api/nope'),
      await send('/api/sync/push', json(token, '{')),
      await send('/api/sync/push', json(token, 'x'.repeat(2_000_000))),
    ]
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200, 401, 404, 400, 413])
    return answers
  }

  function expectSecure(res: Response): void {
    const csp = res.headers.get('content-security-policy') ?? ''
    for (const directive of ["default-src 'self'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", "worker-src 'self'",
      "manifest-src 'self'", "img-src 'self' data:", "object-src 'none'", "frame-ancestors 'none'", "base-uri 'self'"]) {
      expect(csp, res.url).toContain(directive)
    }
    expect(csp).not.toContain('unsafe-inline')
    expect(csp).not.toContain('unsafe-eval')
    expect(csp).not.toContain('upgrade-insecure-requests') // the demo runs over plain HTTP on a LAN
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('x-frame-options')).toBe('DENY')
    expect(res.headers.get('referrer-policy')).toBe('no-referrer')
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/)
    expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin')
    expect(res.headers.get('permissions-policy')).toContain('camera=()')
    expect(res.headers.get('x-powered-by')).toBeNull()
  }

  it('come with the PWA, the API, errors and refusals alike', async () => {
    const token = await activate(t.app, 'FAM-0001')
    for (const res of await answersOf((path, init) => Promise.resolve(t.app.request(path, init)), token)) expectSecure(res)
  })

  it('forbid caching every API answer (personal data), errors included, in-process and over a real socket', async () => {
    const token = await activate(t.app, 'FAM-0001')
    await overSocket(async (base) => {
      for (const send of [(path: string, init?: RequestInit) => Promise.resolve(t.app.request(path, init)), (path: string, init?: RequestInit) => fetch(base + path, init)]) {
        const answers = await answersOf(send, token)
        const api = answers.filter((r, i) => i >= 4) // the last six are /api answers (see answersOf)
        for (const res of api) expect(res.headers.get('cache-control'), `${res.status} ${res.url}`).toBe('no-store')
        expect(answers[0]!.headers.get('cache-control')).not.toBe('no-store') // the PWA's shell is cached as before
        const pulled = await send('/api/sync/pull', json(token, JSON.stringify({ protocolVersion: 1, clientGroupId: 'g-nostore', cookie: null })))
        expect(pulled.status).toBe(200)
        expect(pulled.headers.get('cache-control')).toBe('no-store')
      }
    })
  })

  it('are the same over a real socket (set on Node\'s response there) as in-process', async () => {
    const token = await activate(t.app, 'FAM-0001')
    await overSocket(async (base) => {
      const socketAnswers = await answersOf((path, init) => fetch(base + path, init), token)
      const inProcess = await answersOf((path, init) => Promise.resolve(t.app.request(path, init)), token)
      const secure = (res: Response) => Object.fromEntries([...res.headers].filter(([name]) => inProcess[0]!.headers.has(name) &&
        !['content-type', 'content-length', 'etag', 'last-modified', 'cache-control', 'date', 'connection', 'keep-alive', 'vary', 'transfer-encoding'].includes(name)))
      socketAnswers.forEach((res, i) => {
        expectSecure(res)
        expect(secure(res)).toEqual(secure(inProcess[i]!))
      })
    })
  })
})

describe('no personal data in logs', () => {
  it('logs failures by kind and place, never tokens, codes, names, bodies or error messages', async () => {
    const token = await activate(t.app, 'FAM-0001')
    const child = 'Giulia'
    const secrets = [token, sha256(token), 'FAM-0001', 'fam-0001', child, 'Pixel di Giulia', 'Rossi-Bianchi', 'chd-0001-1']
    const lines: string[] = []
    let fail: { message: string; code?: string; sticky?: boolean } | null = null
    // Fails the next query after `fail` is set (every query of the request if sticky), with a message
    // quoting everything sensitive.
    const db = new Proxy(t.db, {
      get(target, prop, receiver) {
        if (prop === 'query' || prop === 'transaction') {
          return (...args: unknown[]) => {
            if (fail) {
              const f = fail
              if (!f.sticky) fail = null
              return Promise.reject(Object.assign(new Error(f.message), f.code ? { code: f.code } : {}))
            }
            return (Reflect.get(target, prop, receiver) as (...a: unknown[]) => unknown).apply(target, args)
          }
        }
        const value = Reflect.get(target, prop, receiver)
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value
      },
    }) as Db
    const app = createApp({ ...t.deps, db, log: (line) => void lines.push(line) })
    const quoting = `token ${token} (${sha256(token)}) of FAM-0001 / fam-0001 for ${child} Rossi-Bianchi chd-0001-1 'Pixel di Giulia'`
    const push = JSON.stringify({ protocolVersion: PROTOCOL_VERSION, clientGroupId: 'g-log', mutations: [
      { clientId: 'c-log', id: 1, name: 'child.upsert', args: { childId: 'chd-0001-1', firstName: child, birthDate: '2020-01-01', surname: 'Rossi-Bianchi' }, createdAt: TEST_NOW },
    ] })

    const statuses: number[] = []
    const run = async (f: typeof fail, path: string, init: RequestInit) => {
      fail = f
      const res = await app.request(path, init)
      fail = null
      statuses.push(res.status)
      await res.text()
    }
    await run(null, '/api/auth/activate', json(null, { code: 'FAM-0001-WRONG', deviceName: 'Pixel di Giulia' })) // 401
    await run(null, '/api/sync/push', json(`${token}x`, push)) // forged token: 401
    await run(null, '/api/sync/push', json(token, push.replace('"Giulia"', '"Giulia\\u0000"'))) // a result, not an error
    // A bug: 500, logged. Sticky: a push batch that fails is decided again one by one (push-queue.ts),
    // so one failed query would be absorbed; a bug fails both.
    await run({ message: quoting, sticky: true }, '/api/sync/push', json(token, push))
    await run({ message: quoting, code: '57P01' }, '/api/sync/pull', json(token, { protocolVersion: 1, clientGroupId: 'g-log', cookie: null })) // 503
    await run({ message: `invalid input syntax for type date: "${child}"`, code: '22007' }, '/api/auth/activate', json(null, { code: 'FAM-0001', deviceName: 'Pixel di Giulia' }))
    await run({ message: 'Connection terminated unexpectedly' }, '/api/health', {})
    fail = null
    const thrower = createApp({ ...t.deps, db: { ...db, query: () => Promise.reject(quoting) } as unknown as Db, log: (line) => void lines.push(line) })
    statuses.push((await thrower.request('/api/me', { headers: { authorization: `Bearer ${token}` } })).status) // a thrown string

    expect(statuses).toEqual([401, 401, 200, 500, 503, 400, 503, 500])
    for (const line of lines) for (const secret of secrets) expect(line, `log line leaks ${secret}`).not.toContain(secret)
    // The two 401s are security events (services/audit/security-log.ts): JSON lines, by kind only.
    const security = lines.filter((l) => l.startsWith('{'))
    expect(security.map((l) => JSON.parse(l) as { event: string; reason: string }).map((e) => `${e.event}:${e.reason}`))
      .toEqual(['auth-failed:unknown-code', 'auth-failed:unknown-token'])
    lines.splice(0, lines.length, ...lines.filter((l) => !l.startsWith('{')))
    expect(lines).toHaveLength(5) // the bug (its batch, then the push), the outage, the lost connection, the thrown string
    expect(lines[0]).toMatch(/^push batch of 1 failed, deciding its pushes one by one: Error\n\s+at /)
    expect(lines[1]).toMatch(/^internal error on POST \/api\/sync\/push: Error\n\s+at /)
    expect(lines[2]).toMatch(/^database failure on POST \/api\/sync\/pull: Error \[57P01\]/)
    expect(lines[3]).toMatch(/^database failure on GET \/api\/health: Error: Connection terminated unexpectedly/)
    expect(lines[4]).toMatch(/^internal error on GET \/api\/me: NonErrorThrown\n\s+at /)
    for (const line of lines) for (const secret of secrets) expect(line, `log line leaks ${secret}`).not.toContain(secret)
  })
})
