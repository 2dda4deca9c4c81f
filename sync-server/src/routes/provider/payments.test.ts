/**
 * What the program will pay (issue 9): GET /api/provider/payments walks the provider's own deliveries
 * through delivered → in a statement → approved → paid, with the expected payment date from the
 * program's setting (default 60 days after approval), never another provider's, never a no-show.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PaymentsAnswer } from '../../../../shared/provider/payments.schema.ts'
import { hashCode } from '../../services/auth/auth.service.ts'
import { activateAll, json, SyncClient, uniqueId } from '../../test/sync-client.ts'
import { createTestServer, type TestServer } from '../../test/test-server.ts'

let t: TestServer
let fam1: SyncClient, fam2: SyncClient, altana: SyncClient, umana: SyncClient, officer1: SyncClient, officer2: SyncClient
const ids: Record<string, string> = {}

async function deliver(fam: SyncClient, prv: SyncClient, child: string, session: string, quantity: number, opts: { noShow?: true } = {}) {
  const bookingId = uniqueId('pay')
  expect((await fam.push('booking.request', { bookingId, childId: child, sessionId: session, quantity })).status).toBe('applied')
  expect((await prv.push('booking.confirm', { bookingId })).status).toBe('applied')
  const clock = t.clock.now().toISOString()
  t.clock.set('2026-11-27T18:00:00.000Z') // every session used here has run
  expect((await prv.push('booking.deliver', { bookingId, ...opts })).status).toBe('applied')
  t.clock.set(clock)
  return bookingId
}

const office = (c: SyncClient, method: string, path: string, body?: unknown) =>
  t.app.request(`/api/office${path}`, body === undefined ? { method, headers: { authorization: `Bearer ${c.token}` } } : { ...json(c.token, body), method })

async function payments(c: SyncClient): Promise<PaymentsAnswer> {
  const res = await t.app.request('/api/provider/payments', { headers: { authorization: `Bearer ${c.token}` } })
  const body: unknown = await res.json()
  expect(res.status, JSON.stringify(body)).toBe(200)
  return PaymentsAnswer.parse(body)
}

const total = (a: PaymentsAnswer, stage: string) => a.totals.find((x) => x.stage === stage)

beforeAll(async () => {
  t = await createTestServer({ families: 2 })
  ;[fam1, fam2, altana, umana, officer1] = await activateAll(t.app, ['FAM-0001', 'FAM-0002', 'PRV-ALTANA', 'PRV-UMANA', 'OFFICER-1'])
  await t.db.query(
    `INSERT INTO activation_codes (id, code_hash, role, program_id, display_name) VALUES ('cod-officer-pay-2', $1, 'officer', 'prg-conciliare', 'Second officer')`,
    [hashCode('OFFICER-PAY-2')],
  )
  officer2 = await SyncClient.activate(t.app, 'OFFICER-PAY-2')
  // ALTANA: three deliveries (3, 1 and 2 hours of babysitting at €15, the voucher covering all) and a no-show.
  ids.a = await deliver(fam1, altana, 'chd-0001-1', 'ses-altana-babysitting-20261123', 3)
  ids.b = await deliver(fam1, altana, 'chd-0001-1', 'ses-altana-babysitting-20261124', 1)
  ids.c = await deliver(fam2, altana, 'chd-0002-1', 'ses-altana-babysitting-20261125', 2)
  ids.noShow = await deliver(fam2, altana, 'chd-0002-2', 'ses-altana-babysitting-20261126', 1, { noShow: true })
  // L'UMANA: one, which ALTANA must never see.
  ids.other = await deliver(fam2, umana, 'chd-0002-1', 'ses-umana-babysitting-20261125', 2)
  t.clock.set('2026-12-02T09:00:00.000Z')
})
afterAll(() => t.close())

describe('GET /api/provider/payments', () => {
  it('before any statement: everything delivered waits, the no-show and other providers’ deliveries are not there', async () => {
    const a = await payments(altana)
    expect(a.paymentDaysAfterApproval).toBe(60)
    expect(a.totals).toEqual([
      { stage: 'delivered', count: 3, voucherCents: 9000 },
      { stage: 'statement', count: 0, voucherCents: 0 },
      { stage: 'approved', count: 0, voucherCents: 0 },
      { stage: 'paid', count: 0, voucherCents: 0 },
    ])
    expect(a.owedCents).toBe(9000)
    expect(a.rows.map((r) => r.bookingId)).toEqual([ids.c, ids.b, ids.a])
    expect(a.rows.every((r) => r.stage === 'delivered' && r.statementId === null && r.expectedPaymentDate === null)).toBe(true)
    expect(a.statements).toEqual([])
    expect(a.truncated).toBe(false)
    expect((await payments(umana)).rows.map((r) => r.bookingId)).toEqual([ids.other])
  })

  it('follows the statement: prepared, approved (expected date = approval day + 60), paid', async () => {
    // The office puts the 23rd and 24th in one statement, the 25th in another.
    const s1 = (await (await office(officer1, 'POST', '/statements', { providerId: 'prv-altana', from: '2026-11-23', to: '2026-11-24' })).json()) as { id: string }
    const s2 = (await (await office(officer1, 'POST', '/statements', { providerId: 'prv-altana', from: '2026-11-25', to: '2026-11-25' })).json()) as { id: string }
    let a = await payments(altana)
    expect(total(a, 'statement')).toEqual({ stage: 'statement', count: 3, voucherCents: 9000 })
    expect(a.statements.map((s) => [s.id, s.stage, s.expectedPaymentDate])).toEqual([[s2.id, 'statement', null], [s1.id, 'statement', null]])

    expect((await office(officer2, 'POST', `/statements/${s1.id}/approve`)).status).toBe(200)
    a = await payments(altana)
    expect(total(a, 'approved')).toEqual({ stage: 'approved', count: 2, voucherCents: 6000 })
    expect(total(a, 'statement')).toEqual({ stage: 'statement', count: 1, voucherCents: 3000 })
    const approved = a.statements.find((s) => s.id === s1.id)
    expect(approved).toMatchObject({ stage: 'approved', expectedPaymentDate: '2027-01-31', late: false, rowCount: 2, totalCents: 6000 })
    expect(a.rows.find((r) => r.bookingId === ids.a)).toMatchObject({ stage: 'approved', statementId: s1.id, expectedPaymentDate: '2027-01-31' })
    expect(a.owedCents).toBe(9000)

    // The program's own setting (null = 60); past the expected day without payment: late.
    await t.db.query("UPDATE programs SET payment_days_after_approval = 10 WHERE id = 'prg-conciliare'")
    expect((await payments(altana)).statements.find((s) => s.id === s1.id)).toMatchObject({ expectedPaymentDate: '2026-12-12', late: false })
    t.clock.set('2026-12-13T09:00:00.000Z')
    a = await payments(altana)
    expect(a.paymentDaysAfterApproval).toBe(10)
    expect(a.statements.find((s) => s.id === s1.id)).toMatchObject({ late: true })
    await expect(t.db.query("UPDATE programs SET payment_days_after_approval = -1 WHERE id = 'prg-conciliare'")).rejects.toThrow()

    expect((await office(officer1, 'POST', `/statements/${s1.id}/pay`, { paidAt: '2026-12-13', reference: 'CRO 42' })).status).toBe(200)
    a = await payments(altana)
    expect(total(a, 'paid')).toEqual({ stage: 'paid', count: 2, voucherCents: 6000 })
    expect(a.owedCents).toBe(3000)
    expect(a.statements.find((s) => s.id === s1.id)).toMatchObject({ stage: 'paid', reference: 'CRO 42', late: false, paidAt: '2026-12-12T23:00:00.000Z' })
    expect(a.rows.find((r) => r.bookingId === ids.b)).toMatchObject({ stage: 'paid', expectedPaymentDate: null })
  })

  it('answers the provider only: a family, an officer, no token', async () => {
    for (const c of [fam1, officer1]) {
      const res = await t.app.request('/api/provider/payments', { headers: { authorization: `Bearer ${c.token}` } })
      expect(res.status).toBe(403)
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('forbidden')
    }
    expect((await t.app.request('/api/provider/payments')).status).toBe(401)
  })
})
