/**
 * booking.deliver over the real push path: a partial delivery consumes the delivered share and
 * releases the rest (the ledger and the database's invariants agree), a no-show releases it all,
 * a delivery before the session starts or dated outside it is refused and writes nothing, and the
 * office's liquidation counts the delivered share.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { invariantViolations } from '../../test/db-checks.ts'
import { activateAll, type SyncClient, uniqueId } from '../../test/sync-client.ts'
import { createTestServer, TEST_NOW, type TestServer } from '../../test/test-server.ts'

let t: TestServer
let fam: SyncClient
let prv: SyncClient
let officer: SyncClient
beforeAll(async () => {
  t = await createTestServer({ families: 1 })
  ;[fam, prv, officer] = await activateAll(t.app, ['FAM-0001', 'PRV-ALTANA', 'OFFICER-1'])
})
afterAll(() => t.close())

async function confirmedBooking(sessionId: string, childId: string, quantity: number) {
  const bookingId = uniqueId('dl')
  expect((await fam.push('booking.request', { bookingId, childId, sessionId, quantity })).status).toBe('applied')
  expect((await prv.push('booking.confirm', { bookingId })).status).toBe('applied')
  return bookingId
}
const ledger = async (bookingId: string) =>
  (await t.db.query<{ kind: string; amount: number }>('SELECT kind, amount_cents AS amount FROM voucher_ledger WHERE booking_id = $1 ORDER BY id', [bookingId]))
    .map((r) => [r.kind, r.amount])

describe('booking.deliver', () => {
  it('refuses a delivery before the session starts, and one dated outside it; nothing is written', async () => {
    const bookingId = await confirmedBooking('ses-altana-babysitting-20261124', 'chd-0001-1', 2)
    expect(await prv.push('booking.deliver', { bookingId })).toMatchObject({ status: 'rejected', code: 'invalid-state', details: { reason: 'not-started' } })
    t.clock.set('2026-11-24T10:00:00.000Z')
    expect(await prv.push('booking.deliver', { bookingId, deliveredAt: '2026-11-24T19:30:00.000Z' }))
      .toMatchObject({ status: 'rejected', code: 'invalid-state', details: { reason: 'outside-session' } })
    t.clock.set(TEST_NOW)
    expect(await ledger(bookingId)).toEqual([['hold', 3000]])
    expect(await invariantViolations(t.db)).toEqual([])
  })

  it('partial: the voucher spends the delivered hours, gets the rest back, and the family and the office see it', async () => {
    const bookingId = await confirmedBooking('ses-altana-babysitting-20261123', 'chd-0001-1', 4) // 4 h × 15 € held
    t.clock.set('2026-11-23T16:00:00.000Z')
    expect((await prv.push('booking.deliver', { bookingId, deliveredQuantity: 3, deliveredAt: '2026-11-23T15:00:00.000Z' })).status).toBe('applied')
    t.clock.set(TEST_NOW)
    await fam.pull()
    expect(fam.get('booking', bookingId)).toMatchObject({ status: 'delivered', quantity: 4, deliveredQuantity: 3, totalCents: 4500, voucherCents: 4500, noShow: false })
    expect(fam.get('booking', bookingId)).not.toHaveProperty('deliveredBy') // who of the staff: not the family's business
    await prv.pull()
    expect(prv.get('booking', bookingId)).toMatchObject({ deliveredBy: 'person:cod-prv-altana', confirmedBy: 'person:cod-prv-altana' })
    expect(await ledger(bookingId)).toEqual([['hold', 6000], ['consume', 4500], ['release', 1500]])
    const res = await t.app.request('/api/office/liquidation?from=2026-11-23&to=2026-11-23', { headers: { authorization: `Bearer ${officer.token}` } })
    expect(((await res.json()) as { totalCents: number }).totalCents).toBe(4500)
    expect(await invariantViolations(t.db)).toEqual([])
  })

  it('no-show: recorded, nothing spent, the whole hold released', async () => {
    const bookingId = await confirmedBooking('ses-altana-babysitting-20261125', 'chd-0001-2', 2)
    const before = (await t.db.query<{ balance: number }>("SELECT balance_cents AS balance FROM vouchers WHERE child_id = 'chd-0001-2'"))[0]?.balance ?? 0
    t.clock.set('2026-11-25T18:30:00.000Z') // after the session: dated at its end
    expect((await prv.push('booking.deliver', { bookingId, noShow: true })).status).toBe('applied')
    t.clock.set(TEST_NOW)
    const [row] = await t.db.query('SELECT status, no_show AS "noShow", delivered_quantity AS q, voucher_cents AS v, delivered_at AS at FROM bookings WHERE id = $1', [bookingId])
    expect(row).toMatchObject({ status: 'delivered', noShow: true, q: 0, v: 0 })
    expect(new Date(String((row as { at: unknown }).at)).toISOString()).toBe('2026-11-25T18:00:00.000Z')
    const after = (await t.db.query<{ balance: number }>("SELECT balance_cents AS balance FROM vouchers WHERE child_id = 'chd-0001-2'"))[0]?.balance ?? 0
    expect(after - before).toBe(3000)
    expect(await invariantViolations(t.db)).toEqual([])
  })
})
