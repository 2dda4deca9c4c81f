import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EraseAnswer, ERASED, FamilyExport } from '../../../../shared/office/families.schema.ts'
import { OfficeError } from '../../../../shared/office/office.schema.ts'
import { exportHtml } from '../../services/office/family-export.html.ts'
import { sha256 } from '../../services/auth/auth.service.ts'
import { purgeExpired } from '../../services/privacy/retention.ts'
import { invariantViolations } from '../../test/db-checks.ts'
import { activateAll, json, type SyncClient, uniqueId } from '../../test/sync-client.ts'
import { createTestServer, TEST_NOW, type TestServer } from '../../test/test-server.ts'

let t: TestServer
let fam: SyncClient, altana: SyncClient, officer: SyncClient
const delivered = uniqueId('era')
const open = uniqueId('era')
const deliveredEmergency = uniqueId('era-em')

beforeAll(async () => {
  t = await createTestServer({ families: 2 })
  ;[fam, altana, officer] = await activateAll(t.app, ['FAM-0001', 'PRV-ALTANA', 'OFFICER-1'])
  expect((await fam.push('booking.request', { bookingId: delivered, childId: 'chd-0001-1', sessionId: 'ses-altana-babysitting-20261123', quantity: 2, note: 'allergia alle arachidi' })).status).toBe('applied')
  expect((await fam.push('message.send', { messageId: uniqueId('msg'), bookingId: delivered, body: 'Citofono Rossi, secondo piano' })).status).toBe('applied')
  expect((await altana.push('booking.confirm', { bookingId: delivered })).status).toBe('applied')
  t.clock.set('2026-11-23T17:00:00.000Z') // a delivery is recorded once the session has started
  expect((await altana.push('booking.deliver', { bookingId: delivered, deliveredAt: '2026-11-23T17:00:00.000Z' })).status).toBe('applied')
  t.clock.set(TEST_NOW)
  expect((await fam.push('booking.request', { bookingId: open, childId: 'chd-0001-2', sessionId: 'ses-altana-babysitting-20261124', quantity: 1 })).status).toBe('applied')
  // An emergency ALTANA delivered (Monday 05:30–07:30 in Rome), in a statement with the booking (issue 9).
  t.clock.set('2026-11-23T05:00:00.000Z')
  expect((await fam.push('emergency.request', { requestId: deliveredEmergency, childId: 'chd-0001-1', startsAt: '2026-11-23T04:30:00.000Z', endsAt: '2026-11-23T06:30:00.000Z', territoryId: 'ter-crema' })).status).toBe('applied')
  expect((await altana.push('emergency.accept', { requestId: deliveredEmergency })).status).toBe('applied')
  t.clock.set('2026-11-23T06:00:00.000Z')
  expect((await altana.push('emergency.deliver', { requestId: deliveredEmergency, deliveredHours: 1 })).status).toBe('applied')
  t.clock.set('2026-12-01T09:00:00.000Z')
  const stm = await t.app.request('/api/office/statements', json(officer.token, { providerId: 'prv-altana', from: '2026-11-01', to: '2026-11-30' }))
  expect(stm.status).toBe(201)
  t.clock.set(TEST_NOW)
})
afterAll(() => t.close())

const req = (method: 'GET' | 'POST', path: string, token = officer.token) =>
  t.app.request(`/api/office${path}`, method === 'POST' ? json(token, {}) : { headers: { authorization: `Bearer ${token}` } })

describe('a family’s data for the office', () => {
  it('exports everything held about the family, devices without tokens', async () => {
    const res = await req('GET', '/families/fam-0001/export')
    expect(res.status).toBe(200)
    const body = FamilyExport.parse(await res.json())
    expect(body.family).toMatchObject({ id: 'fam-0001', name: expect.stringContaining('Famiglia') })
    expect(body.children.map((c) => c.id)).toEqual(['chd-0001-1', 'chd-0001-2'])
    expect(body.bookings.map((b) => b.id).sort()).toEqual([delivered, open].sort())
    expect(body.messages).toHaveLength(1)
    expect(body.ledger.length).toBeGreaterThanOrEqual(3)
    expect(body.devices.length).toBeGreaterThanOrEqual(1)
    expect(JSON.stringify(body)).not.toContain(fam.token)
    expect(JSON.stringify(body.devices)).not.toMatch(/token_hash|code_hash/)
  })

  it('sends no staff id: who confirmed, delivered or usually sits stays the provider’s (JSON and readable page)', async () => {
    // The delivered booking was confirmed and delivered by the cooperative's staff; an emergency names its usual sitter.
    const [staff] = await t.db.query<{ confirmed: string; delivered: string }>('SELECT confirmed_by AS confirmed, delivered_by AS delivered FROM bookings WHERE id = $1', [delivered])
    expect(staff!.confirmed).toBeTruthy()
    expect(staff!.delivered).toBeTruthy()
    const [refs] = await t.db.query<{ territoryId: string; voucherId: string; operatorId: string }>(
      `SELECT p.territory_id AS "territoryId", v.id AS "voucherId", (SELECT id FROM operators WHERE provider_id = p.id ORDER BY id LIMIT 1) AS "operatorId"
       FROM providers p, vouchers v WHERE p.id = 'prv-altana' AND v.child_id = 'chd-0001-1'`)
    const emergency = uniqueId('emr')
    await t.db.query(
      `INSERT INTO emergency_requests (id, family_id, child_id, program_id, territory_id, starts_at, ends_at, deadline_at, status, family_name,
         child_first_name, child_birth_date, voucher_id, estimated_cents, held_cents, stage, created_at, updated_at, usual_operator_id, delivered_by)
       VALUES ($1, 'fam-0001', 'chd-0001-1', 'prg-conciliare', $2, '2026-11-20T08:00Z', '2026-11-20T12:00Z', '2026-11-20T07:00Z', 'expired', 'F', 'C',
         '2021-06-15', $3, 0, 0, 'usual', $4, $4, $5, 'person:staff-who-delivered')`,
      [emergency, refs!.territoryId, refs!.voucherId, TEST_NOW, refs!.operatorId])

    // The database's columns naming a member of staff: '..._by' (but child_changes.changed_by, a role) and the usual sitter.
    const staffColumns = (await t.db.query<{ column: string }>(
      `SELECT DISTINCT column_name AS column FROM information_schema.columns WHERE table_schema = current_schema()
       AND (column_name LIKE '%\\_by' OR column_name LIKE 'usual\\_operator%') AND column_name <> 'changed_by'`)).map((c) => c.column)
    expect(staffColumns).toEqual(expect.arrayContaining(['confirmed_by', 'delivered_by', 'usual_operator_id']))
    const body = FamilyExport.parse(await (await req('GET', '/families/fam-0001/export')).json())
    expect(body.emergencyRequests.map((e) => e.id)).toContain(emergency)
    const keys = new Set<string>()
    const collect = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(collect)
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) { keys.add(k); collect(x) }
    }
    collect(body)
    expect(staffColumns.filter((c) => keys.has(c)), 'staff columns in the family’s export').toEqual([])
    const text = JSON.stringify(body)
    for (const id of [staff!.confirmed, staff!.delivered, 'person:staff-who-delivered']) expect(text).not.toContain(id)
    // The readable page is built from the same data.
    const page = exportHtml(body, 'it')
    for (const c of staffColumns) expect(page).not.toContain(`>${c}<`)
    await t.db.query('DELETE FROM emergency_requests WHERE id = $1', [emergency])
  })

  it('refuses to erase a family with open bookings (409), and erases once they are closed', async () => {
    const refused = await req('POST', '/families/fam-0001/erase')
    expect(refused.status).toBe(409)
    expect(OfficeError.parse(await refused.json()).error.details).toMatchObject({ reason: 'open-bookings' })
    expect((await fam.push('booking.cancel', { bookingId: open })).status).toBe('applied')
    await altana.pull()
    // A place the family waits for (written in SQL, as any writer may: 0016's trigger counts it).
    const [waitedOn] = await t.db.query<{ id: string; serviceId: string; providerId: string }>(
      `SELECT id, service_id AS "serviceId", provider_id AS "providerId" FROM sessions
       WHERE id LIKE 'ses-altana-babysitting-%' AND status = 'open' AND starts_at > $1 AND places = places_left ORDER BY id LIMIT 1`, [TEST_NOW])
    await t.db.query(
      `INSERT INTO waitlist_entries (id, child_id, family_id, session_id, service_id, provider_id, quantity, status, created_at, updated_at)
       VALUES ($1, 'chd-0001-1', 'fam-0001', $2, $3, $4, 1, 'waiting', $5, $5)`, [uniqueId('w'), waitedOn!.id, waitedOn!.serviceId, waitedOn!.providerId, TEST_NOW])
    const waitingOn = async () => (await t.db.query<{ waiting: number }>('SELECT waiting FROM sessions WHERE id = $1', [waitedOn!.id]))[0]?.waiting
    expect(await waitingOn()).toBe(1)

    const res = await req('POST', '/families/fam-0001/erase')
    const body: unknown = await res.json()
    expect(res.status, JSON.stringify(body)).toBe(200)
    expect(EraseAnswer.parse(body)).toEqual(body)
    expect(body).toMatchObject({ familyId: 'fam-0001', children: 2, bookings: 2, messagesDeleted: 1 })

    // Pseudonymised, the accounts kept: amounts, dates, vouchers and ledger are still there and agree.
    const [child] = await t.db.query<{ first_name: string; birth_date: string }>("SELECT first_name, birth_date FROM children WHERE id = 'chd-0001-1'")
    expect(child).toMatchObject({ first_name: ERASED.childName, birth_date: expect.stringMatching(/-01-01$/) })
    const [booking] = await t.db.query<Record<string, unknown>>('SELECT child_first_name, note, status, voucher_cents FROM bookings WHERE id = $1', [delivered])
    expect(booking).toEqual({ child_first_name: ERASED.childName, note: null, status: 'delivered', voucher_cents: 3000 })
    expect(await waitingOn()).toBe(0) // its entry closed, the session counts nobody waiting
    // The statement keeps its rows, the booking's and the emergency's, pseudonymised.
    const rows = await t.db.query<{ name: string }>('SELECT child_first_name AS name FROM statement_rows WHERE booking_id = $1 OR emergency_request_id = $2', [delivered, deliveredEmergency])
    expect(rows.map((r) => r.name)).toEqual([ERASED.childName, ERASED.childName])
    expect(await invariantViolations(t.db)).toEqual([])

    // The provider's phone pulls the pseudonymised booking and loses the message; the family is signed out.
    const pulled = await altana.pull()
    expect(pulled.changes.find((c) => c.key === delivered)?.value).toMatchObject({ childFirstName: ERASED.childName, note: null })
    expect(pulled.changes.find((c) => c.key === waitedOn!.id)?.value).toMatchObject({ waiting: 0 })
    expect(pulled.changes.some((c) => c.entity === 'message' && c.op === 'del')).toBe(true)
    await expect(fam.pull()).rejects.toThrow(/401/)
    const [{ n }] = await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE action = 'family.erase' AND entity_id = 'fam-0001'") as [{ n: number }]
    expect(n).toBe(1)
  })

  it('is forbidden to other roles and 404 for a family it does not know', async () => {
    expect((await req('GET', '/families/fam-0002/export', altana.token)).status).toBe(403)
    expect((await req('POST', '/families/fam-0002/erase', altana.token)).status).toBe(403)
    expect((await req('GET', '/families/fam-nope/export')).status).toBe(404)
    expect((await req('POST', '/families/bad%20id/erase')).status).toBe(400)
  })
})

describe('the retention purge', () => {
  it('clears notes and messages of bookings closed over a year ago, and old unacknowledged results; keeps the rest', async () => {
    const [fam2] = await activateAll(t.app, ['FAM-0002'])
    const id = uniqueId('ret')
    expect((await fam2.push('booking.request', { bookingId: id, childId: 'chd-0002-1', sessionId: 'ses-altana-babysitting-20261125', quantity: 1, note: 'febbre' })).status).toBe('applied')
    expect((await fam2.push('message.send', { messageId: uniqueId('msg'), bookingId: id, body: 'A domani' })).status).toBe('applied')
    expect((await fam2.push('booking.cancel', { bookingId: id })).status).toBe('applied')
    expect((await fam2.push('booking.cancel', { bookingId: id })).status).toBe('rejected') // a result row
    // Its phone turned notifications on (migration 0021: the row names the token), then was not used again.
    await t.db.query("INSERT INTO push_subscriptions (endpoint, token_hash, p256dh, auth) VALUES ('https://push.example.invalid/ret', $1, 'key', 'secret')", [sha256(fam2.token)])
    expect(await purgeExpired(t.deps)).toEqual({ notes: 0, messages: 0, results: 0, subscriptions: 0 }) // too recent
    t.clock.set('2027-12-01T08:00:00.000Z')
    const done = await purgeExpired(t.deps)
    expect(done.notes).toBeGreaterThanOrEqual(1)
    expect(done.messages).toBe(1)
    expect(done.results).toBeGreaterThanOrEqual(1)
    expect(done.subscriptions).toBe(1) // its token expired long ago (TOKEN_DAYS after its last use)
    expect(await t.db.query("SELECT 1 FROM push_subscriptions WHERE endpoint = 'https://push.example.invalid/ret'")).toEqual([])
    const [b] = await t.db.query<{ note: string | null; status: string }>('SELECT note, status FROM bookings WHERE id = $1', [id])
    expect(b).toEqual({ note: null, status: 'cancelled' })
    expect(await purgeExpired(t.deps)).toEqual({ notes: 0, messages: 0, results: 0, subscriptions: 0 }) // idempotent
  })
})
