import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ActivateResponse } from '../../../../shared/sync/protocol.ts'
import { MAX_TOKENS_PER_CODE, sha256, TOKEN_DAYS } from '../../services/auth/auth.service.ts'
import { createApp } from '../../app.ts'
import { TokenCache } from '../../services/auth/token-cache.ts'
import { json } from '../../test/sync-client.ts'
import { createTestServer, type TestServer } from '../../test/test-server.ts'

let t: TestServer
beforeAll(async () => {
  t = await createTestServer()
})
afterAll(() => t.close())

const activate = (body: unknown) => t.app.request('/api/auth/activate', json(null, body))
const me = (token: string) => t.app.request('/api/me', { headers: { authorization: `Bearer ${token}` } })

describe('activation', () => {
  it('activates a family code, case-insensitively, and returns the contract shape', async () => {
    const res = await activate({ code: '  fam-0001 ', deviceName: 'Pixel di Anna' })
    expect(res.status).toBe(200)
    const body = ActivateResponse.parse(await res.json())
    expect(body).toMatchObject({ role: 'parent', programId: 'prg-conciliare', familyId: 'fam-0001', providerId: null })
    expect(body.displayName).toMatch(/^Famiglia /)
    expect(body.token).toMatch(/^[A-Za-z0-9_-]{43}$/)
  })

  it('activates providers and the officer', async () => {
    const prv = ActivateResponse.parse(await (await activate({ code: 'PRV-ALTANA' })).json())
    expect(prv).toMatchObject({ role: 'provider', providerId: 'prv-altana', familyId: null })
    const off = ActivateResponse.parse(await (await activate({ code: 'OFFICER-1' })).json())
    expect(off).toMatchObject({ role: 'officer', providerId: null, familyId: null, programId: 'prg-conciliare' })
  })

  it('refuses an unknown code with 401 and an Italian message', async () => {
    const res = await activate({ code: 'FAM-9999' })
    expect(res.status).toBe(401)
    const body = (await res.json()) as { error: { code: string; message: string } }
    expect(body.error.code).toBe('unauthorized')
    expect(body.error.message).toMatch(/^Codice di attivazione non valido/)
  })

  it('refuses a malformed body with 400 validation', async () => {
    for (const body of ['{', { code: 12 }, {}, { code: 'x' }]) {
      const res = await activate(body)
      expect(res.status).toBe(400)
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('validation')
    }
  })

  it('lets one family code activate several devices, each with its own token', async () => {
    const a = ActivateResponse.parse(await (await activate({ code: 'FAM-0002' })).json())
    const b = ActivateResponse.parse(await (await activate({ code: 'fam-0002' })).json())
    expect(a.token).not.toBe(b.token)
    for (const token of [a.token, b.token]) {
      const res = await me(token)
      expect(res.status).toBe(200)
      expect(await res.json()).toMatchObject({ role: 'parent', familyId: 'fam-0002', providerId: null, programId: 'prg-conciliare' })
    }
  })

  it('keeps at most MAX_TOKENS_PER_CODE devices per code: one more signs the oldest out', async () => {
    const tokens: string[] = []
    const start = t.clock.now().getTime()
    for (let i = 0; i <= MAX_TOKENS_PER_CODE; i++) {
      t.clock.set(new Date(start + i * 1000).toISOString()) // distinct creation times: "oldest" is well defined
      tokens.push(ActivateResponse.parse(await (await activate({ code: 'FAM-0003' })).json()).token)
    }
    t.clock.set(new Date(start).toISOString())
    expect((await me(tokens[0]!)).status).toBe(401)
    for (const token of tokens.slice(1)) expect((await me(token)).status).toBe(200)
  })

  it('renews a token while it is used, and lets one unused for TOKEN_DAYS die', async () => {
    const tokens = new TokenCache() // emptied before each use below: every use reaches the database
    const app = createApp({ ...t.deps, tokens })
    const meOn = (token: string) => (tokens.clear(), app.request('/api/me', { headers: { authorization: `Bearer ${token}` } }))
    const start = t.clock.now().getTime()
    const at = (days: number) => t.clock.set(new Date(start + days * 86_400_000).toISOString())
    try {
      const used = ActivateResponse.parse(await (await activate({ code: 'FAM-0001' })).json()).token
      const idle = ActivateResponse.parse(await (await activate({ code: 'FAM-0001' })).json()).token
      for (let d = 10; d <= 2 * TOKEN_DAYS; d += 10) { // in use every ten days, for twice its lifetime
        at(d)
        expect((await meOn(used)).status, `day ${d}`).toBe(200)
      }
      expect((await meOn(idle)).status).toBe(401) // never used since activation: expired after TOKEN_DAYS
      at(3 * TOKEN_DAYS + 1) // then left unused for longer than TOKEN_DAYS
      expect((await meOn(used)).status).toBe(401)
    } finally {
      t.clock.set(new Date(start).toISOString())
    }
  })

  it('accepts the demo codes, and the tokens they issued, only while the server runs in demo mode', async () => {
    const token = ActivateResponse.parse(await (await activate({ code: 'FAM-0001' })).json()).token
    const real = createApp({ ...t.deps, demo: false, tokens: new TokenCache() }) // the same database, not in demo mode
    expect((await real.request('/api/auth/activate', json(null, { code: 'FAM-0001' }))).status).toBe(401)
    expect((await real.request('/api/auth/activate', json(null, { code: 'OFFICER-1' }))).status).toBe(401)
    expect((await real.request('/api/me', { headers: { authorization: `Bearer ${token}` } })).status).toBe(401)
    expect((await me(token)).status).toBe(200) // the demo server still takes it
    const [row] = await t.db.query<{ demo: boolean }>("SELECT demo FROM activation_codes WHERE id = 'cod-fam-0001'")
    expect(row?.demo).toBe(true)
  })

  it('stores tokens and codes hashed only', async () => {
    const { token } = ActivateResponse.parse(await (await activate({ code: 'FAM-0003' })).json())
    const raw = await t.db.query('SELECT * FROM tokens WHERE token_hash = $1 OR token_hash = $2', [token, sha256(token)])
    expect(raw).toHaveLength(1)
    expect(JSON.stringify(raw)).not.toContain(token)
    const codes = await t.db.query<{ code_hash: string }>('SELECT code_hash FROM activation_codes')
    expect(codes.some((c) => c.code_hash === sha256('FAM-0003'))).toBe(true)
    expect(JSON.stringify(codes)).not.toContain('FAM-0003')
  })
})

describe('tokens', () => {
  it('rejects missing, unknown and malformed tokens with 401', async () => {
    expect((await t.app.request('/api/me')).status).toBe(401)
    expect((await me('x'.repeat(43))).status).toBe(401)
    const res = await t.app.request('/api/me', { headers: { authorization: 'Basic Zm9vOmJhcg==' } })
    expect(res.status).toBe(401)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthorized')
  })

  it('logout revokes this device only', async () => {
    const a = ActivateResponse.parse(await (await activate({ code: 'FAM-0001' })).json())
    const b = ActivateResponse.parse(await (await activate({ code: 'FAM-0001' })).json())
    const out = await t.app.request('/api/auth/logout', json(a.token, {}))
    expect(out.status).toBe(200)
    expect((await me(a.token)).status).toBe(401)
    expect((await me(b.token)).status).toBe(200)
  })

  it('revoking a code signs its devices out and stops new activations', async () => {
    const prv = ActivateResponse.parse(await (await activate({ code: 'PRV-IGEA' })).json())
    await t.db.query("UPDATE activation_codes SET revoked_at = now() WHERE id = 'cod-prv-igea'")
    expect((await me(prv.token)).status).toBe(401)
    expect((await activate({ code: 'PRV-IGEA' })).status).toBe(401)
  })

  it('expires tokens after a year', async () => {
    const { token } = ActivateResponse.parse(await (await activate({ code: 'PRV-KOALA' })).json())
    t.clock.set('2027-11-23T07:00:00.000Z')
    try {
      expect((await me(token)).status).toBe(401)
    } finally {
      t.clock.set('2026-11-22T07:00:00.000Z')
    }
    expect((await me(token)).status).toBe(200)
  })
})

describe('health and unknown paths', () => {
  it('answers health and 404s unknown API paths with the error body', async () => {
    const health = await t.app.request('/api/health')
    expect(health.status).toBe(200)
    expect(await health.json()).toEqual({ ok: true })
    const missing = await t.app.request('/api/nope')
    expect(missing.status).toBe(404)
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('not-found')
  })
})
