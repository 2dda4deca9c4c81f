import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Booking } from '../../../../shared/booking/booking.schema.ts'
import { def } from '../../../../shared/entities/registry.ts'
import { AuditAnswer } from '../../../../shared/office/audit.schema.ts'
import { OfficeError } from '../../../../shared/office/office.schema.ts'
import { Statement, StatementList } from '../../../../shared/office/statements.schema.ts'
import type { PaymentsAnswer } from '../../../../shared/provider/payments.schema.ts'
import { hashCode } from '../../services/auth/auth.service.ts'
import { activateAll, json, SyncClient, uniqueId } from '../../test/sync-client.ts'
import { createTestServer, TEST_NOW, type TestServer } from '../../test/test-server.ts'

let t: TestServer
let fam1: SyncClient, fam2: SyncClient, altana: SyncClient, umana: SyncClient, officer1: SyncClient, officer2: SyncClient
const altanaIds: string[] = []

/** A second officer of the demo program, made here (OFFICER-2 comes with the calls' demo data). */
async function secondOfficer(code: string): Promise<SyncClient> {
  await t.db.query(
    `INSERT INTO activation_codes (id, code_hash, role, program_id, display_name) VALUES ($1, $2, 'officer', 'prg-conciliare', 'Second officer')`,
    [`cod-${code.toLowerCase()}`, hashCode(code)],
  )
  return SyncClient.activate(t.app, code)
}

async function deliver(fam: SyncClient, prv: SyncClient, child: string, session: string, quantity: number, deliveredAt: string) {
  const bookingId = uniqueId('stm')
  expect((await fam.push('booking.request', { bookingId, childId: child, sessionId: session, quantity })).status).toBe('applied')
  expect((await prv.push('booking.confirm', { bookingId })).status).toBe('applied')
  // Recorded once the session has run (dated at its end), then dated as the case needs: these tests are
  // about periods, and some dates lie outside any session (delivery.test.ts covers the delivery rules).
  const clock = t.clock.now().toISOString()
  t.clock.set('2026-12-20T12:00:00.000Z')
  expect((await prv.push('booking.deliver', { bookingId })).status).toBe('applied')
  t.clock.set(clock)
  await t.db.query('UPDATE bookings SET delivered_at = $2 WHERE id = $1', [bookingId, deliveredAt])
  return bookingId
}

beforeAll(async () => {
  t = await createTestServer({ families: 3 })
  ;[fam1, fam2, altana, umana, officer1] = await activateAll(t.app, ['FAM-0001', 'FAM-0002', 'PRV-ALTANA', 'PRV-UMANA', 'OFFICER-1'])
  officer2 = await secondOfficer('OFFICER-TEST-2')
  // ALTANA delivers three bookings in November (3 × €15, 1 × €15, 2 × €15), L'UMANA one.
  altanaIds.push(await deliver(fam1, altana, 'chd-0001-1', 'ses-altana-babysitting-20261123', 3, '2026-11-23T17:00:00.000Z'))
  altanaIds.push(await deliver(fam1, altana, 'chd-0001-1', 'ses-altana-babysitting-20261124', 1, '2026-11-24T10:00:00.000Z'))
  altanaIds.push(await deliver(fam2, altana, 'chd-0002-1', 'ses-altana-babysitting-20261125', 2, '2026-11-25T10:00:00.000Z'))
  await deliver(fam2, umana, 'chd-0002-1', 'ses-umana-babysitting-20261125', 2, '2026-11-25T12:00:00.000Z')
  // December: outside the period.
  await deliver(fam2, altana, 'chd-0002-2', 'ses-altana-babysitting-20261126', 1, '2026-12-01T10:00:00.000Z')
  t.clock.set('2026-12-02T09:00:00.000Z')
})
afterAll(() => t.close())

const req = (c: SyncClient, method: string, path: string, body?: unknown) =>
  t.app.request(`/api/office${path}`, body === undefined ? { method, headers: { authorization: `Bearer ${c.token}` } } : { ...json(c.token, body), method })

async function ok(res: Response, status = 200): Promise<Statement> {
  const body: unknown = await res.json()
  expect(res.status, JSON.stringify(body)).toBe(status)
  expect(Statement.parse(body)).toEqual(body)
  return body as Statement
}

async function error(res: Response, status: number, code: string) {
  expect(res.status).toBe(status)
  const body = OfficeError.parse(await res.json())
  expect(body.error.code).toBe(code)
  return body.error
}

const sum = (s: Statement) => s.rows.reduce((a, r) => a + r.voucherCents, 0)

describe('statements: prepare, approve by another officer, pay', () => {
  let draft: Statement

  it('prepares a draft with the provider’s delivered bookings of the period, to the cent', async () => {
    draft = await ok(await req(officer1, 'POST', '/statements', { providerId: 'prv-altana', from: '2026-11-01', to: '2026-11-30' }), 201)
    expect(draft).toMatchObject({ status: 'draft', providerId: 'prv-altana', from: '2026-11-01', to: '2026-11-30', rowCount: 3, preparedBy: 'cod-officer-1' })
    expect(draft.rows.map((r) => r.bookingId)).toEqual(altanaIds)
    expect(draft.rows[0]).toEqual({
      bookingId: altanaIds[0], emergencyRequestId: null, childFirstName: expect.any(String), serviceId: 'svc-babysitting', serviceName: expect.any(String),
      deliveredAt: '2026-11-23T17:00:00.000Z', quantity: 3, voucherCents: 4500,
    })
    expect(draft.totalCents).toBe(sum(draft))
    expect(draft.totalCents).toBe(9000)
    // The contract's liquidation agrees for the same provider and period.
    const liq = await (await req(officer1, 'GET', '/liquidation?from=2026-11-01&to=2026-11-30')).json() as { providers: { providerId: string; amountCents: number }[] }
    expect(liq.providers.find((p) => p.providerId === 'prv-altana')?.amountCents).toBe(draft.totalCents)
  })

  it('puts a booking in one statement only: a second one for the period finds nothing left', async () => {
    const e = await error(await req(officer2, 'POST', '/statements', { providerId: 'prv-altana', from: '2026-11-01', to: '2026-11-30' }), 409, 'invalid-state')
    expect(e.details).toMatchObject({ reason: 'no-deliveries' })
    // And the database says so too, whatever a service does.
    await expect(t.db.query(`INSERT INTO statement_rows SELECT 'stm-x', booking_id, child_first_name, service_id, delivered_at, quantity, voucher_cents FROM statement_rows LIMIT 1`))
      .rejects.toThrow()
  })

  it('exports the statement for the accounting office: Italian CSV and .xlsx, from the same answer', async () => {
    const csv = await req(officer1, 'GET', `/statements/${draft.id}/export?format=csv`)
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/)
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await csv.arrayBuffer())
    // The contract's columns, extended at the end with the emergency request's id (issue 9).
    expect(text.startsWith('\uFEFFN.;Data erogazione;Servizio;Codice servizio;Bambino/a;Quantità;Importo voucher (€);Prenotazione;Richiesta urgente\r\n')).toBe(true)
    const lines = text.trim().split('\r\n')
    expect(lines[1]).toMatch(new RegExp(`^1;23/11/2026 18:00;[^;]+;svc-babysitting;[^;]+;3;45,00;${altanaIds[0]};$`))
    expect(lines.at(-1)).toBe(';;;;Totale;;90,00;;')
    const xlsx = await req(officer1, 'GET', `/statements/${draft.id}/export`)
    expect(xlsx.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(await xlsx.arrayBuffer())
    const amounts: unknown[] = []
    wb.worksheets[0]!.getColumn(7).eachCell((cell) => void (cell.value !== null && amounts.push(cell.value)))
    expect(amounts).toEqual(['Importo voucher (€)', 45, 15, 30, { formula: 'SUM(G7:G9)', result: 90 }])
  })

  it('lists and gets statements', async () => {
    const list = await req(officer1, 'GET', '/statements?providerId=prv-altana')
    const body = StatementList.parse(await list.json())
    expect(body.statements.map((s) => s.id)).toEqual([draft.id])
    expect(await ok(await req(officer2, 'GET', `/statements/${draft.id}`))).toEqual(draft)
  })

  it('refuses approval by the officer who prepared it (403 same-officer), and payment before approval', async () => {
    const e = await error(await req(officer1, 'POST', `/statements/${draft.id}/approve`), 403, 'forbidden')
    expect(e.details).toMatchObject({ reason: 'same-officer' })
    await error(await req(officer1, 'POST', `/statements/${draft.id}/pay`, { paidAt: '2026-12-02', reference: 'CRO 1' }), 409, 'invalid-state')
  })

  it('is approved by a second officer, then paid: its bookings become liquidated for the family and the provider', async () => {
    await fam1.pull()
    await fam2.pull()
    await altana.pull()
    await officer1.pull()
    const approved = await ok(await req(officer2, 'POST', `/statements/${draft.id}/approve`))
    expect(approved).toMatchObject({ status: 'approved', approvedBy: 'cod-officer-test-2' })
    await error(await req(officer2, 'POST', `/statements/${draft.id}/approve`), 409, 'invalid-state')

    // One of them assigned to an operator: paying stamps it in the operator's space too.
    await t.db.query("UPDATE bookings SET operator_id = 'opr-altana-1' WHERE id = $1", [altanaIds[2]])
    const poked: string[] = []
    const unsubscribe = t.deps.notifier.subscribe((spaces) => void poked.push(...spaces))
    const paid = await ok(await req(officer1, 'POST', `/statements/${draft.id}/pay`, { paidAt: '2026-12-02', reference: 'CRO 0012345678' }))
    unsubscribe()
    expect(paid).toMatchObject({ status: 'paid', reference: 'CRO 0012345678', paidAt: '2026-12-01T23:00:00.000Z', totalCents: 9000 })
    await error(await req(officer1, 'POST', `/statements/${draft.id}/pay`, { paidAt: '2026-12-02', reference: 'again' }), 409, 'invalid-state')

    // The change travels the usual way: a pull with the old cookie brings the liquidated bookings.
    const famChanges = (await fam1.pull()).changes.filter((c) => c.entity === 'booking')
    expect(famChanges.map((c) => c.key).sort()).toEqual(altanaIds.slice(0, 2).sort())
    expect(famChanges.every((c) => (c.value as { status: string }).status === 'liquidated')).toBe(true)
    const prvChanges = (await altana.pull()).changes.filter((c) => c.entity === 'booking')
    expect(prvChanges.map((c) => c.key).sort()).toEqual([...altanaIds].sort())
    expect(altana.get<{ status: string; updatedAt: string }>('booking', altanaIds[2]!)).toMatchObject({ status: 'liquidated', updatedAt: '2026-12-02T09:00:00.000Z' })
    // Liquidation still counts them (delivered or liquidated).
    const liq = await (await req(officer1, 'GET', '/liquidation?from=2026-11-01&to=2026-11-30')).json() as { totalCents: number }
    expect(liq.totalCents).toBe(12000)
    // Each pull brings each booking once: the next pull, nothing.
    expect((await fam1.pull()).changes.filter((c) => c.entity === 'booking')).toEqual([])
    expect((await altana.pull()).changes.filter((c) => c.entity === 'booking')).toEqual([])
    // The other family: its own booking only; the office (every provider's orders): all three.
    const fam2Changes = (await fam2.pull()).changes.filter((c) => c.entity === 'booking')
    expect(fam2Changes.map((c) => [c.key, (c.value as { status: string }).status])).toEqual([[altanaIds[2], 'liquidated']])
    const officeChanges = (await officer1.pull()).changes.filter((c) => c.entity === 'booking')
    expect(officeChanges.map((c) => c.key).sort()).toEqual([...altanaIds].sort())

    // How (migration 0025): the families' and the provider's stamps are the statement's paid_xid, one
    // write instead of one row_versions upsert per booking and space; the pull reads it as those
    // stamps. Only the assigned operator's space gets a row_versions stamp (the registry's third space).
    const [{ paidXid }] = await t.db.query<{ paidXid: string }>('SELECT paid_xid::text AS "paidXid" FROM statements WHERE id = $1', [draft.id]) as [{ paidXid: string }]
    const stamped = await t.db.query<{ key: string; space: string }>(
      "SELECT key, space FROM row_versions WHERE entity = 'booking' AND key = ANY($1) AND xid::text = $2 AND NOT deleted ORDER BY 1, 2", [altanaIds, paidXid])
    expect(stamped).toEqual([{ key: altanaIds[2], space: 'assigned:opr-altana-1' }])
    // The spaces the SQL spells (BOOKING_SPACES_SQL: stamped or poked) are exactly the registry's.
    const booked = await t.db.query<Pick<Booking, 'id' | 'familyId' | 'providerId' | 'operatorId'>>(
      'SELECT id, family_id AS "familyId", provider_id AS "providerId", operator_id AS "operatorId" FROM bookings WHERE id = ANY($1)', [altanaIds])
    expect(booked.find((b) => b.id === altanaIds[2])).toMatchObject({ operatorId: 'opr-altana-1' })
    expect([...new Set(poked)].sort()).toEqual([...new Set(booked.flatMap((b) => def('booking').spaces(b as Booking)))].sort())
    expect(poked).toContain('assigned:opr-altana-1')
  })

  it('writes every step to the audit log, with the person who took it', async () => {
    const res = await req(officer1, 'GET', `/audit?entity=statement&entityId=${draft.id}`)
    const body: unknown = await res.json()
    expect(AuditAnswer.parse(body)).toEqual(body)
    const { entries } = body as AuditAnswer
    expect(entries.map((e) => [e.action, e.personId])).toEqual([
      ['statement.pay', 'cod-officer-1'], ['statement.approve', 'cod-officer-test-2'], ['statement.prepare', 'cod-officer-1'],
    ])
    const byPerson = (await (await req(officer1, 'GET', '/audit?personId=cod-officer-test-2')).json()) as AuditAnswer
    expect(byPerson.entries.every((e) => e.personId === 'cod-officer-test-2')).toBe(true)
    // Paying is ONE entry, the statement's, naming what was paid; a booking's own entries find it
    // through the statement's rows (there is no entry per booking liquidated).
    const pay = entries[0]!
    expect(pay.details).toEqual({
      providerId: 'prv-altana', from: '2026-11-01', to: '2026-11-30', paidAt: '2026-12-01T23:00:00.000Z', reference: 'CRO 0012345678',
      bookings: 3, emergencyRequests: 0, rowCount: 3, totalCents: 9000,
    })
    for (const bookingId of altanaIds) {
      const ofBooking = (await (await req(officer1, 'GET', `/audit?entity=booking&entityId=${bookingId}`)).json()) as AuditAnswer
      expect(ofBooking.entries[0]).toEqual(pay)
      // Its earlier entries are still its own (the provider's confirmation and delivery, pushed).
      expect(ofBooking.entries.slice(1).every((e) => e.entity === 'booking' && e.entityId === bookingId)).toBe(true)
      expect(ofBooking.entries.map((e) => e.action)).toEqual(['statement.pay', 'booking.deliver', 'booking.confirm'])
    }
    const [{ n }] = await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE action IN ('booking.liquidate', 'emergency.paid')") as [{ n: number }]
    expect(n).toBe(0)
    // A booking of no statement paid (L'UMANA's) finds no payment.
    const umanaRow = (await t.db.query<{ id: string }>("SELECT id FROM bookings WHERE provider_id = 'prv-umana' AND status = 'delivered' LIMIT 1"))[0]!
    const ofUmana = (await (await req(officer1, 'GET', `/audit?entity=booking&entityId=${umanaRow.id}`)).json()) as AuditAnswer
    expect(ofUmana.entries.map((e) => e.action)).not.toContain('statement.pay')
    // Append-only: the database refuses to change or delete an entry.
    await expect(t.db.query("UPDATE audit_log SET action = 'x'")).rejects.toThrow(/append-only/)
    await expect(t.db.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/)
  })
})

describe('statements: who and what', () => {
  it('is refused to parents and providers (403) on every statement endpoint', async () => {
    const [fam, prv] = await activateAll(t.app, ['FAM-0003', 'PRV-UMANA'])
    for (const c of [fam, prv]) {
      for (const [method, path, body] of [
        ['POST', '/statements', { providerId: 'prv-umana', from: '2026-11-01', to: '2026-11-30' }], ['GET', '/statements', undefined],
        ['GET', '/statements/stm-x', undefined], ['GET', '/statements/stm-x/export', undefined], ['POST', '/statements/stm-x/approve', undefined],
        ['POST', '/statements/stm-x/pay', { paidAt: '2026-12-01', reference: 'x' }], ['GET', '/audit', undefined],
      ] as const) await error(await req(c, method, path, body), 403, 'forbidden')
    }
  })

  it('two officers preparing the same statement at once: one gets it, the other 409, no booking twice', async () => {
    t.clock.set(TEST_NOW) // booked before the session starts
    await deliver(fam2, umana, 'chd-0002-2', 'ses-umana-babysitting-20261126', 1, '2026-12-01T11:00:00.000Z')
    t.clock.set('2026-12-02T09:00:00.000Z')
    const body = { providerId: 'prv-umana', from: '2026-12-01', to: '2026-12-31' }
    const answers = await Promise.all([req(officer1, 'POST', '/statements', body), req(officer2, 'POST', '/statements', body)])
    expect(answers.map((r) => r.status).sort()).toEqual([201, 409])
    const [row] = await t.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM statement_rows r JOIN statements s ON s.id = r.statement_id WHERE s.provider_id = 'prv-umana' AND s.period_from = '2026-12-01'")
    expect(row?.n).toBe(1)
  })

  it('pays all of a statement or nothing: a booking that is no longer delivered stops the payment (409), none is liquidated', async () => {
    t.clock.set(TEST_NOW)
    const ids = [await deliver(fam1, altana, 'chd-0001-1', 'ses-altana-babysitting-20261125', 1, '2026-12-11T10:00:00.000Z'),
      await deliver(fam2, altana, 'chd-0002-1', 'ses-altana-babysitting-20261123', 1, '2026-12-12T10:00:00.000Z')].sort()
    t.clock.set('2026-12-02T09:00:00.000Z')
    const draft = await ok(await req(officer1, 'POST', '/statements', { providerId: 'prv-altana', from: '2026-12-10', to: '2026-12-20' }), 201)
    expect(draft.rows.map((r) => r.bookingId).sort()).toEqual(ids)
    expect(draft.totalCents).toBe(sum(draft))
    await ok(await req(officer2, 'POST', `/statements/${draft.id}/approve`))
    // Not a state the mutators reach (delivered only moves to liquidated): the database's word is checked anyway.
    await t.db.query("UPDATE bookings SET status = 'cancelled' WHERE id = $1", [ids[1]])
    const e = await error(await req(officer1, 'POST', `/statements/${draft.id}/pay`, { paidAt: '2026-12-02', reference: 'CRO 2' }), 409, 'invalid-state')
    expect(e.details).toMatchObject({ status: 'cancelled', action: 'liquidate', bookingId: ids[1] })
    const statuses = await t.db.query<{ status: string }>('SELECT status FROM bookings WHERE id = ANY($1::text[]) ORDER BY id', [ids])
    expect(statuses.map((r) => r.status)).toEqual(['delivered', 'cancelled'])
    expect(await ok(await req(officer1, 'GET', `/statements/${draft.id}`))).toMatchObject({ status: 'approved', paidAt: null, reference: null })
    const audit = (await (await req(officer1, 'GET', `/audit?entity=booking&entityId=${ids[0]}`)).json()) as AuditAnswer
    expect(audit.entries.map((x) => x.action)).not.toContain('statement.pay')
    const [{ n: refused }] = await t.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM audit_log WHERE action = 'statement.pay' AND entity_id = $1", [draft.id]) as [{ n: number }]
    expect(refused).toBe(0)
    // Put right, it is paid: both liquidated, the payment audited once, found from either booking.
    await t.db.query("UPDATE bookings SET status = 'delivered' WHERE id = $1", [ids[1]])
    await ok(await req(officer1, 'POST', `/statements/${draft.id}/pay`, { paidAt: '2026-12-02', reference: 'CRO 2' }))
    const after = await t.db.query<{ status: string }>('SELECT status FROM bookings WHERE id = ANY($1::text[])', [ids])
    expect(after.map((r) => r.status)).toEqual(['liquidated', 'liquidated'])
    const [{ n }] = await t.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM audit_log WHERE action = 'statement.pay' AND entity_id = $1", [draft.id]) as [{ n: number }]
    expect(n).toBe(1)
    for (const id of ids) {
      const of = (await (await req(officer1, 'GET', `/audit?entity=booking&entityId=${id}`)).json()) as AuditAnswer
      expect(of.entries[0]).toMatchObject({ action: 'statement.pay', entity: 'statement', entityId: draft.id, details: { bookings: 2, reference: 'CRO 2' } })
    }
  })

  it('answers 404 for a statement or provider it does not know (or of another program)', async () => {
    await error(await req(officer1, 'GET', '/statements/stm-nope'), 404, 'not-found')
    await error(await req(officer1, 'POST', '/statements/stm-nope/approve'), 404, 'not-found')
    await error(await req(officer1, 'POST', '/statements', { providerId: 'prv-nope', from: '2026-11-01', to: '2026-11-30' }), 404, 'not-found')
  })

  it('answers 400 validation for bad input, and writes nothing', async () => {
    const before = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM statements')
    for (const body of [{}, { providerId: 'prv-umana', from: '2026-12-01', to: '2026-11-01' }, { providerId: 'prv-umana', from: '1/11/2026', to: '2026-11-30' },
      { providerId: 'prv-umana', from: '2026-11-01', to: '2026-11-30', extra: 1 }]) {
      await error(await req(officer1, 'POST', '/statements', body), 400, 'validation')
    }
    const draft = await ok(await req(officer1, 'POST', '/statements', { providerId: 'prv-umana', from: '2026-11-01', to: '2026-11-30' }), 201)
    await ok(await req(officer2, 'POST', `/statements/${draft.id}/approve`))
    for (const body of [{ paidAt: '2026-12-01' }, { paidAt: 'yesterday', reference: 'x' }, { paidAt: '2026-12-01', reference: '   ' }]) {
      await error(await req(officer1, 'POST', `/statements/${draft.id}/pay`, body), 400, 'validation')
    }
    await error(await req(officer1, 'GET', '/statements?status=lost'), 400, 'validation')
    await error(await req(officer1, 'GET', `/statements/${draft.id}/export?format=pdf`), 400, 'validation')
    const after = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM statements')
    expect(after[0]!.n).toBe(before[0]!.n + 1)
  })
})

describe('statements: delivered emergencies (issue 9)', () => {
  /** An emergency of family 1's second child, 06:30–10:30 on 5 December, accepted by ALTANA (its usual cooperative) and delivered. */
  async function deliveredEmergency(outcome: { deliveredHours: number } | { noShow: true }): Promise<string> {
    const requestId = uniqueId('stm-em')
    t.clock.set('2026-12-05T06:00:00.000Z')
    const args = { requestId, childId: 'chd-0001-2', startsAt: '2026-12-05T06:30:00.000Z', endsAt: '2026-12-05T10:30:00.000Z', territoryId: 'ter-crema', address: 'Via Roma 1' }
    expect((await fam1.push('emergency.request', args)).status).toBe('applied')
    expect((await altana.push('emergency.accept', { requestId })).status).toBe('applied')
    t.clock.set('2026-12-05T09:00:00.000Z')
    expect((await altana.push('emergency.deliver', { requestId, ...outcome })).status).toBe('applied')
    return requestId
  }

  it('a statement holds the period\'s delivered emergencies beside its bookings (no-shows not), its total their sum to the cent in JSON, CSV and .xlsx', async () => {
    const attended = await deliveredEmergency({ deliveredHours: 3 })
    await deliveredEmergency({ noShow: true })
    t.clock.set(TEST_NOW)
    const booked = await deliver(fam2, altana, 'chd-0002-2', 'ses-altana-babysitting-20261124', 1, '2026-12-06T10:00:00.000Z')
    t.clock.set('2026-12-08T09:00:00.000Z')
    const [{ spent }] = await t.db.query<{ spent: number }>('SELECT spent_cents AS spent FROM emergency_requests WHERE id = $1', [attended]) as [{ spent: number }]
    expect(spent).toBeGreaterThan(0)

    const draft = await ok(await req(officer1, 'POST', '/statements', { providerId: 'prv-altana', from: '2026-12-05', to: '2026-12-07' }), 201)
    expect(draft.rows).toEqual([
      { bookingId: null, emergencyRequestId: attended, childFirstName: expect.any(String), serviceId: 'svc-babysitting', serviceName: expect.stringMatching(/\(urgenza\)$/),
        deliveredAt: '2026-12-05T09:00:00.000Z', quantity: 3, voucherCents: spent },
      expect.objectContaining({ bookingId: booked, emergencyRequestId: null, quantity: 1 }),
    ])
    expect(draft.totalCents).toBe(sum(draft))
    expect(await ok(await req(officer2, 'GET', `/statements/${draft.id}`))).toEqual(draft)
    // The contract's liquidation counts the delivered emergency too (not the no-show): it equals the statement.
    const liq = await (await req(officer1, 'GET', '/liquidation?from=2026-12-05&to=2026-12-07')).json() as { providers: { providerId: string; deliveredCount: number; amountCents: number }[] }
    expect(liq.providers.find((p) => p.providerId === 'prv-altana')).toMatchObject({ deliveredCount: 2, amountCents: draft.totalCents })
    // In one statement only, like a booking: the database says so too.
    await error(await req(officer2, 'POST', '/statements', { providerId: 'prv-altana', from: '2026-12-05', to: '2026-12-07' }), 409, 'invalid-state')
    await expect(t.db.query(`INSERT INTO statement_rows (statement_id, emergency_request_id, child_first_name, delivered_at, quantity, voucher_cents)
      SELECT 'stm-x', emergency_request_id, child_first_name, delivered_at, quantity, voucher_cents FROM statement_rows WHERE emergency_request_id = $1`, [attended])).rejects.toThrow()
    await expect(t.db.query(`INSERT INTO statement_rows (statement_id, child_first_name, delivered_at, quantity, voucher_cents)
      VALUES ($1, 'x', now(), 1, 1)`, [draft.id])).rejects.toThrow() // neither a booking nor a request

    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await (await req(officer1, 'GET', `/statements/${draft.id}/export?format=csv`)).arrayBuffer())
    const lines = text.trim().split('\r\n')
    expect(lines[1]).toMatch(new RegExp(`^1;05/12/2026 10:00;[^;]+ \\(urgenza\\);svc-babysitting;[^;]+;3;[0-9.]+,[0-9]{2};;${attended}$`))
    expect(lines[2]).toMatch(new RegExp(`;${booked};$`))
    const euro = (c: number) => `${Math.trunc(c / 100)},${String(c % 100).padStart(2, '0')}`
    expect(lines.at(-1)).toBe(`;;;;Totale;;${euro(draft.totalCents)};;`)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(await (await req(officer1, 'GET', `/statements/${draft.id}/export`)).arrayBuffer())
    const amounts: unknown[] = []
    wb.worksheets[0]!.getColumn(7).eachCell((cell) => void (cell.value !== null && amounts.push(cell.value)))
    expect(amounts).toEqual(['Importo voucher (€)', spent / 100, draft.rows[1]!.voucherCents / 100, { formula: 'SUM(G7:G8)', result: draft.totalCents / 100 }])
    expect(wb.worksheets[0]!.getRow(7).getCell(9).value).toBe(attended)

    // The provider sees the emergency among what the program will pay: delivered → statement → approved → paid.
    const payments = async () => (await (await t.app.request('/api/provider/payments', { headers: { authorization: `Bearer ${altana.token}` } })).json()) as PaymentsAnswer
    const before = await payments()
    expect(before.rows.find((r) => r.emergencyRequestId === attended)).toMatchObject({ bookingId: null, stage: 'statement', voucherCents: spent, deliveredQuantity: 3, statementId: draft.id })
    expect(before.totals.find((x) => x.stage === 'statement')?.voucherCents).toBeGreaterThanOrEqual(draft.totalCents)
    await ok(await req(officer2, 'POST', `/statements/${draft.id}/approve`))
    const paid = await ok(await req(officer1, 'POST', `/statements/${draft.id}/pay`, { paidAt: '2026-12-08', reference: 'CRO 3' }))
    expect(paid.rows).toEqual(draft.rows)
    const [emergency] = await t.db.query<{ status: string }>('SELECT status FROM emergency_requests WHERE id = $1', [attended])
    expect(emergency?.status).toBe('delivered') // an emergency has no liquidated status: paid is its statement's stage
    expect((await t.db.query<{ status: string }>('SELECT status FROM bookings WHERE id = $1', [booked]))[0]?.status).toBe('liquidated')
    const audit = (await (await req(officer1, 'GET', `/audit?entity=emergencyRequest&entityId=${attended}`)).json()) as AuditAnswer
    expect(audit.entries[0]).toMatchObject({ action: 'statement.pay', entity: 'statement', entityId: draft.id, details: { bookings: 1, emergencyRequests: 1, rowCount: 2 } })
    const after = await payments()
    expect(after.rows.find((r) => r.emergencyRequestId === attended)).toMatchObject({ stage: 'paid' })
    expect(after.rows.some((r) => r.emergencyRequestId !== null && r.voucherCents === 0 && r.deliveredQuantity === 0)).toBe(false) // the no-show
  })
})
