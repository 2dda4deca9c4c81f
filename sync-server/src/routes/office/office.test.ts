import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LiquidationReport, OfficeError } from '../../../../shared/office/office.schema.ts'
import type { SyncClient} from '../../test/sync-client.ts';
import { activateAll, uniqueId } from '../../test/sync-client.ts'
import { createTestServer, TEST_NOW, type TestServer } from '../../test/test-server.ts'

let t: TestServer
let officer: SyncClient
beforeAll(async () => {
  t = await createTestServer({ families: 3 })
  const [fam1, fam2, altana, umana, off] = await activateAll(t.app, ['FAM-0001', 'FAM-0002', 'PRV-ALTANA', 'PRV-UMANA', 'OFFICER-1'])
  officer = off
  // Delivered in the period: two for ALTANA (4500 + 1500), one for L'UMANA (3000).
  // Also: one confirmed but not delivered, one delivered outside the period.
  const book = async (fam: SyncClient, child: string, session: string, quantity: number) => {
    const bookingId = uniqueId('liq')
    expect((await fam.push('booking.request', { bookingId, childId: child, sessionId: session, quantity })).status).toBe('applied')
    return bookingId
  }
  // Recorded after the sessions (a delivery is dated within its session); then back to booking time.
  const deliver = async (prv: SyncClient, bookingId: string, deliveredAt?: string) => {
    expect((await prv.push('booking.confirm', { bookingId })).status).toBe('applied')
    t.clock.set('2026-12-01T12:00:00.000Z')
    expect((await prv.push('booking.deliver', { bookingId, ...(deliveredAt ? { deliveredAt } : {}) })).status).toBe('applied')
    t.clock.set(TEST_NOW)
    return bookingId
  }
  await deliver(altana, await book(fam1, 'chd-0001-1', 'ses-altana-babysitting-20261123', 3), '2026-11-23T17:00:00.000Z')
  await deliver(altana, await book(fam1, 'chd-0001-1', 'ses-altana-babysitting-20261124', 1), '2026-11-24T10:00:00.000Z')
  // 23:30 UTC on 30 Nov is 00:30 on 1 Dec in Rome: outside a period ending 30 Nov.
  // (No session runs at that hour: the date is set in the database, to test the period's edge alone.)
  const late = await deliver(altana, await book(fam2, 'chd-0002-1', 'ses-altana-babysitting-20261125', 2), '2026-11-25T12:00:00.000Z')
  await t.db.query("UPDATE bookings SET delivered_at = '2026-11-30T23:30:00.000Z' WHERE id = $1", [late])
  await deliver(umana, await book(fam2, 'chd-0002-1', 'ses-umana-babysitting-20261125', 2), '2026-11-25T12:00:00.000Z')
  const pending = await book(fam2, 'chd-0002-2', 'ses-umana-babysitting-20261126', 1)
  expect((await umana.push('booking.confirm', { bookingId: pending })).status).toBe('applied')
})
afterAll(() => t.close())

const get = (token: string, query: string) =>
  t.app.request(`/api/office/liquidation${query}`, { headers: { authorization: `Bearer ${token}` } })

describe('GET /api/office/liquidation', () => {
  it('sums the voucher-covered part of deliveries in the period, per provider', async () => {
    const res = await get(officer.token, '?from=2026-11-01&to=2026-11-30')
    expect(res.status).toBe(200)
    const body: unknown = await res.json()
    // The answer as the officer's screen reads it: the shared schema parses it and drops nothing.
    expect(LiquidationReport.parse(body)).toEqual(body)
    expect(body).toEqual({
      programId: 'prg-conciliare', from: '2026-11-01', to: '2026-11-30',
      providers: [
        { providerId: 'prv-altana', name: 'ALTANA Società Cooperativa Sociale', deliveredCount: 2, amountCents: 6000 },
        { providerId: 'prv-umana', name: "L'UMANA AVVENTURA S.C.S.", deliveredCount: 1, amountCents: 3000 },
      ],
      totalCents: 9000,
    })
  })

  it('counts days in Rome time', async () => {
    const dec = await (await get(officer.token, '?from=2026-12-01&to=2026-12-01')).json()
    expect(dec).toMatchObject({ providers: [{ providerId: 'prv-altana', deliveredCount: 1, amountCents: 3000 }], totalCents: 3000 })
    const empty = await (await get(officer.token, '?from=2026-10-01&to=2026-10-31')).json()
    expect(empty).toMatchObject({ providers: [], totalCents: 0 })
  })

  it('exports CSV with a header row', async () => {
    const res = await get(officer.token, '?from=2026-11-01&to=2026-11-30&format=csv')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/)
    expect(res.headers.get('content-disposition')).toContain('liquidazione_2026-11-01_2026-11-30.csv')
    const lines = (await res.text()).trim().split('\r\n')
    expect(lines[0]).toBe('providerId,name,deliveredCount,amountCents,amountEur,from,to')
    expect(lines.slice(1)).toEqual([
      'prv-altana,ALTANA Società Cooperativa Sociale,2,6000,60.00,2026-11-01,2026-11-30',
      "prv-umana,L'UMANA AVVENTURA S.C.S.,1,3000,30.00,2026-11-01,2026-11-30",
    ])
  })

  it('is forbidden to parents and providers, and needs a token', async () => {
    const [fam, prv] = await activateAll(t.app, ['FAM-0003', 'PRV-ALTANA'])
    for (const token of [fam.token, prv.token]) {
      const res = await get(token, '?from=2026-11-01&to=2026-11-30')
      expect(res.status).toBe(403)
      expect(OfficeError.parse(await res.json()).error).toMatchObject({ code: 'forbidden', message: expect.any(String), messageEn: expect.any(String) })
    }
    expect((await t.app.request('/api/office/liquidation?from=2026-11-01&to=2026-11-30')).status).toBe(401)
  })

  it('answers 400 validation for bad dates', async () => {
    for (const q of ['', '?from=2026-11-01', '?from=2026-13-01&to=2026-12-01', '?from=01/11/2026&to=2026-11-30', '?from=2026-12-01&to=2026-11-01', '?from=2026-11-01&to=2026-11-30&format=xls']) {
      const res = await get(officer.token, q)
      expect(res.status, q).toBe(400)
      expect(OfficeError.parse(await res.json()).error.code).toBe('validation')
    }
  })
})
