import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MonitoringAnswer } from '../../../../shared/office/monitoring.schema.ts'
import { OfficeError } from '../../../../shared/office/office.schema.ts'
import { activateAll, type SyncClient, uniqueId } from '../../test/sync-client.ts'
import { createTestServer, TEST_NOW, type TestServer } from '../../test/test-server.ts'

let t: TestServer
let officer: SyncClient
let altanaTerritory: string

async function deliver(fam: SyncClient, prv: SyncClient, child: string, session: string, quantity: number, deliveredAt: string) {
  const bookingId = uniqueId('mon')
  expect((await fam.push('booking.request', { bookingId, childId: child, sessionId: session, quantity })).status).toBe('applied')
  expect((await prv.push('booking.confirm', { bookingId })).status).toBe('applied')
  t.clock.set(deliveredAt) // a delivery is recorded once the session has started
  expect((await prv.push('booking.deliver', { bookingId, deliveredAt })).status).toBe('applied')
  t.clock.set(TEST_NOW)
}

beforeAll(async () => {
  t = await createTestServer({ families: 3 })
  const [fam1, fam2, fam3, altana, umana, off] = await activateAll(t.app, ['FAM-0001', 'FAM-0002', 'FAM-0003', 'PRV-ALTANA', 'PRV-UMANA', 'OFFICER-1'])
  officer = off
  const [altanaRow] = await t.db.query<{ territoryId: string }>("SELECT territory_id AS \"territoryId\" FROM providers WHERE id = 'prv-altana'")
  altanaTerritory = altanaRow!.territoryId
  // Family 1 works shifts and its first child has a disability; family 2 lives in ALTANA's territory.
  await t.db.query("UPDATE families SET shift_worker = true, territory_id = $1 WHERE id = 'fam-0001'", [altanaTerritory])
  await t.db.query("UPDATE children SET disability = true WHERE id = 'chd-0001-1'")
  await deliver(fam1, altana, 'chd-0001-1', 'ses-altana-babysitting-20261123', 3, '2026-11-23T17:00:00.000Z')
  await deliver(fam2, altana, 'chd-0002-1', 'ses-altana-babysitting-20261124', 1, '2026-11-24T10:00:00.000Z')
  await deliver(fam2, umana, 'chd-0002-1', 'ses-umana-babysitting-20261125', 2, '2026-11-25T12:00:00.000Z')
  // Requested, not delivered: counts as a booking, not as a delivery or a family served.
  expect((await fam3.push('booking.request', { bookingId: uniqueId('mon'), childId: 'chd-0003-1', sessionId: 'ses-umana-babysitting-20261126', quantity: 1 })).status).toBe('applied')
})
afterAll(() => t.close())

const get = (query: string, token = officer.token) => t.app.request(`/api/office/monitoring${query}`, { headers: { authorization: `Bearer ${token}` } })

async function answer(query: string): Promise<MonitoringAnswer> {
  const res = await get(query)
  const body: unknown = await res.json()
  expect(res.status, JSON.stringify(body)).toBe(200)
  expect(MonitoringAnswer.parse(body)).toEqual(body)
  return body as MonitoringAnswer
}

describe('GET /api/office/monitoring', () => {
  it('answers the contract’s indicators for the period', async () => {
    const m = await answer('?from=2026-11-01&to=2026-11-30')
    expect(m.vouchers).toEqual({ count: 6, amountCents: 180000, heldCents: 1500, spentCents: 9000, leftCents: 180000 - 1500 - 9000 })
    expect(m).toMatchObject({ families: 2, children: 2, childrenWithDisability: 1, shiftWorkers: 1 })
    const babysitting = m.services.find((s) => s.serviceId === 'svc-babysitting')
    expect(babysitting).toMatchObject({ bookings: 4, delivered: 3, units: 6, voucherCents: 9000 })
    expect(m.services.filter((s) => s.serviceId !== 'svc-babysitting').every((s) => s.bookings === 0 && s.delivered === 0)).toBe(true)
    expect(m.providers.map((p) => [p.providerId, p.serviceId, p.delivered, p.units, p.voucherCents])).toEqual([
      ['prv-altana', 'svc-babysitting', 2, 4, 6000], ['prv-umana', 'svc-babysitting', 1, 2, 3000],
    ])
    expect(m.accesses.activations).toBe(6) // the six devices activated above, on 22 November
    expect(m.emergency).toEqual({ requests: 0, accepted: 0, expired: 0, medianSecondsToAccept: null })
  })

  it('counts emergency requests and how fast they were accepted', async () => {
    const [fam, altana] = await activateAll(t.app, ['FAM-0001', 'PRV-ALTANA'])
    const requestId = uniqueId('em')
    expect((await fam.push('emergency.request', {
      requestId, childId: 'chd-0001-2', startsAt: '2026-11-23T04:30:00.000Z', endsAt: '2026-11-23T05:30:00.000Z', territoryId: 'ter-crema', address: 'Via Mazzini 3, Crema',
    })).status).toBe('applied')
    t.clock.set('2026-11-22T07:10:00.000Z') // ten minutes later
    expect((await altana.push('emergency.accept', { requestId })).status).toBe('applied')
    t.clock.set('2026-11-22T07:00:00.000Z')
    const m = await answer('?from=2026-11-01&to=2026-11-30')
    expect(m.emergency).toEqual({ requests: 1, accepted: 1, expired: 0, medianSecondsToAccept: 600 })
    expect((await answer('?from=2026-11-01&to=2026-11-30&territoryId=ter-cremona')).emergency.requests).toBe(0)
  })

  it('filters by territory: that territory’s providers, and the families living there', async () => {
    const m = await answer(`?from=2026-11-01&to=2026-11-30&territoryId=${altanaTerritory}`)
    expect(m.providers.map((p) => p.providerId)).toEqual(['prv-altana'])
    expect(m.vouchers.count).toBe(2) // family 1's two children
    expect(m).toMatchObject({ territoryId: altanaTerritory, families: 2, shiftWorkers: 1 })
    expect((await get('?from=2026-11-01&to=2026-11-30&territoryId=ter-nowhere')).status).toBe(404)
  })

  it('counts nothing outside the period', async () => {
    const m = await answer('?from=2026-10-01&to=2026-10-31')
    expect(m).toMatchObject({ families: 0, children: 0, providers: [], accesses: { activations: 0, deviceDays: 0 } })
    expect(m.services.every((s) => s.bookings === 0)).toBe(true)
  })

  it('counts a device-day of use when a device comes back another day (no personal data kept)', async () => {
    const [again] = await activateAll(t.app, ['OFFICER-1']) // on 22 November
    t.clock.set('2026-11-25T09:00:00.000Z')
    expect((await get('?from=2026-11-25&to=2026-11-25', again.token)).status).toBe(200) // renewed: a day of use
    expect((await get('?from=2026-11-25&to=2026-11-25', again.token)).status).toBe(200) // the same day: not again
    // Read with the same token: the first officer's would count its own renewal (after its cache's 5 s).
    const m = MonitoringAnswer.parse(await (await get('?from=2026-11-25&to=2026-11-25', again.token)).json())
    expect(m.accesses.deviceDays).toBe(1)
    const rows = await t.db.query('SELECT * FROM platform_access_days')
    expect(rows).toEqual([{ program_id: 'prg-conciliare', day: '2026-11-25', role: 'officer', uses: 1 }])
  })

  it('exports the Italian CSV', async () => {
    const res = await get('?from=2026-11-01&to=2026-11-30&format=csv')
    expect(res.headers.get('content-disposition')).toContain('monitoraggio_2026-11-01_2026-11-30.csv')
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer())
    expect(text.startsWith('\uFEFFIndicatore;Valore\r\n')).toBe(true)
    expect(text).toContain('\r\nSpeso (€);90,00\r\n')
    expect(text).toContain('\r\ndi cui con disabilità;1\r\n')
  })

  it('is forbidden to parents and providers; 400 on bad queries', async () => {
    const [fam, prv] = await activateAll(t.app, ['FAM-0003', 'PRV-ALTANA'])
    for (const token of [fam.token, prv.token]) {
      const res = await get('?from=2026-11-01&to=2026-11-30', token)
      expect(res.status).toBe(403)
      expect(OfficeError.parse(await res.json()).error.code).toBe('forbidden')
    }
    for (const q of ['', '?from=2026-11-01', '?from=2026-12-01&to=2026-11-01', '?from=2026-11-01&to=2026-11-30&format=pdf', '?from=2026-11-01&to=2026-11-30&territoryId=a%20b']) {
      const res = await get(q)
      expect(res.status, q).toBe(400)
      expect(OfficeError.parse(await res.json()).error.code).toBe('validation')
    }
  })
})
