/**
 * The app's token cache (services/auth/token-cache.ts) through HTTP: a token is looked up once per
 * max age, not once per request; revocations through the app (logout, the office) and expiry still
 * take effect at the very next request; refused tokens are never cached.
 */
import { randomBytes } from 'node:crypto'
import type { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PROTOCOL_VERSION } from '../../../../shared/sync/protocol.ts'
import { createApp } from '../../app.ts'
import type { Db } from '../../db/db.ts'
import { testDatabaseUrl } from '../../env.ts'
import { sha256 } from '../../services/auth/auth.service.ts'
import { TOKEN_CACHE_MAX_AGE_MS, TokenCache } from '../../services/auth/token-cache.ts'
import { memoryNotifier, type Notifier } from '../../services/notify/notifier.ts'
import { pgNotifier } from '../../services/notify/pg-notifier.ts'
import { activate, json } from '../../test/sync-client.ts'
import { createTestServer, TEST_NOW, type TestServer } from '../../test/test-server.ts'
import type { AppEnv } from '../http.ts'

let t: TestServer
let app: Hono<AppEnv>
let cache: TokenCache
/** The cache's monotonic clock, moved by hand (the business clock is t.clock). */
let ms = 0
/** Token lookups that reached the database. */
let lookups = 0

/** The test server's database, counting the token lookups (authenticate's query). */
function countingLookups(db: Db): Db {
  return new Proxy(db, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown
      if (prop !== 'query' || typeof value !== 'function') return typeof value === 'function' ? value.bind(target) : value
      return (sql: string, params?: readonly unknown[]) => {
        if (sql.includes('FROM tokens t JOIN activation_codes')) lookups++
        return target.query(sql, params)
      }
    },
  })
}

beforeAll(async () => {
  t = await createTestServer({ families: 2 })
  cache = new TokenCache({ now: () => ms })
  app = createApp({ ...t.deps, db: countingLookups(t.db), tokens: cache })
})
afterAll(() => t.close())

const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } })
const me = async (token: string, on = app) => (await on.request('/api/me', bearer(token))).status
const pull = async (token: string) =>
  (await app.request('/api/sync/pull', json(token, { protocolVersion: PROTOCOL_VERSION, clientGroupId: 'g-cache', cookie: null }))).status

describe('token cache', () => {
  it('looks a token up once per max age, not once per request', async () => {
    const token = await activate(app, 'FAM-0001')
    const before = lookups
    expect([await me(token), await pull(token), await me(token)]).toEqual([200, 200, 200])
    expect(lookups - before).toBe(1)

    // Revoked behind the app's back (by hand in SQL, or by another process's logout): the cache
    // answers until its max age, then the database does.
    await t.db.query('UPDATE tokens SET revoked_at = $2 WHERE token_hash = $1', [sha256(token), TEST_NOW])
    ms += TOKEN_CACHE_MAX_AGE_MS
    expect(await me(token)).toBe(200)
    ms += 1
    expect(await me(token)).toBe(401)
    expect(lookups - before).toBe(2)
  })

  it('logout: the token is refused at the very next request; the family’s other devices stay cached', async () => {
    const [a, b] = [await activate(app, 'FAM-0002'), await activate(app, 'FAM-0002')]
    expect([await me(a), await me(b)]).toEqual([200, 200])
    expect((await app.request('/api/auth/logout', json(a, {}))).status).toBe(200)
    const before = lookups
    expect(await me(a)).toBe(401)
    expect(await pull(a)).toBe(401)
    expect(await me(b)).toBe(200)
    expect(lookups - before).toBe(2) // a looked up twice (refused, so never cached); b from the cache
  })

  it('office revocation: refused at the very next request, here and in another process hearing the notifier', async () => {
    // Two apps on one database, as two processes: `here` revokes but hears no pokes (as if its
    // LISTEN connection were down), so only its own clearing can refuse the token at once; `there`
    // has a cache that never ages by itself, so only the notifier's hint can empty it.
    const bus = memoryNotifier()
    const deaf: Notifier = { ...bus, subscribe: () => () => undefined }
    const here = createApp({ ...t.deps, notifier: deaf, tokens: new TokenCache({ now: () => 0 }) })
    const there = createApp({ ...t.deps, notifier: bus, tokens: new TokenCache({ now: () => 0 }) })
    const officer = await activate(here, 'OFFICER-1')
    const phone = await activate(here, 'FAM-0001')
    expect([await me(phone, here), await me(phone, there), await me(officer, here)]).toEqual([200, 200, 200])
    const res = await here.request('/api/office/codes/revoke', json(officer, { familyId: 'fam-0001' }))
    expect(await res.json()).toEqual({ revokedCodes: 1, revokedTokens: 1 }) // the first test's token was revoked in SQL
    expect([await me(phone, here), await me(phone, there)]).toEqual([401, 401])
    expect(await me(officer, here)).toBe(200)
    await bus.close()
  })

  it('an expired token is refused even when cached (expires_at against the business clock)', async () => {
    const token = await activate(app, 'FAM-0002')
    expect(await me(token)).toBe(200)
    const [row] = await t.db.query<{ expiresAt: string }>('SELECT expires_at AS "expiresAt" FROM tokens WHERE token_hash = $1', [sha256(token)])
    const expiresAt = Date.parse(row?.expiresAt ?? '')
    try {
      t.clock.set(new Date(expiresAt - 1).toISOString())
      const before = lookups
      expect(await me(token)).toBe(200)
      expect(lookups).toBe(before) // still from the cache
      t.clock.set(new Date(expiresAt).toISOString())
      expect(await me(token)).toBe(401)
      expect(await pull(token)).toBe(401)
    } finally {
      t.clock.set(TEST_NOW)
    }
  })

  it('never caches unknown, forged or revoked tokens', async () => {
    const real = await activate(app, 'FAM-0002')
    const revoked = await activate(app, 'FAM-0002')
    expect((await app.request('/api/auth/logout', json(revoked, {}))).status).toBe(200)
    const size = cache.size
    const before = lookups
    for (const token of ['x'.repeat(43), sha256(real), `${real.slice(0, -1)}${real.endsWith('A') ? 'B' : 'A'}`, revoked]) {
      expect([await me(token), await me(token)]).toEqual([401, 401])
    }
    expect(lookups - before).toBe(8) // every attempt asked the database
    expect(cache.size).toBe(size)
  })
})

describe.runIf(testDatabaseUrl())('token cache across processes (Postgres LISTEN/NOTIFY)', () => {
  it('another process’s cache empties once it hears the office’s revocation', async () => {
    const channel = `test_poke_${randomBytes(4).toString('hex')}`
    const [notifierA, notifierB] = await Promise.all([pgNotifier(testDatabaseUrl() ?? '', channel), pgNotifier(testDatabaseUrl() ?? '', channel)])
    try {
      const a = createApp({ ...t.deps, notifier: notifierA, tokens: new TokenCache({ now: () => 0 }) })
      const b = createApp({ ...t.deps, notifier: notifierB, tokens: new TokenCache({ now: () => 0 }) }) // never ages by itself
      const officer = await activate(a, 'OFFICER-1')
      const phone = await activate(a, 'FAM-0002')
      expect([await me(phone, a), await me(phone, b)]).toEqual([200, 200])
      expect((await a.request('/api/office/codes/revoke', json(officer, { familyId: 'fam-0002' }))).status).toBe(200)
      expect(await me(phone, a)).toBe(401)
      for (let i = 0; i < 100 && (await me(phone, b)) === 200; i++) await new Promise((r) => setTimeout(r, 20))
      expect(await me(phone, b)).toBe(401)
    } finally {
      await Promise.all([notifierA.close(), notifierB.close()])
    }
  })
})
