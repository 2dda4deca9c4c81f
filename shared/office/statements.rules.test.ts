import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { approvable, euroIt, payable, preparable, statementOf, totalOf } from './statements.rules.ts'
import type { StatementRow } from './statements.schema.ts'

const row = (bookingId: string, deliveredAt: string, voucherCents: number): StatementRow => ({
  bookingId, emergencyRequestId: null, childFirstName: 'Giulia', serviceId: 'svc-1', serviceName: 'Servizio', deliveredAt, quantity: 1, voucherCents,
})

describe('statementOf', () => {
  it('orders rows by delivery, then booking, and totals them', () => {
    const s = statementOf([row('b', '2026-10-02T10:00:00.000Z', 1500), row('a', '2026-10-02T10:00:00.000Z', 1), row('c', '2026-10-01T09:00:00.000Z', 4499)])
    expect(s.rows.map((r) => r.bookingId)).toEqual(['c', 'a', 'b'])
    expect(s.totalCents).toBe(6000)
  })

  it('orders an emergency\'s row (no booking) by its request id among the bookings, and adds it to the total', () => {
    const emergency: StatementRow = { ...row('x', '2026-10-02T10:00:00.000Z', 2700), bookingId: null, emergencyRequestId: 'ab' }
    const s = statementOf([row('b', '2026-10-02T10:00:00.000Z', 1500), emergency, row('a', '2026-10-02T10:00:00.000Z', 1)])
    expect(s.rows.map((r) => r.bookingId ?? r.emergencyRequestId)).toEqual(['a', 'ab', 'b'])
    expect(s.totalCents).toBe(4201)
  })

  it('property: the total is the sum of the rows to the cent, and so is the sum of what the export writes', () => {
    const rows = fc.array(fc.record({ id: fc.uuid(), at: fc.date({ min: new Date('2026-01-01'), max: new Date('2027-01-01'), noInvalidDate: true }), cents: fc.integer({ min: 0, max: 30_000 }) }), { maxLength: 300 })
    fc.assert(fc.property(rows, (rs) => {
      const s = statementOf(rs.map((r) => row(r.id, r.at.toISOString(), r.cents)))
      let sum = 0
      for (const r of s.rows) sum += r.voucherCents
      expect(s.totalCents).toBe(sum)
      expect(s.rows).toHaveLength(rs.length)
      // What the spreadsheet shows, read back, adds up to the total shown.
      const back = s.rows.reduce((acc, r) => acc + Number(euroIt(r.voucherCents).replaceAll('.', '').replace(',', '')), 0)
      expect(back).toBe(s.totalCents)
      expect(Number(euroIt(s.totalCents).replaceAll('.', '').replace(',', ''))).toBe(s.totalCents)
    }))
  })
})

describe('euroIt', () => {
  it('writes Italian amounts from integers', () => {
    expect(euroIt(0)).toBe('0,00')
    expect(euroIt(5)).toBe('0,05')
    expect(euroIt(123456)).toBe('1.234,56')
    expect(euroIt(100000000)).toBe('1.000.000,00')
    expect(euroIt(-150)).toBe('-1,50')
  })
})

describe('who may do what', () => {
  it('refuses an empty statement', () => {
    expect(preparable(0)).toEqual({ ok: false, code: 'invalid-state', details: { reason: 'no-deliveries' } })
    expect(preparable(1).ok).toBe(true)
  })

  it('needs a second officer to approve a draft', () => {
    expect(approvable({ status: 'draft', preparedBy: 'cod-a' }, 'cod-a')).toEqual({ ok: false, code: 'forbidden', details: { reason: 'same-officer' } })
    expect(approvable({ status: 'draft', preparedBy: 'cod-a' }, 'cod-b').ok).toBe(true)
    expect(approvable({ status: 'draft', preparedBy: 'cod-a' }, null)).toMatchObject({ ok: false, code: 'forbidden' })
    expect(approvable({ status: 'approved', preparedBy: 'cod-a' }, 'cod-b')).toMatchObject({ ok: false, code: 'invalid-state' })
  })

  it('pays an approved statement once', () => {
    expect(payable({ status: 'approved' }).ok).toBe(true)
    expect(payable({ status: 'draft' })).toMatchObject({ ok: false, code: 'invalid-state' })
    expect(payable({ status: 'paid' })).toMatchObject({ ok: false, code: 'invalid-state' })
  })

  it('totalOf of nothing is zero', () => expect(totalOf([])).toBe(0))
})
