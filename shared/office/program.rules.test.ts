import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { accreditationConflicts, configConflicts, noConflicts, suspendable, usesConflicts, type LiveBookingFact } from './program.rules.ts'

const svc = (over: Record<string, unknown> = {}) => ({ id: 'svc-a', ageMinYears: 0, ageMaxYears: 12, acceptsDisability: true, acceptsDsa: true, needsOnly: false, ...over })
const live = (over: Partial<LiveBookingFact> = {}): LiveBookingFact => ({ serviceId: 'svc-a', startsAt: '2026-12-01T08:00:00.000Z', day: '2026-12-01', birthDate: '2020-01-01', ...over })
const next = (over: Record<string, unknown> = {}) => ({ periodFrom: '2026-01-01', periodTo: '2027-06-30', budgetCents: 1_000_000, services: [svc()], ...over })

describe('configConflicts', () => {
  it('none when the change leaves every voucher and booking valid', () => {
    expect(configConflicts(next(), { assignedCents: 900_000, liveBookings: [live()] })).toEqual([])
  })
  it('a budget below what vouchers already assigned', () => {
    expect(configConflicts(next({ budgetCents: 500_000 }), { assignedCents: 900_000, liveBookings: [] }))
      .toEqual([{ reason: 'budget-below-assigned', assignedCents: 900_000 }])
  })
  it('a period that leaves live bookings outside it (by the day in program time), counted', () => {
    const facts = { assignedCents: 0, liveBookings: [live(), live({ day: '2027-07-01' }), live({ day: '2025-12-31' })] }
    expect(configConflicts(next(), facts)).toEqual([{ reason: 'bookings-outside-period', count: 2 }])
    expect(configConflicts(next({ periodTo: '2027-07-01', periodFrom: '2025-12-31' }), facts)).toEqual([])
  })
  it('an age range or accepted needs that a child with a live booking no longer fits, per service', () => {
    const facts = { assignedCents: 0, liveBookings: [live(), live({ birthDate: '2014-01-01' }), live({ disability: true })] }
    expect(configConflicts(next({ services: [svc({ ageMaxYears: 10, acceptsDisability: false })] }), facts)).toEqual([
      { reason: 'bookings-outside-age', serviceId: 'svc-a', count: 1 },
      { reason: 'bookings-need-not-accepted', serviceId: 'svc-a', count: 1 },
    ])
    // A new service (no id) has no bookings.
    expect(configConflicts(next({ services: [svc({ id: undefined, ageMaxYears: 1 })] }), facts)).toEqual([])
  })
  it('every conflict at once, as one invalid-state refusal', () => {
    const conflicts = configConflicts(next({ budgetCents: 0, periodTo: '2026-01-02' }), { assignedCents: 1, liveBookings: [live()] })
    expect(noConflicts(conflicts)).toEqual({ ok: false, code: 'invalid-state', details: { reason: 'config-conflicts', conflicts } })
    expect(conflicts.map((c) => c.reason)).toEqual(['budget-below-assigned', 'bookings-outside-period'])
  })
  it('property: a budget at or above what is assigned never conflicts on the budget', () => {
    fc.assert(fc.property(fc.nat(10_000_000), fc.nat(10_000_000), (assigned, extra) =>
      !configConflicts(next({ budgetCents: assigned + extra }), { assignedCents: assigned, liveBookings: [] }).some((c) => c.reason === 'budget-below-assigned')))
  })
})

describe('accreditationConflicts', () => {
  const open = [{ serviceId: 'b', unitPriceCents: 1500 }, { serviceId: 'b', unitPriceCents: 2000 }, { serviceId: 'a', unitPriceCents: 900 }]
  it('a service withdrawn while its sessions are open, a ceiling below their prices', () => {
    expect(accreditationConflicts([{ serviceId: 'b', maxUnitPriceCents: 1800 }], open)).toEqual([
      { reason: 'sessions-open', serviceId: 'a', count: 1 },
      { reason: 'sessions-above-price', serviceId: 'b', count: 1, maxUnitPriceCents: 1800 },
    ])
    expect(accreditationConflicts([{ serviceId: 'a', maxUnitPriceCents: 900 }, { serviceId: 'b', maxUnitPriceCents: 2000 }, { serviceId: 'c', maxUnitPriceCents: 1 }], open)).toEqual([])
  })
})

describe('suspendable', () => {
  it('suspends an active provider, reinstates a suspended one, refuses the rest', () => {
    expect(suspendable({ suspendedAt: null }, 'suspend').ok).toBe(true)
    expect(suspendable({ suspendedAt: '2026-11-01T00:00:00Z' }, 'suspend')).toMatchObject({ code: 'invalid-state', details: { reason: 'already-suspended' } })
    expect(suspendable({ suspendedAt: '2026-11-01T00:00:00Z' }, 'reinstate').ok).toBe(true)
    expect(suspendable({}, 'reinstate')).toMatchObject({ code: 'invalid-state', details: { reason: 'not-suspended' } })
  })
})

describe('usesConflicts', () => {
  it('one in-use conflict per table with rows, by table name; none when nothing uses it', () => {
    expect(usesConflicts([{ table: 'sessions', count: 3 }, { table: 'bookings', count: 0 }, { table: 'providers', count: 1 }])).toEqual([
      { reason: 'in-use', table: 'providers', count: 1 }, { reason: 'in-use', table: 'sessions', count: 3 },
    ])
    expect(usesConflicts([{ table: 'sessions', count: 0 }])).toEqual([])
    expect(noConflicts(usesConflicts([]))).toEqual({ ok: true, value: undefined })
  })
})
