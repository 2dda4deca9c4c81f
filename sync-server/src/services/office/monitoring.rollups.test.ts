/**
 * The monitoring's rollups (migration 0011) against the bookings themselves: after real pushes
 * (requests, confirmations, deliveries, no-shows, cancellations), a statement paid (delivered →
 * liquidated), and the writes no mutator makes today but SQL allows (a delivery moved to another day,
 * a booking deleted), the answer read from the rollups equals the answer that scans the bookings, for
 * every period and territory asked (a no-show serves nobody and is no delivery, units are those delivered: 0022; a provider that moves territory takes its
 * children's served days with it, 0018); and office_rollups_rebuild() finds the tables the triggers kept.
 * PGlite by default, Postgres with TEST_DATABASE_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Actor } from '../../../../shared/actor.ts'
import { SCANS } from '../../test/monitoring-scans.ts'
import { activateAll, type SyncClient, uniqueId } from '../../test/sync-client.ts'
import { createTestServer, TEST_NOW, type TestServer } from '../../test/test-server.ts'
import { dayMasks, monitoring } from './monitoring.service.ts'

let t: TestServer
const officer: Actor = { role: 'officer', programId: 'prg-conciliare', familyId: null, providerId: null, personId: 'cod-officer-1' }
const PERIODS: [string, string][] = [
  ['2026-11-01', '2026-11-30'], ['2026-11-23', '2026-11-23'], ['2026-11-24', '2026-11-25'], ['2026-11-22', '2026-12-31'],
  ['2025-12-31', '2027-01-01'], ['2026-01-01', '2026-11-22'],
]

async function bothWays(from: string, to: string, territoryId?: string) {
  const rolled = await monitoring(t.db, officer, from, to, territoryId)
  const scanned = await monitoring(t.db, officer, from, to, territoryId, SCANS)
  return { rolled, scanned }
}

async function expectSameEverywhere() {
  const territories = (await t.db.query<{ id: string }>("SELECT id FROM territories WHERE program_id = 'prg-conciliare' ORDER BY id")).map((r) => r.id)
  for (const [from, to] of PERIODS) {
    for (const territory of [undefined, ...territories]) {
      const { rolled, scanned } = await bothWays(from, to, territory)
      expect(rolled, `${from}..${to} ${territory ?? 'all'}`).toEqual(scanned)
    }
  }
}

const tables = async () => ({
  hours: await t.db.query('SELECT hour, provider_id, service_id, delivered, units, voucher_cents FROM delivery_hours WHERE delivered <> 0 ORDER BY 1, 2, 3'),
  requests: await t.db.query('SELECT hour, session_id, bookings FROM request_hours WHERE bookings <> 0 ORDER BY 1, 2'),
  served: await t.db.query("SELECT year, scope, child_id, days::text AS days FROM served_years WHERE position('1' in days::text) > 0 ORDER BY 1, 2, 3"),
})

beforeAll(async () => {
  t = await createTestServer({ families: 3 })
})
afterAll(() => t.close())

describe('monitoring rollups (delivery_hours, request_hours, served_years)', () => {
  it('day masks: bit n is day n of the year, one mask per year touched', () => {
    const { years, masks } = dayMasks('2025-12-30', '2026-01-02')
    expect(years).toEqual([2025, 2026])
    expect(masks.map((m) => m.length)).toEqual([366, 366])
    expect(masks[0]!.indexOf('1')).toBe(363) // 30 December 2025 is day 364 (0-based 363)
    expect(masks[0]!.lastIndexOf('1')).toBe(364)
    expect(masks[1]!.slice(0, 3)).toBe('110')
    expect(dayMasks('2024-12-31', '2024-12-31').masks[0]!.indexOf('1')).toBe(365) // a leap year's last day
  })

  it('answer exactly what a scan of the bookings answers, through every kind of write', async () => {
    const [fam1, fam2, fam3, altana, umana, off1] = await activateAll(t.app, ['FAM-0001', 'FAM-0002', 'FAM-0003', 'PRV-ALTANA', 'PRV-UMANA', 'OFFICER-1'])
    const [altanaRow] = await t.db.query<{ territoryId: string }>("SELECT territory_id AS \"territoryId\" FROM providers WHERE id = 'prv-altana'")
    await t.db.query("UPDATE families SET shift_worker = true, territory_id = $1 WHERE id = 'fam-0001'", [altanaRow!.territoryId])
    await t.db.query("UPDATE children SET disability = true WHERE id = 'chd-0001-1'")
    const before = await tables()

    const request = async (fam: SyncClient, child: string, session: string, quantity: number) => {
      const bookingId = uniqueId('rol')
      expect((await fam.push('booking.request', { bookingId, childId: child, sessionId: session, quantity })).status).toBe('applied')
      return bookingId
    }
    const deliver = async (prv: SyncClient, bookingId: string, at: string, args: Record<string, unknown> = {}) => {
      expect((await prv.push('booking.confirm', { bookingId })).status).toBe('applied')
      t.clock.set(at)
      expect((await prv.push('booking.deliver', { bookingId, deliveredAt: at, ...args })).status).toBe('applied')
      t.clock.set(TEST_NOW)
    }
    const b1 = await request(fam1, 'chd-0001-1', 'ses-altana-babysitting-20261123', 3)
    const b2 = await request(fam2, 'chd-0002-1', 'ses-altana-babysitting-20261124', 1)
    const b3 = await request(fam2, 'chd-0002-1', 'ses-umana-babysitting-20261125', 2)
    const b4 = await request(fam3, 'chd-0003-1', 'ses-umana-babysitting-20261126', 1)
    const b5 = await request(fam1, 'chd-0001-1', 'ses-umana-babysitting-20261125', 1)
    await deliver(altana, b1, '2026-11-23T17:00:00.000Z', { deliveredQuantity: 2 }) // 2 hours of the 3 booked
    await deliver(altana, b2, '2026-11-24T10:00:00.000Z')
    await deliver(umana, b3, '2026-11-25T12:00:00.000Z')
    await deliver(umana, b5, '2026-11-25T12:30:00.000Z', { noShow: true })
    expect((await fam3.push('booking.cancel', { bookingId: b4 })).status).toBe('applied')
    await expectSameEverywhere()
    // The no-show (b5) serves nobody: on the 25th only chd-0002-1 (b3) was served, not chd-0001-1.
    expect(await monitoring(t.db, officer, '2026-11-25', '2026-11-25')).toMatchObject({ families: 1, children: 1, childrenWithDisability: 0 })
    const nov = await monitoring(t.db, officer, '2026-11-01', '2026-11-30')
    expect(nov).toMatchObject({ families: 2, children: 2, childrenWithDisability: 1, shiftWorkers: 1 })
    expect(nov.services.find((s) => s.serviceId === 'svc-babysitting')).toMatchObject({ bookings: 5 })
    // Delivered: b1, b2, b3, not the no-show b5 (nor the cancelled b4); units: the hours delivered (2 + 1 + 2), not booked (0022).
    expect(nov.services.find((s) => s.serviceId === 'svc-babysitting')).toMatchObject({ delivered: 3, units: 5 })
    expect(nov.providers.find((p) => p.providerId === 'prv-umana' && p.serviceId === 'svc-babysitting')).toMatchObject({ delivered: 1, units: 2 })

    // A statement of ALTANA's November, prepared, approved by another officer, paid: delivered → liquidated.
    const [off2] = await activateAll(t.app, ['OFFICER-2'])
    const post = async (path: string, body: unknown, c: SyncClient) => {
      const res = await t.app.request(path, { method: 'POST', headers: { authorization: `Bearer ${c.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })
      const json = (await res.json()) as { id: string }
      expect(res.status, JSON.stringify(json)).toBeLessThan(300)
      return json
    }
    t.clock.set('2026-11-30T10:00:00.000Z')
    const st = await post('/api/office/statements', { providerId: 'prv-altana', from: '2026-11-01', to: '2026-11-30' }, off1!)
    await post(`/api/office/statements/${st.id}/approve`, {}, off2!)
    await post(`/api/office/statements/${st.id}/pay`, { paidAt: '2026-11-30', reference: 'CRO 1' }, off1!)
    t.clock.set(TEST_NOW)
    expect((await t.db.query<{ status: string }>('SELECT status FROM bookings WHERE id = $1', [b1]))[0]!.status).toBe('liquidated')
    await expectSameEverywhere()

    // Writes no mutator makes, but the rollups must follow: a delivery moved to another day and hour,
    // a child's second delivery on a day then removed (the day stays served by the first), a deletion.
    await t.db.query("UPDATE bookings SET delivered_at = '2026-12-02T09:00:00Z' WHERE id = $1", [b3])
    await expectSameEverywhere()
    await t.db.query("UPDATE bookings SET delivered_at = '2026-11-24T11:00:00Z' WHERE id = $1", [b5])
    const drop = async (id: string) => {
      await t.db.query('DELETE FROM voucher_ledger WHERE booking_id = $1', [id])
      await t.db.query('DELETE FROM bookings WHERE id = $1', [id])
    }
    await drop(b5)
    await drop(b4)
    await expectSameEverywhere()
    expect((await monitoring(t.db, officer, '2026-11-25', '2026-11-25')).children).toBe(0)
    expect((await monitoring(t.db, officer, '2026-12-02', '2026-12-02')).children).toBe(1)

    // A provider moved to another territory: its children's served days follow it (no rebuild), as
    // every other figure does; and back.
    const [{ territoryId: umanaTerritory }] = await t.db.query<{ territoryId: string }>("SELECT territory_id AS \"territoryId\" FROM providers WHERE id = 'prv-umana'") as [{ territoryId: string }]
    const [{ id: elsewhere }] = await t.db.query<{ id: string }>(
      "SELECT id FROM territories WHERE program_id = 'prg-conciliare' AND id <> $1 ORDER BY id LIMIT 1", [umanaTerritory]) as [{ id: string }]
    await t.db.query("UPDATE providers SET territory_id = $1 WHERE id = 'prv-umana'", [elsewhere])
    await expectSameEverywhere()
    expect((await monitoring(t.db, officer, '2026-12-02', '2026-12-02', elsewhere)).children).toBe(1)
    await t.db.query("UPDATE providers SET territory_id = $1 WHERE id = 'prv-umana'", [umanaTerritory])
    await expectSameEverywhere()

    // What the triggers kept is what a rebuild from the bookings finds.
    const kept = await tables()
    expect(kept.hours.length).toBeGreaterThan(before.hours.length)
    await t.db.query('SELECT office_rollups_rebuild()')
    expect(await tables()).toEqual(kept)
  })

  it('refuses a period that does not fall on whole hours (a half-hour time zone) rather than answer it wrong', async () => {
    await t.db.query("UPDATE programs SET time_zone = 'Asia/Kolkata' WHERE id = 'prg-conciliare'")
    try {
      await expect(monitoring(t.db, officer, '2026-11-01', '2026-11-30')).rejects.toMatchObject({ code: 'invalid-state', details: { reason: 'time-zone-not-whole-hours' } })
    } finally {
      await t.db.query("UPDATE programs SET time_zone = 'Europe/Rome' WHERE id = 'prg-conciliare'")
    }
  })
})
