import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PROTOCOL_VERSION, type EntityName } from '../../../../shared/sync/protocol.ts'
import { schemaFor } from '../../../../shared/entities/registry.ts'
import { invariantViolations, rowCounts } from '../../test/db-checks.ts'
import { json, SyncClient, uniqueId } from '../../test/sync-client.ts'
import { createTestServer, TEST_NOW, type TestServer } from '../../test/test-server.ts'

let t: TestServer
beforeAll(async () => {
  t = await createTestServer({ families: 6 })
})
afterAll(() => t.close())

const request = (childId: string, sessionId: string, quantity = 1, extra: Record<string, unknown> = {}) => ({
  bookingId: uniqueId('bk'), childId, sessionId, quantity, ...extra,
})

describe('push → pull round trip', () => {
  it('applies a booking and pulls back the booking, the held voucher and the taken place', async () => {
    const fam = await SyncClient.activate(t.app, 'FAM-0001')
    await fam.pull()
    const session = 'ses-altana-babysitting-20261123'
    expect(fam.get('session', session)).toMatchObject({ places: 2, placesLeft: 2 })
    const args = request('chd-0001-1', session, 3, { expectedUnitPriceCents: 1500, note: 'Febbre da ieri' })
    expect(await fam.push('booking.request', args)).toEqual({ clientId: fam.clientId, id: 1, status: 'applied' })

    const out = await fam.pull()
    expect(out.reset).toBe(false)
    expect(out.lastMutationIds).toEqual({ [fam.clientId]: 1 })
    for (const c of out.changes) expect(schemaFor(c.entity as EntityName, 'parent').safeParse(c.value).success).toBe(true)
    expect(out.changes.map((c) => `${c.entity}:${c.key}`).sort()).toEqual([`booking:${args.bookingId}`, `session:${session}`, 'voucher:vch-0001-1'])
    expect(fam.get('booking', args.bookingId)).toMatchObject({
      status: 'requested', quantity: 3, totalCents: 4500, voucherCents: 4500, copayCents: 0, childFirstName: 'Giulia', note: 'Febbre da ieri',
      createdAt: '2026-11-22T07:00:00.000Z',
    })
    expect(fam.get('voucher', 'vch-0001-1')).toMatchObject({ amountCents: 30000, balanceCents: 25500, heldCents: 4500, spentCents: 0 })
    expect(fam.get('session', session)).toMatchObject({ placesLeft: 1 })

    // The provider confirms and delivers; the family sees it and the voucher is spent.
    const prv = await SyncClient.activate(t.app, 'PRV-ALTANA')
    expect((await prv.push('booking.confirm', { bookingId: args.bookingId, operatorId: 'opr-altana-1' })).status).toBe('applied')
    t.clock.set('2026-11-23T10:00:00.000Z') // a delivery is recorded once the session has started
    expect((await prv.push('booking.deliver', { bookingId: args.bookingId })).status).toBe('applied')
    t.clock.set(TEST_NOW)
    await fam.pull()
    expect(fam.get('booking', args.bookingId)).toMatchObject({ status: 'delivered', operatorId: 'opr-altana-1' })
    expect(fam.get('voucher', 'vch-0001-1')).toMatchObject({ balanceCents: 25500, heldCents: 0, spentCents: 4500 })
    expect(fam.get('session', session)).toMatchObject({ placesLeft: 1 })
    expect(await invariantViolations(t.db)).toEqual([])
  })

  it('processes a batch in order, each mutation on its own', async () => {
    const fam = await SyncClient.activate(t.app, 'FAM-0002')
    const a = request('chd-0002-1', 'ses-koala-babysitting-20261124', 2)
    const results = await fam.pushMany([
      fam.mutation('booking.request', a),
      fam.mutation('booking.cancel', { bookingId: a.bookingId }),
      fam.mutation('booking.cancel', { bookingId: a.bookingId }),
      fam.mutation('child.upsert', { childId: 'chd-0002-1', firstName: 'Sofia Maria', birthDate: '2021-09-09' }),
    ])
    expect(results.map((r) => r.status)).toEqual(['applied', 'applied', 'rejected', 'applied'])
    expect(results[2]?.code).toBe('invalid-state')
    await fam.pull()
    expect(fam.get('booking', a.bookingId)).toMatchObject({ status: 'cancelled' })
    expect(fam.get('voucher', 'vch-0002-1')).toMatchObject({ balanceCents: 30000, heldCents: 0 })
    expect(fam.get('child', 'chd-0002-1')).toMatchObject({ firstName: 'Sofia Maria' })
    expect(await invariantViolations(t.db)).toEqual([])
  })
})

describe('idempotency and ordering', () => {
  it('answers a replayed mutation already-processed and changes nothing', async () => {
    const fam = await SyncClient.activate(t.app, 'FAM-0003')
    const m = fam.mutation('booking.request', request('chd-0003-1', 'ses-umana-after-school-20261125'))
    expect((await fam.pushMany([m]))[0]?.status).toBe('applied')
    const before = await rowCounts(t.db)
    const again = await fam.pushMany([m, m])
    expect(again).toEqual([
      { clientId: fam.clientId, id: 1, status: 'already-processed' },
      { clientId: fam.clientId, id: 1, status: 'already-processed' },
    ])
    expect(await rowCounts(t.db)).toEqual(before)
  })

  it('stops the batch at a gap; the client resends from the gap', async () => {
    const fam = await SyncClient.activate(t.app, 'FAM-0004')
    const m1 = fam.mutation('child.upsert', { childId: 'new-0004-1', firstName: 'Emma', birthDate: '2025-08-01' }, 1)
    const m3 = fam.mutation('child.upsert', { childId: 'new-0004-1', firstName: 'Emma T', birthDate: '2025-08-01' }, 3)
    const m2 = fam.mutation('child.upsert', { childId: 'new-0004-2', firstName: 'Leo', birthDate: '2020-01-01' }, 2)
    expect(await fam.pushMany([m1, m3, m2])).toEqual([{ clientId: fam.clientId, id: 1, status: 'applied' }])
    const firstOnly = await fam.pull()
    expect(firstOnly.lastMutationIds[fam.clientId]).toBe(1)
    expect((await fam.pushMany([m2, m3])).map((r) => r.status)).toEqual(['applied', 'applied'])
    await fam.pull()
    expect(fam.get('child', 'new-0004-1')).toMatchObject({ firstName: 'Emma T' })
    expect(fam.get('child', 'new-0004-2')).toMatchObject({ firstName: 'Leo' })
  })

  it('a first push starting past 1 is a gap: nothing applied', async () => {
    const fam = await SyncClient.activate(t.app, 'FAM-0004')
    expect(await fam.pushMany([fam.mutation('child.upsert', { childId: 'new-0004-1', firstName: 'X', birthDate: '2025-08-01' }, 5)])).toEqual([])
  })

  it('keeps two tabs of one client consistent: the same mutation pushed twice at once applies once', async () => {
    const fam = await SyncClient.activate(t.app, 'FAM-0005')
    const args = request('chd-0005-1', 'ses-tantetinte-babysitting-20261126', 1)
    const m = fam.mutation('booking.request', args)
    const both = await Promise.all([fam.pushMany([m]), fam.pushMany([m])])
    expect(both.map((r) => r[0]?.status).sort()).toEqual(['already-processed', 'applied'])
    const [row] = await t.db.query<{ n: number }>('SELECT count(*) AS n FROM bookings WHERE id = $1', [args.bookingId])
    expect(row?.n).toBe(1)
  })
})

describe('client ownership and protocol version', () => {
  it('refuses a client id that belongs to another principal, writing nothing', async () => {
    const owner = await SyncClient.activate(t.app, 'FAM-0006')
    expect((await owner.push('child.upsert', { childId: 'new-0006-1', firstName: 'Ada', birthDate: '2024-01-01' })).status).toBe('applied')
    const thief = new SyncClient(t.app, (await SyncClient.activate(t.app, 'FAM-0001')).token, owner.clientId, owner.clientGroupId)
    const before = await rowCounts(t.db)
    const res = await thief.pushRaw([thief.mutation('child.upsert', { childId: 'chd-0001-1', firstName: 'Eve', birthDate: '2024-01-01' }, 2)])
    expect(res.status).toBe(403)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('client-forbidden')
    expect(await rowCounts(t.db)).toEqual(before)
    // …and its pull does not reveal the owner's lastMutationIds.
    expect((await thief.pull()).lastMutationIds).toEqual({})
  })

  it('answers another protocol version with 409 version-skew', async () => {
    const fam = await SyncClient.activate(t.app, 'FAM-0001')
    for (const path of ['/api/sync/push', '/api/sync/pull']) {
      const res = await t.app.request(path, {
        method: 'POST',
        headers: { authorization: `Bearer ${fam.token}` },
        body: JSON.stringify({ protocolVersion: 2, clientGroupId: 'g', mutations: [], cookie: null }),
      })
      expect(res.status).toBe(409)
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('version-skew')
    }
  })

  it('tells an older client to update, writes nothing, and applies its kept queue once it speaks the current version', async () => {
    const fam = await SyncClient.activate(t.app, 'FAM-0003')
    const refused = await fam.push('booking.cancel', { bookingId: 'ghost-skew' }) // a result to (not) acknowledge
    expect(refused.code).toBe('not-found')
    const queue = [
      fam.mutation('booking.request', request('chd-0003-1', 'ses-umana-after-school-20261127')),
      fam.mutation('child.upsert', { childId: 'new-0003-1', firstName: 'Marco', birthDate: '2017-05-05' }),
    ]
    const before = await rowCounts(t.db)
    const old = PROTOCOL_VERSION - 1
    const res = await t.app.request('/api/sync/push', json(fam.token, { protocolVersion: old, clientGroupId: fam.clientGroupId, mutations: queue }))
    expect(res.status).toBe(409)
    const body = (await res.json()) as { error: { code: string; message: string; details: unknown } }
    expect(body.error).toMatchObject({ code: 'version-skew', details: { serverVersion: PROTOCOL_VERSION, clientVersion: old } })
    expect(body.error.message).toMatch(/aggiornata.*conservate/)
    const pull = await t.app.request('/api/sync/pull', json(fam.token, {
      protocolVersion: old, clientGroupId: fam.clientGroupId, cookie: null, resultsAcked: { [fam.clientId]: 99 },
    }))
    expect(pull.status).toBe(409)
    expect(await rowCounts(t.db)).toEqual(before) // nothing applied, no result acknowledged (deleted)

    // Updated, the phone sends the same queue: it applies, in order, from where it left off.
    expect((await fam.pushMany(queue)).map((r) => r.status)).toEqual(['applied', 'applied'])
    expect((await fam.pull({ ack: false })).results.map((r) => r.code)).toEqual(['not-found'])
  })
})
