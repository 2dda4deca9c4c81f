import { gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PAST_SESSIONS_KEPT_DAYS, PROTOCOL_VERSION, PullResponse, type EntityName } from '../../../../shared/sync/protocol.ts'
import { schemaFor } from '../../../../shared/entities/registry.ts'
import { encodeCookie } from '../../services/sync/cookie.ts'
import { activate, activateAll, SyncClient, uniqueId } from '../../test/sync-client.ts'
import { COMPRESS_FROM_BYTES } from '../http.ts'
import { createTestServer, TEST_NOW, type TestServer } from '../../test/test-server.ts'

let t: TestServer
beforeAll(async () => {
  t = await createTestServer({ families: 3 })
})
afterAll(() => t.close())

const request = (childId: string, sessionId: string) => ({ bookingId: uniqueId('bk'), childId, sessionId, quantity: 1 })
const keys = (c: SyncClient, entity: string) => c.rows<{ id: string }>(entity).map((r) => r.id).sort()

describe('a first pull leaves out sessions long past that nothing in it refers to', () => {
  let own: TestServer // its own database: the rows planted here would show in the other tests' pulls
  beforeAll(async () => {
    own = await createTestServer({ families: 1 })
  })
  afterAll(() => own.close())
  const DAY = 86_400_000
  const ago = (days: number) => new Date(Date.parse(TEST_NOW) - days * DAY).toISOString()

  /** A session of Altana's nursery that ended `days` ago, stamped as the server stamps its writes. */
  async function pastSession(id: string, days: number) {
    await own.db.query(
      `INSERT INTO sessions (id, service_id, provider_id, territory_id, starts_at, ends_at, places, places_left, unit_price_cents, units_max, status)
       SELECT $1, service_id, provider_id, territory_id, $2, $3, places, places_left, unit_price_cents, units_max, status
       FROM sessions WHERE id = 'ses-altana-nursery-20261123'`,
      [id, ago(days + 0.1), ago(days)])
    await own.db.query(`INSERT INTO row_versions (space, entity, key, deleted) VALUES ('catalog:prv-altana', 'session', $1, false)`, [id])
  }

  it('keeps recent ones and those a booking of the pull refers to; a later change brings one back', async () => {
    const [unbooked, booked, recent] = [uniqueId('ses-old'), uniqueId('ses-old'), uniqueId('ses-recent')]
    await pastSession(unbooked, 30)
    await pastSession(booked, 30)
    await pastSession(recent, PAST_SESSIONS_KEPT_DAYS - 2)
    const bookingId = uniqueId('bk-old')
    await own.db.query(
      `INSERT INTO bookings (id, child_id, family_id, session_id, service_id, provider_id, quantity, status, unit_price_cents, total_cents,
         voucher_cents, copay_cents, child_first_name, created_at, updated_at)
       VALUES ($1, 'chd-0001-1', 'fam-0001', $2, 'svc-nursery', 'prv-altana', 1, 'cancelled', 0, 0, 0, 0, 'Test', $3, $3)`,
      [bookingId, booked, ago(40)])
    await own.db.query(`INSERT INTO row_versions (space, entity, key, deleted) VALUES ('family:fam-0001', 'booking', $1, false), ('orders:prv-altana', 'booking', $1, false)`, [bookingId])

    const fam = await SyncClient.activate(own.app, 'FAM-0001')
    await fam.pull()
    expect(fam.get('booking', bookingId)).toBeDefined()
    expect(fam.get('session', booked)).toBeDefined() // the family's own booking shows its session
    expect(fam.get('session', recent)).toBeDefined()
    expect(fam.get('session', unbooked)).toBeUndefined()
    expect(fam.get('session', 'ses-altana-nursery-20261123')).toBeDefined() // sessions to come, as ever

    const provider = await SyncClient.activate(own.app, 'PRV-ALTANA')
    await provider.pull()
    expect(provider.get('session', booked)).toBeDefined()
    expect(provider.get('session', unbooked)).toBeUndefined()

    // A change to a left-out session comes with the next pull, like any change.
    await own.db.query('UPDATE sessions SET places = places + 1 WHERE id = $1', [unbooked])
    await own.db.query(`UPDATE row_versions SET xid = pg_current_xact_id() WHERE key = $1`, [unbooked])
    await fam.pull()
    expect(fam.get('session', unbooked)).toBeDefined()
  })
})

describe('pull answers on the wire', () => {
  it('are gzip-compressed when large and the client accepts it, and say the same', async () => {
    const token = await activate(t.app, 'FAM-0001')
    const pullWith = (encoding: string | null, cookie: string | null = null) => t.app.request('/api/sync/pull', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(encoding ? { 'accept-encoding': encoding } : {}) },
      body: JSON.stringify({ protocolVersion: PROTOCOL_VERSION, clientGroupId: uniqueId('g'), cookie }),
    })
    const plain = await pullWith(null)
    const plainText = await plain.text()
    expect(plain.headers.get('content-encoding')).toBeNull()
    expect(plainText.length).toBeGreaterThan(COMPRESS_FROM_BYTES) // a first pull: the whole catalogue

    const zipped = await pullWith('gzip, deflate, br')
    expect(zipped.status).toBe(200)
    expect(zipped.headers.get('content-encoding')).toBe('gzip')
    expect(zipped.headers.get('vary')).toBe('Accept-Encoding')
    expect(zipped.headers.get('content-type')).toBe('application/json')
    const bytes = Buffer.from(await zipped.arrayBuffer())
    expect(bytes.length).toBeLessThan(plainText.length / 4)
    const unzipped = PullResponse.parse(JSON.parse(gunzipSync(bytes).toString('utf8')))
    expect(unzipped.changes).toEqual(PullResponse.parse(JSON.parse(plainText)).changes)

    // Nothing changed since: a small answer goes as it is.
    const small = await pullWith('gzip', unzipped.cookie)
    expect(small.headers.get('content-encoding')).toBeNull()
    expect(PullResponse.parse(await small.json()).changes).toEqual([])
  })
})

describe('a first pull (cookie null)', () => {
  it('gives a parent the catalogue and its own family, every value parsing with the shared schemas', async () => {
    const fam = await SyncClient.activate(t.app, 'FAM-0001')
    const raw = await fam.pull()
    expect(raw.reset).toBe(true)
    const out = PullResponse.parse(raw)
    for (const c of out.changes) {
      const parsed = schemaFor(c.entity as EntityName, 'parent').safeParse(c.value)
      expect(parsed.success, `${c.entity} ${c.key}`).toBe(true)
      expect(c.op).toBe('put')
    }
    expect(keys(fam, 'program')).toEqual(['prg-conciliare'])
    expect(keys(fam, 'territory')).toHaveLength(4)
    expect(keys(fam, 'provider')).toHaveLength(13)
    expect(keys(fam, 'service')).toHaveLength(10)
    expect(keys(fam, 'operator')).toEqual([]) // never a cooperative's staff list (a booking names its operator)
    expect(fam.rows('session').length).toBeGreaterThan(200)
    expect(keys(fam, 'family')).toEqual(['fam-0001'])
    expect(keys(fam, 'child')).toEqual(['chd-0001-1', 'chd-0001-2'])
    expect(keys(fam, 'voucher')).toEqual(['vch-0001-1', 'vch-0001-2'])
    expect(fam.get('program', 'prg-conciliare')).toMatchObject({ voucherAmountCents: 30000, voucherCoveragePercent: 100, timeZone: 'Europe/Rome', agency: 'ATS Val Padana' })
    const session = fam.get<{ startsAt: string }>('session', 'ses-altana-nursery-20261123')
    expect(session?.startsAt).toBe('2026-11-23T07:00:00.000Z') // 08:00 in Rome
  })
})

describe('scoping', () => {
  it('never shows a family another family’s rows; providers see their own orders; the officer sees all', async () => {
    const [f1, f2, altana, koala, officer] = await activateAll(t.app, ['FAM-0001', 'FAM-0002', 'PRV-ALTANA', 'PRV-KOALA', 'OFFICER-1'])
    const b1 = request('chd-0001-1', 'ses-altana-babysitting-20261124')
    const b2 = request('chd-0002-1', 'ses-koala-babysitting-20261124')
    expect((await f1.push('booking.request', b1)).status).toBe('applied')
    expect((await f2.push('booking.request', b2)).status).toBe('applied')
    await Promise.all([f1, f2, altana, koala, officer].map((c) => c.pull()))

    expect(keys(f1, 'booking')).toEqual([b1.bookingId])
    expect(keys(f2, 'booking')).toEqual([b2.bookingId])
    expect(keys(f2, 'child')).toEqual(['chd-0002-1', 'chd-0002-2'])
    expect(JSON.stringify([...f2.mirror.values()].map((m) => [...m.values()]))).not.toContain('fam-0001')

    expect(keys(altana, 'booking')).toEqual([b1.bookingId])
    expect(altana.get('booking', b1.bookingId)).toMatchObject({ childFirstName: 'Giulia', status: 'requested' })
    expect(keys(koala, 'booking')).toEqual([b2.bookingId])
    for (const c of [altana, koala, officer]) {
      expect(c.rows('child')).toEqual([])
      expect(c.rows('voucher')).toEqual([])
      expect(c.rows('family')).toEqual([])
    }
    expect(keys(officer, 'booking')).toEqual([b1.bookingId, b2.bookingId].sort())
    expect(officer.rows('session').length).toBe(altana.rows('session').length)
  })
})

describe('cookies', () => {
  it('returns only what changed since the cookie, and nothing when nothing changed', async () => {
    const fam = await SyncClient.activate(t.app, 'FAM-0003')
    await fam.pull()
    const idle = await fam.pull()
    expect(idle.changes).toEqual([])
    expect(idle.reset).toBe(false)

    // Someone else's booking in a session this family sees: only that session's availability changes.
    const other = await SyncClient.activate(t.app, 'FAM-0002')
    expect((await other.push('booking.request', request('chd-0002-2', 'ses-cerchio-nursery-20261125'))).status).toBe('rejected') // Luca is 12
    expect((await other.push('booking.request', request('chd-0002-1', 'ses-cortile-accompaniment-20261125'))).status).toBe('rejected') // Sofia is 5
    const b = request('chd-0002-2', 'ses-cortile-accompaniment-20261125')
    expect((await other.push('booking.request', b)).status).toBe('applied')
    const delta = await fam.pull()
    expect(delta.changes.map((c) => `${c.entity}:${c.key}`)).toEqual(['session:ses-cortile-accompaniment-20261125'])
    expect(fam.get('session', 'ses-cortile-accompaniment-20261125')).toMatchObject({ places: 3, placesLeft: 2 })
  })

  it('an incremental mirror equals a fresh full pull', async () => {
    const inc = await SyncClient.activate(t.app, 'FAM-0001')
    await inc.pull()
    const prv = await SyncClient.activate(t.app, 'PRV-ALTANA')
    const b = request('chd-0001-2', 'ses-altana-after-school-20261125')
    await inc.push('booking.request', b)
    await inc.pull()
    await prv.push('booking.confirm', { bookingId: b.bookingId })
    await inc.push('child.upsert', { childId: 'chd-0001-3', firstName: 'Nina', birthDate: '2026-01-15' })
    await inc.pull()
    await inc.push('booking.cancel', { bookingId: b.bookingId })
    await inc.pull()
    const full = new SyncClient(t.app, inc.token)
    await full.pull()
    expect(inc.mirror).toEqual(full.mirror)
    expect(inc.get('booking', b.bookingId)).toMatchObject({ status: 'cancelled' })
    expect(inc.get('child', 'chd-0001-3')).toMatchObject({ firstName: 'Nina' })
  })

  it('starts over (reset) on a cookie it cannot trust: garbage, or from another database', async () => {
    const fam = await SyncClient.activate(t.app, 'FAM-0002')
    const first = await fam.pull()
    const body = JSON.parse(Buffer.from(first.cookie, 'base64url').toString()) as { e: string; s: string; h: string }
    const untrusted = [
      'garbage',
      "'; DROP TABLE row_versions; --",
      encodeCookie({ ...body, e: 'another-db' }),
      encodeCookie({ ...body, h: 'another-scope' }), // the token's spaces changed meanwhile
      encodeCookie({ ...body, s: "1:2:'); DROP TABLE row_versions; --" }), // not a snapshot
      encodeCookie({ ...body, s: '10:5:' }), // xmin after xmax: Postgres would refuse it
      encodeCookie({ ...body, s: '5:10:12' }), // in-progress id outside [xmin, xmax)
    ]
    for (const cookie of untrusted) {
      const out = await fam.pull({ cookie })
      expect(out.reset).toBe(true)
      expect(out.changes.some((c) => c.entity === 'voucher')).toBe(true)
    }
  })

  it('a forged cookie cannot widen the scope: the oldest possible snapshot still gives only the token’s rows', async () => {
    const fam = await SyncClient.activate(t.app, 'FAM-0003')
    const first = await fam.pull()
    const body = JSON.parse(Buffer.from(first.cookie, 'base64url').toString()) as { e: string; s: string; h: string }
    const out = await fam.pull({ cookie: encodeCookie({ ...body, s: '1:1:' }) })
    expect(out.reset).toBe(false)
    expect(out.changes.length).toBeGreaterThan(200) // everything in scope, again
    const text = JSON.stringify(out.changes)
    expect(text).not.toContain('fam-0001')
    expect(text).not.toContain('fam-0002')
    expect(out.changes.filter((c) => c.entity === 'booking')).toEqual([])
  })
})
