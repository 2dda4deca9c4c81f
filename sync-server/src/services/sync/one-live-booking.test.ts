/**
 * One child holds at most one live booking of a session (issue 10): the shared rule refuses a second
 * request with the first booking's id and quantity (the phone offers booking.changeQuantity on it),
 * and the partial unique index of migration 0009 stops two that race in separate transactions
 * (on Postgres: two apps with their own pools, like two server processes).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { invariantViolations } from '../../test/db-checks.ts'
import { activate, SyncClient, uniqueId } from '../../test/sync-client.ts'
import { createTestServer, type TestServer } from '../../test/test-server.ts'

let t: TestServer
let token: string
beforeAll(async () => {
  t = await createTestServer({ families: 1 })
  token = await activate(t.app, 'FAM-0001')
})
afterAll(() => t.close())

const child = 'chd-0001-1'
const COLUMNS = 'id, child_id, family_id, session_id, service_id, provider_id, quantity, status, unit_price_cents, total_cents, voucher_cents, copay_cents, child_first_name, created_at, updated_at'
const live = async (sessionId: string) =>
  (await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM bookings WHERE child_id = $1 AND session_id = $2 AND status IN ('requested', 'confirmed')", [child, sessionId]))[0]?.n

describe('one live booking per child and session', () => {
  it('refuses a second request naming the first; a changed quantity moves the hold; after a cancel the child may book again', async () => {
    const sessionId = 'ses-altana-babysitting-20261124'
    const phone = new SyncClient(t.app, token)
    const first = uniqueId('one')
    expect((await phone.push('booking.request', { bookingId: first, childId: child, sessionId, quantity: 2 })).status).toBe('applied')
    const second = await phone.push('booking.request', { bookingId: uniqueId('two'), childId: child, sessionId, quantity: 3 })
    expect(second).toMatchObject({ status: 'rejected', code: 'invalid-state', details: { reason: 'already-booked', bookingId: first, quantity: 2 } })
    expect(second.message).toMatch(/quantità/)
    expect(second.details?.messageEn).toMatch(/quantity/)

    expect((await phone.push('booking.changeQuantity', { bookingId: first, quantity: 3 })).status).toBe('applied')
    const [row] = await t.db.query<{ quantity: number; voucherCents: number }>('SELECT quantity, voucher_cents AS "voucherCents" FROM bookings WHERE id = $1', [first])
    expect(row).toEqual({ quantity: 3, voucherCents: 4500 })
    const moves = await t.db.query<{ kind: string; amountCents: number }>(
      'SELECT kind, amount_cents AS "amountCents" FROM voucher_ledger WHERE booking_id = $1 ORDER BY id', [first])
    expect(moves).toEqual([{ kind: 'hold', amountCents: 3000 }, { kind: 'release', amountCents: 3000 }, { kind: 'hold', amountCents: 4500 }])

    expect((await phone.push('booking.cancel', { bookingId: first })).status).toBe('applied')
    expect((await phone.push('booking.request', { bookingId: uniqueId('three'), childId: child, sessionId, quantity: 1 })).status).toBe('applied')
    expect(await live(sessionId)).toBe(1)
    expect(await invariantViolations(t.db)).toEqual([])
  })

  it('two requests racing from two phones: exactly one booking lives, the other is refused', async () => {
    const second = t.kind === 'postgres' ? await t.secondApp() : null
    const apps = [t.app, second?.app ?? t.app]
    for (const day of ['20261125', '20261126', '20261127']) {
      const sessionId = `ses-altana-babysitting-${day}`
      const results = await Promise.all(apps.map((app, i) =>
        new SyncClient(app, token).push('booking.request', { bookingId: uniqueId(`race${i}`), childId: child, sessionId, quantity: 1 })))
      expect(results.map((r) => r.status).sort()).toEqual(['applied', 'rejected'])
      expect(results.find((r) => r.status === 'rejected')).toMatchObject({ code: 'invalid-state' })
      expect(await live(sessionId)).toBe(1)
    }
    await second?.close()
    expect(await invariantViolations(t.db)).toEqual([])
  })

  it('the database itself refuses a second live booking of a child and session (the backstop)', async () => {
    const [b] = await t.db.query<{ id: string }>("SELECT id FROM bookings WHERE child_id = $1 AND status = 'requested' LIMIT 1", [child])
    await expect(t.db.query(
      `INSERT INTO bookings (${COLUMNS.replace('id,', '')}, id) SELECT ${COLUMNS.replace('id,', '')}, $2 FROM bookings WHERE id = $1`, [b?.id, uniqueId('dup')])).rejects.toMatchObject({ code: '23505' })
  })
})
