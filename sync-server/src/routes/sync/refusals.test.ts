/** Every rejection code is reachable in practice, stored, and returned by pull until acknowledged. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MESSAGES } from '../../../../shared/errors.ts'
import type { MutationResult } from '../../../../shared/sync/protocol.ts'
import { invariantViolations, rowCounts } from '../../test/db-checks.ts'
import { activateAll, SyncClient, uniqueId } from '../../test/sync-client.ts'
import { createTestServer, type TestServer } from '../../test/test-server.ts'

let t: TestServer
let fam1: SyncClient
let fam2: SyncClient
let fam3: SyncClient
beforeAll(async () => {
  t = await createTestServer({ families: 3 })
  ;[fam1, fam2, fam3] = await activateAll(t.app, ['FAM-0001', 'FAM-0002', 'FAM-0003'])
})
afterAll(() => t.close())

const request = (childId: string, sessionId: string, quantity = 1, extra: Record<string, unknown> = {}) => ({
  bookingId: uniqueId('bk'), childId, sessionId, quantity, ...extra,
})

/** Pushes one mutation expecting a refusal; checks the message, that nothing changed but the result row. */
async function refused(client: SyncClient, name: string, args: unknown, code: string): Promise<MutationResult> {
  const before = await rowCounts(t.db)
  const result = await client.push(name, args)
  expect(result).toMatchObject({ status: 'rejected', code, message: MESSAGES[code as keyof typeof MESSAGES].it })
  expect(result.details?.messageEn).toBe(MESSAGES[code as keyof typeof MESSAGES].en)
  const after = await rowCounts(t.db)
  expect(after.bookings).toBe(before.bookings)
  expect(after.voucher_ledger).toBe(before.voucher_ledger)
  expect(after.mutation_results).toBe((before.mutation_results ?? 0) + 1)
  return result
}

describe('refusals', () => {
  it('capacity-full, with alternatives of the same service that still have places', async () => {
    const session = 'ses-filika-counselling-20261124' // one place
    expect((await fam1.push('booking.request', request('chd-0001-1', session))).status).toBe('applied')
    const r = await refused(fam2, 'booking.request', request('chd-0002-1', session), 'capacity-full')
    const alternatives = r.details?.alternatives as { sessionId: string; placesLeft: number }[]
    expect(alternatives.length).toBeGreaterThan(0)
    expect(alternatives.every((a) => a.sessionId !== session && a.placesLeft > 0 && a.sessionId.includes('counselling'))).toBe(true)
  })

  it('voucher-insufficient, with the remaining balance', async () => {
    // Babysitting 8 h × €15 = €120; the €300 voucher covers two such requests, not three.
    for (const day of ['20261123', '20261124']) {
      expect((await fam2.push('booking.request', request('chd-0002-2', `ses-umana-babysitting-${day}`, 8))).status).toBe('applied')
    }
    const r = await refused(fam2, 'booking.request', request('chd-0002-2', 'ses-umana-babysitting-20261125', 8), 'voucher-insufficient')
    expect(r.details).toMatchObject({ balanceCents: 6000, neededCents: 12000 })
  })

  it('session-closed when the provider closed it, and when it has started', async () => {
    await t.db.query("UPDATE sessions SET status = 'closed' WHERE id = 'ses-koala-play-space-20261124'")
    const r = await refused(fam1, 'booking.request', request('chd-0001-1', 'ses-koala-play-space-20261124'), 'session-closed')
    expect(Array.isArray(r.details?.alternatives)).toBe(true)
    t.clock.set('2026-11-23T09:00:00.000Z') // Monday 10:00 in Rome: the 08:00 nursery session has started
    try {
      await refused(fam1, 'booking.request', request('chd-0001-1', 'ses-altana-nursery-20261123'), 'session-closed')
    } finally {
      t.clock.set('2026-11-22T07:00:00.000Z')
    }
  })

  it('price-changed when the phone showed another price', async () => {
    const r = await refused(fam3, 'booking.request', request('chd-0003-1', 'ses-alcenero-after-school-20261125', 1, { expectedUnitPriceCents: 2000 }), 'price-changed')
    expect(r.details).toMatchObject({ unitPriceCents: 2500, totalCents: 2500 })
  })

  it('child-ineligible when the age is outside the service range', async () => {
    // Tommaso is 14: babysitting is for 0–12.
    const r = await refused(fam3, 'booking.request', request('chd-0003-2', 'ses-altana-babysitting-20261127', 2), 'child-ineligible')
    expect(r.details).toMatchObject({ age: 14, ageMinYears: 0, ageMaxYears: 12 })
  })

  it('invalid-state when the order already moved on (cancel after the provider declined)', async () => {
    const args = request('chd-0003-1', 'ses-casalasco-after-school-20261127')
    expect((await fam3.push('booking.request', args)).status).toBe('applied')
    const prv = await SyncClient.activate(t.app, 'PRV-CASALASCO')
    expect((await prv.push('booking.decline', { bookingId: args.bookingId, reason: 'Gruppo al completo' })).status).toBe('applied')
    await refused(fam3, 'booking.cancel', { bookingId: args.bookingId }, 'invalid-state')
    await fam3.pull()
    expect(fam3.get('booking', args.bookingId)).toMatchObject({ status: 'declined', declineReason: 'Gruppo al completo' })
  })

  it('forbidden: another family’s child, another provider’s order, a role that may not', async () => {
    await refused(fam1, 'booking.request', request('chd-0002-1', 'ses-altana-babysitting-20261128'), 'forbidden')
    const args = request('chd-0001-2', 'ses-altana-after-school-20261127')
    expect((await fam1.push('booking.request', args)).status).toBe('applied')
    const other = await SyncClient.activate(t.app, 'PRV-KOALA')
    await refused(other, 'booking.confirm', { bookingId: args.bookingId }, 'forbidden')
    await refused(other, 'booking.request', request('chd-0001-2', 'ses-koala-camp-20261130'), 'forbidden')
    const officer = await SyncClient.activate(t.app, 'OFFICER-1')
    await refused(officer, 'booking.cancel', { bookingId: args.bookingId }, 'forbidden')
    await refused(fam2, 'child.upsert', { childId: 'chd-0001-1', firstName: 'Mallory', birthDate: '2020-01-01' }, 'forbidden')
  })

  it('not-found for a session, booking or operator that does not exist', async () => {
    await refused(fam1, 'booking.request', request('chd-0001-1', 'ses-nowhere-20261124'), 'not-found')
    await refused(fam1, 'booking.cancel', { bookingId: 'no-such-booking' }, 'not-found')
    const args = request('chd-0001-1', 'ses-altana-babysitting-20261130')
    expect((await fam1.push('booking.request', args)).status).toBe('applied')
    const prv = await SyncClient.activate(t.app, 'PRV-ALTANA')
    await refused(prv, 'booking.confirm', { bookingId: args.bookingId, operatorId: 'opr-koala-1' }, 'not-found')
  })

  it('validation for unknown mutations and bad args inside a valid envelope', async () => {
    await refused(fam1, 'booking.teleport', { bookingId: 'x' }, 'validation')
    await refused(fam1, 'booking.request', { bookingId: 'x', childId: 'chd-0001-1', sessionId: 's', quantity: -1 }, 'validation')
    await refused(fam1, 'booking.request', request('chd-0001-1', 'ses-altana-babysitting-20261201', 9), 'validation')
  })

  it('keeps the database invariants through all of the above', async () => {
    expect(await invariantViolations(t.db)).toEqual([])
  })
})

describe('results are data', () => {
  it('returns refusals by pull until acknowledged, then forgets them', async () => {
    const client = new SyncClient(t.app, fam1.token)
    const r1 = await client.push('booking.cancel', { bookingId: 'ghost-1' })
    const r2 = await client.push('booking.cancel', { bookingId: 'ghost-2' })
    expect([r1.code, r2.code]).toEqual(['not-found', 'not-found'])

    const first = await client.pull({ ack: false })
    expect(first.results.map((r) => r.id)).toEqual([1, 2])
    expect(first.results[0]).toMatchObject({ clientId: client.clientId, status: 'rejected', code: 'not-found', message: MESSAGES['not-found'].it })
    expect((await client.pull({ ack: false })).results).toHaveLength(2) // the response was "lost": sent again

    client.acked = { [client.clientId]: 1 }
    expect((await client.pull()).results.map((r) => r.id)).toEqual([2])
    client.acked = { [client.clientId]: 2 }
    expect((await client.pull()).results).toEqual([])
    expect((await client.pull({ ack: false })).results).toEqual([])
    expect((await client.pull()).lastMutationIds).toEqual({ [client.clientId]: 2 })
  })

  it('does not let another principal acknowledge (delete) my results', async () => {
    const mine = new SyncClient(t.app, fam2.token)
    await mine.push('booking.cancel', { bookingId: 'ghost-3' })
    const other = new SyncClient(t.app, fam3.token, uniqueId('c'), mine.clientGroupId)
    other.acked = { [mine.clientId]: 99 }
    const seen = await other.pull()
    expect(seen.results).toEqual([])
    expect(seen.lastMutationIds).toEqual({})
    expect((await mine.pull({ ack: false })).results).toHaveLength(1)
  })
})
