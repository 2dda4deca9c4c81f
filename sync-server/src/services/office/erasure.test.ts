/**
 * Erasing a family (issues 10 and 11): every column of the database is classified (erasure.ts), read
 * from the database itself so a new column cannot escape; a family with data in every table that
 * holds a family's data (bookings with a note, a message, an emergency request with an address, an
 * application with ISEE and employer, a device, a calendar feed, a push subscription, sync results)
 * is erased, and then no table anywhere holds any of what it typed; refused while an emergency is open.
 * PGlite by default, Postgres with TEST_DATABASE_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EraseAnswer, ERASED, FamilyExport } from '../../../../shared/office/families.schema.ts'
import { OfficeError } from '../../../../shared/office/office.schema.ts'
import { sha256 } from '../auth/auth.service.ts'
import { invariantViolations } from '../../test/db-checks.ts'
import { activate, activateAll, json, SyncClient, uniqueId } from '../../test/sync-client.ts'
import { createTestServer, TEST_NOW, type TestServer } from '../../test/test-server.ts'
import { ERASURE } from './erasure.ts'

let t: TestServer
let fam: SyncClient, altana: SyncClient, officer: SyncClient

// What the family typed or the office recorded about it: none of it may survive the erasure.
const MARK = {
  family: 'Zebedeo Quartararo', child: 'Quirino', sibling: 'Ermenegilda', note: 'allergia-kiwi-7731', message: 'citofono-verde-5512',
  address: 'Via Segreta 9, Crema', emergencyNote: 'febbre-alta-8842', device: 'Pixel-di-Zebedeo', employer: 'Acme-Zeta-Srl', externalRef: 'EXT-ZQ-4471',
  endpoint: 'https://push.example.test/zebedeo-6620', isee: 1_234_567, homeAddress: 'Vicolo Nascosto 3', proposal: 'meglio-giovedi-3391',
  payroll: 'MATR-ZQ-99812',
}

beforeAll(async () => {
  t = await createTestServer({ families: 2 })
  ;[altana, officer] = await activateAll(t.app, ['PRV-ALTANA', 'OFFICER-1'])
  fam = new SyncClient(t.app, await activate(t.app, 'FAM-0001', MARK.device))
})
afterAll(() => t.close())

const post = (path: string, token = officer.token) => t.app.request(`/api/office${path}`, json(token, {}))

describe('erasure classification', () => {
  it('classifies every column of the database, and lists no column it does not have', async () => {
    const columns = await t.db.query<{ table: string; column: string }>(
      `SELECT table_name AS table, column_name AS column FROM information_schema.columns
       WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`)
    expect(columns.length).toBeGreaterThan(100)
    const inDb = new Set(columns.map((c) => `${c.table}.${c.column}`))
    const classified = new Set(Object.entries(ERASURE).flatMap(([table, cols]) => Object.keys(cols).map((c) => `${table}.${c}`)))
    const missing = [...inDb].filter((c) => !classified.has(c))
    // A new column: say in erasure.ts what erasing a family does to it (and do it in eraseFamily).
    expect(missing, 'columns not classified in sync-server/src/services/office/erasure.ts').toEqual([])
    expect([...classified].filter((c) => !inDb.has(c)), 'classified columns the database does not have').toEqual([])
  })
})

describe('erasing a family', () => {
  const booking = uniqueId('era')
  const emergency = uniqueId('emr')

  it('covers every table that holds the family’s data, refused while an emergency is open', async () => {
    await t.db.query('UPDATE families SET name = $1 WHERE id = $2', [MARK.family, 'fam-0001'])
    await t.db.query("UPDATE children SET first_name = $1, disability = true, dsa = true WHERE id = 'chd-0001-1'", [MARK.child])
    await t.db.query("UPDATE children SET first_name = $1 WHERE id = 'chd-0001-2'", [MARK.sibling])
    await t.db.query("UPDATE activation_codes SET display_name = $1 WHERE family_id = 'fam-0001'", [MARK.family])
    // A booking with a note and a message, delivered (it stays, for the accounts).
    expect((await fam.push('booking.request', { bookingId: booking, childId: 'chd-0001-1', sessionId: 'ses-altana-babysitting-20261123', quantity: 1, note: MARK.note })).status).toBe('applied')
    expect((await fam.push('message.send', { messageId: uniqueId('msg'), bookingId: booking, body: MARK.message })).status).toBe('applied')
    expect((await altana.push('booking.confirm', { bookingId: booking })).status).toBe('applied')
    t.clock.set('2026-11-23T17:00:00.000Z')
    expect((await altana.push('booking.deliver', { bookingId: booking, deliveredAt: '2026-11-23T17:00:00.000Z' })).status).toBe('applied')
    t.clock.set(TEST_NOW)
    // What 0013 copies into an order (who and where) and a provider's proposal note.
    await t.db.query('UPDATE bookings SET address = $2, proposal_note = $3, family_name = $4 WHERE id = $1', [booking, MARK.homeAddress, MARK.proposal, MARK.family])
    // An employer's payroll reference for the parent (employer-funded programs, 0012).
    await t.db.query("INSERT INTO employers (id, program_id, name, budget_cents, created_at) VALUES ('emp-era', 'prg-conciliare', 'Datore', 100000, $1)", [TEST_NOW])
    await t.db.query("INSERT INTO employees (id, employer_id, external_ref, family_id, created_at) VALUES ('emy-era', 'emp-era', $1, 'fam-0001', $2)", [MARK.payroll, TEST_NOW])
    const [refs] = await t.db.query<{ territoryId: string; voucherId: string }>(
      `SELECT f.territory_id AS "territoryId", v.id AS "voucherId" FROM families f JOIN vouchers v ON v.family_id = f.id
       WHERE f.id = 'fam-0001' AND v.child_id = 'chd-0001-1'`)
    const [territory] = await t.db.query<{ id: string }>("SELECT coalesce($1, (SELECT territory_id FROM providers WHERE id = 'prv-altana')) AS id", [refs!.territoryId])
    // An emergency request, still open.
    await t.db.query(
      `INSERT INTO emergency_requests (id, family_id, child_id, program_id, territory_id, starts_at, ends_at, deadline_at, status, address, note,
         family_name, child_first_name, child_birth_date, voucher_id, estimated_cents, held_cents, stage, created_at, updated_at)
       VALUES ($1, 'fam-0001', 'chd-0001-1', 'prg-conciliare', $2, '2026-11-25T08:00Z', '2026-11-25T12:00Z', '2026-11-25T07:00Z', 'open', $3, $4,
         $5, $6, '2021-06-15', $7, 0, 0, 'usual', $8, $8)`,
      [emergency, territory!.id, MARK.address, MARK.emergencyNote, MARK.family, MARK.child, refs!.voucherId, TEST_NOW])
    // An application (ISEE, employer, the office's reference), its children; a push subscription; a calendar feed.
    await t.db.query(
      `INSERT INTO calls (id, program_id, number, name, budget_cents, voucher_cents, opens_at, closes_at, policy, points, created_at)
       VALUES ('cll-era', 'prg-conciliare', 77, 'Bando test', 100000, 30000, '2026-10-01Z', '2026-10-31Z', 'strict', '{}', '2026-09-01Z')`)
    await t.db.query(
      `INSERT INTO applications (id, call_id, protocol, external_ref, source, applicant_name, employer, shift_worker, household_fragility, isee_cents,
         submitted_at, created_at, rank, score, funded, voucher_cents, family_id, activation_code)
       VALUES ('app-era', 'cll-era', 'B77-00001', $1, 'import', $2, $3, true, true, $4, '2026-10-02Z', '2026-10-02Z', 1, 9, true, 30000, 'fam-0001', 'FAM-ABCD-EFGH-IJKL')`,
      [MARK.externalRef, MARK.family, MARK.employer, MARK.isee])
    await t.db.query(`INSERT INTO application_children (application_id, position, first_name, birth_date, disability, dsa, child_id)
      VALUES ('app-era', 1, $1, '2021-06-15', true, true, 'chd-0001-1')`, [MARK.child])
    await t.db.query("INSERT INTO push_subscriptions (endpoint, token_hash, p256dh, auth) VALUES ($1, $2, 'key', 'secret')", [MARK.endpoint, sha256(fam.token)])
    await t.db.query("INSERT INTO calendar_feeds (family_id, secret_hash, created_at) VALUES ('fam-0001', 'hash-zq', $1)", [TEST_NOW])
    // Waiting for a place (0014): erased, the family waits no more.
    await t.db.query(`INSERT INTO waitlist_entries (id, child_id, family_id, session_id, service_id, provider_id, quantity, status, created_at, updated_at)
      SELECT 'wle-era', 'chd-0001-2', 'fam-0001', id, service_id, provider_id, 1, 'waiting', $1, $1 FROM sessions WHERE id = 'ses-altana-babysitting-20261124'`, [TEST_NOW])
    // A recurring plan's date, skipped (0019): kept (ids and a code, nothing that names anyone).
    await t.db.query(`INSERT INTO plan_dates (id, plan_id, family_id, child_id, session_id, starts_at, code, created_at)
      SELECT 'pld-era', 'pln-era', 'fam-0001', 'chd-0001-2', id, starts_at, 'capacity-full', $1 FROM sessions WHERE id = 'ses-altana-babysitting-20261124'`, [TEST_NOW])

    // The export carries it all (never the code's text).
    const exported = FamilyExport.parse(await (await t.app.request('/api/office/families/fam-0001/export', { headers: { authorization: `Bearer ${officer.token}` } })).json())
    expect(exported.emergencyRequests.map((e) => e.id)).toEqual([emergency])
    expect(exported.applications).toHaveLength(1)
    expect(exported.applications[0]).toMatchObject({ employer: MARK.employer, children: [expect.objectContaining({ first_name: MARK.child })] })
    expect(JSON.stringify(exported)).not.toContain('FAM-ABCD-EFGH-IJKL')
    expect(exported.pushSubscriptions).toHaveLength(1)
    expect(exported.calendarFeeds).toHaveLength(1)
    expect(exported.waitlistEntries.map((w) => w.id)).toEqual(['wle-era'])
    expect(exported.planDates.map((d) => [d.id, d.code])).toEqual([['pld-era', 'capacity-full']])

    // Refused while the emergency is open (and while accepted): nothing changes.
    const refused = await post('/families/fam-0001/erase')
    expect(refused.status).toBe(409)
    expect(OfficeError.parse(await refused.json()).error).toMatchObject({ code: 'invalid-state', details: { reason: 'open-emergency' } })
    expect((await t.db.query<{ name: string }>("SELECT name FROM families WHERE id = 'fam-0001'"))[0]!.name).toBe(MARK.family)
    await t.db.query("UPDATE emergency_requests SET status = 'expired' WHERE id = $1", [emergency])

    const res = await post('/families/fam-0001/erase')
    const body: unknown = await res.json()
    expect(res.status, JSON.stringify(body)).toBe(200)
    expect(EraseAnswer.parse(body)).toMatchObject({
      familyId: 'fam-0001', children: 2, messagesDeleted: 1, emergencyRequests: 1, applications: 1, pushSubscriptionsDeleted: 1, calendarFeedsDeleted: 1,
    })
    expect((body as EraseAnswer).tokensRevoked).toBeGreaterThanOrEqual(1)

    // Nothing the family typed or the office recorded about it is left, in any table.
    const tables = Object.keys(ERASURE)
    const dump: Record<string, string> = {}
    for (const table of tables) dump[table] = JSON.stringify(await t.db.query(`SELECT * FROM ${table}`))
    for (const [what, mark] of Object.entries(MARK)) {
      const holding = tables.filter((table) => dump[table]!.includes(String(mark)))
      expect(holding, `${what} (${mark}) still in`).toEqual([])
    }
    // What the accounts keep is still there, pseudonymised.
    const [b] = await t.db.query<Record<string, unknown>>('SELECT child_first_name, note, status, voucher_cents FROM bookings WHERE id = $1', [booking])
    expect(b).toMatchObject({ child_first_name: ERASED.childName, note: null, status: 'delivered' })
    const [e] = await t.db.query<Record<string, unknown>>("SELECT status, family_name, address, to_char(child_birth_date, 'YYYY-MM-DD') AS born FROM emergency_requests WHERE id = $1", [emergency])
    expect(e).toEqual({ status: 'expired', family_name: ERASED.familyName, address: null, born: '2021-01-01' })
    const [a] = await t.db.query<Record<string, unknown>>("SELECT protocol, rank, score, isee_cents, activation_code FROM applications WHERE id = 'app-era'")
    expect(a).toEqual({ protocol: 'B77-00001', rank: 1, score: 9, isee_cents: null, activation_code: null })
    expect((await t.db.query("SELECT disability, dsa FROM children WHERE id = 'chd-0001-1'"))[0]).toEqual({ disability: null, dsa: null })
    expect((await t.db.query<{ status: string }>("SELECT status FROM waitlist_entries WHERE id = 'wle-era'"))[0]!.status).toBe('closed')
    expect(await invariantViolations(t.db)).toEqual([])
    await expect(fam.pull()).rejects.toThrow(/401/)
  })
})
