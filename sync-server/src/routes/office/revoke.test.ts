/**
 * Tokens end: the office revokes a family's or a provider's code (and with it every device), tokens
 * expire, forged ones never work. On every authenticated route a dead token is a 401 that writes
 * nothing; an open poke stream of a revoked device says "pull" one last time and closes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { OfficeError, RevokeAnswer } from '../../../../shared/office/office.schema.ts'
import { PROTOCOL_VERSION } from '../../../../shared/sync/protocol.ts'
import { sha256 } from '../../services/auth/auth.service.ts'
import { rowCounts } from '../../test/db-checks.ts'
import { activate, json, SyncClient, uniqueId } from '../../test/sync-client.ts'
import { createTestServer, TEST_NOW, type TestServer } from '../../test/test-server.ts'

let t: TestServer
let officer: string
beforeAll(async () => {
  t = await createTestServer({ families: 4, heartbeatMs: 100 })
  officer = await activate(t.app, 'OFFICER-1')
})
afterAll(() => t.close())

const revoke = (token: string, body: unknown) => t.app.request('/api/office/codes/revoke', json(token, body))
const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } })
/** The answer as the officer's screen reads it: parsed with the shared schema, which drops nothing. */
async function answer(res: Response) {
  const body: unknown = await res.json()
  expect(RevokeAnswer.parse(body)).toEqual(body)
  return body
}

/** Every route that needs a token, called with `token`: the statuses, in order. */
async function statuses(token: string): Promise<number[]> {
  const envelope = { protocolVersion: PROTOCOL_VERSION, clientGroupId: 'g-dead', cookie: null }
  const push = { protocolVersion: PROTOCOL_VERSION, clientGroupId: 'g-dead', mutations: [
    { clientId: 'c-dead', id: 1, name: 'child.upsert', args: { childId: 'chd-0001-1', firstName: 'X', birthDate: '2020-01-01' }, createdAt: TEST_NOW },
  ] }
  const responses = [
    await t.app.request('/api/sync/push', json(token, push)),
    await t.app.request('/api/sync/pull', json(token, envelope)),
    await t.app.request('/api/sync/poke', bearer(token)),
    await t.app.request(`/api/sync/poke?token=${encodeURIComponent(token)}`),
    await t.app.request('/api/me', bearer(token)),
    await t.app.request('/api/auth/logout', json(token, {})),
    await t.app.request('/api/office/liquidation?from=2026-11-01&to=2026-11-30', bearer(token)),
    await t.app.request('/api/office/codes/revoke', json(token, { familyId: 'fam-0004' })),
  ]
  for (const res of responses) {
    if (res.status === 401) expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthorized')
    else await res.body?.cancel()
  }
  return responses.map((r) => r.status)
}
const ALL_401 = Array.from({ length: 8 }, () => 401)

/** Opens a poke stream; `ended` resolves with the text once the server closes it. */
async function openPoke(token: string) {
  const controller = new AbortController()
  const res = await t.app.request('/api/sync/poke', { ...bearer(token), signal: controller.signal })
  expect(res.status).toBe(200)
  const reader = res.body?.getReader()
  let text = ''
  const ended = (async () => {
    for (;;) {
      const chunk = await reader?.read().catch(() => ({ done: true as const, value: undefined }))
      if (!chunk || chunk.done) return text
      text += new TextDecoder().decode(chunk.value)
    }
  })()
  const within = (ms: number) => Promise.race([ended.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), ms))])
  return { text: () => text, within, close: () => controller.abort() }
}

describe('POST /api/office/codes/revoke', () => {
  it('revokes a family’s code and every one of its devices: 401 everywhere, nothing written, the other families untouched', async () => {
    const [phoneA, phoneB, other] = await Promise.all([activate(t.app, 'FAM-0001'), activate(t.app, 'FAM-0001'), activate(t.app, 'FAM-0002')])
    const fam = new SyncClient(t.app, phoneA)
    // A child added (a child with a voucher keeps its birth date: only the office changes it).
    expect((await fam.push('child.upsert', { childId: 'chd-0001-9', firstName: 'Giulia', birthDate: '2024-05-01' })).status).toBe('applied')
    const streamA = await openPoke(phoneA)
    const streamOther = await openPoke(other)

    const res = await revoke(officer, { familyId: 'fam-0001' })
    expect(res.status).toBe(200)
    expect(await answer(res)).toEqual({ revokedCodes: 1, revokedTokens: 2 })

    // The open stream hears one last poke (pull → 401 → the phone signs out) and closes at once.
    expect(await streamA.within(2000)).toBe(true)
    expect(streamA.text()).toContain('event: poke')
    expect(await streamOther.within(400)).toBe(false) // others' streams stay open through heartbeats
    streamOther.close()

    const before = await rowCounts(t.db)
    expect(await statuses(phoneA)).toEqual(ALL_401)
    expect(await statuses(phoneB)).toEqual(ALL_401)
    expect(await rowCounts(t.db)).toEqual(before)
    expect((await t.app.request('/api/auth/activate', json(null, { code: 'FAM-0001' }))).status).toBe(401)
    expect((await t.app.request('/api/me', bearer(other))).status).toBe(200)
    expect((await new SyncClient(t.app, other).push('booking.cancel', { bookingId: uniqueId('none') })).code).toBe('not-found')

    // Revoking again revokes nothing more.
    expect(await answer(await revoke(officer, { familyId: 'fam-0001' }))).toEqual({ revokedCodes: 0, revokedTokens: 0 })
  })

  it('revokes a provider’s code by its text (any case) or by provider id', async () => {
    const [koala, igea] = await Promise.all([activate(t.app, 'PRV-KOALA'), activate(t.app, 'PRV-IGEA')])
    expect(await answer(await revoke(officer, { code: ' prv-koala ' }))).toEqual({ revokedCodes: 1, revokedTokens: 1 })
    expect(await statuses(koala)).toEqual(ALL_401)
    expect(await answer(await revoke(officer, { providerId: 'prv-igea' }))).toEqual({ revokedCodes: 1, revokedTokens: 1 })
    expect(await statuses(igea)).toEqual(ALL_401)
    expect((await t.app.request('/api/auth/activate', json(null, { code: 'PRV-IGEA' }))).status).toBe(401)
  })

  it('is for officers only (403), of their own program (404), with exactly one target (400)', async () => {
    const [parent, provider] = await Promise.all([activate(t.app, 'FAM-0003'), activate(t.app, 'PRV-ALTANA')])
    for (const token of [parent, provider]) {
      const res = await revoke(token, { familyId: 'fam-0003' })
      expect(res.status).toBe(403)
      expect(OfficeError.parse(await res.json()).error.code).toBe('forbidden')
    }
    await t.db.exec(`
      INSERT INTO programs (id, name, short_name, agency, voucher_amount_cents, voucher_coverage_percent, time_zone)
        VALUES ('prg-other', 'Altro', 'Altro', 'ASL', 30000, 100, 'Europe/Rome');
      INSERT INTO families (id, program_id, name) VALUES ('fam-other', 'prg-other', 'Famiglia Altrove');
      INSERT INTO activation_codes (id, code_hash, role, program_id, family_id, display_name)
        VALUES ('cod-fam-other', '${sha256('FAM-OTHER')}', 'parent', 'prg-other', 'fam-other', 'Famiglia Altrove');`)
    for (const body of [{ familyId: 'fam-other' }, { code: 'FAM-OTHER' }, { familyId: 'fam-9999' }, { providerId: 'prv-nowhere' }, { code: 'NOPE-1' }]) {
      const res = await revoke(officer, body)
      expect(res.status).toBe(404)
      expect(OfficeError.parse(await res.json()).error.code).toBe('not-found')
    }
    const [other] = await t.db.query<{ revoked: boolean }>("SELECT revoked_at IS NOT NULL AS revoked FROM activation_codes WHERE id = 'cod-fam-other'")
    expect(other?.revoked).toBe(false)
    for (const body of [{}, { familyId: 'fam-0003', providerId: 'prv-altana' }, { familyId: "fam' OR '1'='1" }, { code: 'FAM-0003', extra: 1 }, '{']) {
      const res = await revoke(officer, body)
      expect(res.status).toBe(400)
    }
    expect((await t.app.request('/api/me', bearer(parent))).status).toBe(200)
  })
})

describe('tokens that are not (or no longer) valid', () => {
  it('forged: a real token with one character changed, its stored hash, another case, padding — 401 everywhere', async () => {
    const real = await activate(t.app, 'FAM-0003')
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1)
    const before = await rowCounts(t.db)
    for (const forged of [flip(real, 0), flip(real, real.length - 1), sha256(real), real.toLowerCase() === real ? real.toUpperCase() : real.toLowerCase(), `${real}=`, `${real}${real}`]) {
      expect(await statuses(forged)).toEqual(ALL_401)
    }
    expect(await rowCounts(t.db)).toEqual(before)
    expect((await t.app.request('/api/me', bearer(real))).status).toBe(200)
  })

  it('expired: 401 everywhere once expires_at has passed, and an open poke stream closes at its next heartbeat', async () => {
    const token = await activate(t.app, 'FAM-0004')
    const stream = await openPoke(token)
    expect(await stream.within(300)).toBe(false)
    const [row] = await t.db.query<{ expiresAt: string }>('SELECT expires_at AS "expiresAt" FROM tokens WHERE token_hash = $1', [sha256(token)])
    t.clock.set(new Date(Date.parse(row?.expiresAt ?? '') + 1000).toISOString())
    try {
      expect(await stream.within(2000)).toBe(true)
      expect(stream.text()).toContain('event: poke')
      const before = await rowCounts(t.db)
      expect(await statuses(token)).toEqual(ALL_401)
      expect(await rowCounts(t.db)).toEqual(before)
    } finally {
      t.clock.set(TEST_NOW)
    }
    expect((await t.app.request('/api/me', bearer(token))).status).toBe(200) // only time made it invalid
  })

  it('logged out: this device 401, its open stream closes at the next heartbeat', async () => {
    const token = await activate(t.app, 'FAM-0004')
    const stream = await openPoke(token)
    expect((await t.app.request('/api/auth/logout', json(token, {}))).status).toBe(200)
    expect(await stream.within(2000)).toBe(true)
    expect(await statuses(token)).toEqual(ALL_401)
  })
})
