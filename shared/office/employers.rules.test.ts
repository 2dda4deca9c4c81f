import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { budgetConflicts, fitsBudget, planEmployees } from './employers.rules.ts'

const TODAY = '2026-11-24'
const emp = (ref: string, children: { firstName: string; birthDate: string }[] = [{ firstName: 'Ada', birthDate: '2020-01-01' }]) => ({ externalRef: ref, name: `Famiglia ${ref}`, children })
const opts = { voucherCents: 20_000, today: TODAY, existingRefs: new Set(['OLD-1']) }

describe('planEmployees', () => {
  it('funds each child aged 0–16 on the day at the program’s voucher amount', () => {
    const r = planEmployees([{ row: 1, value: emp('A', [{ firstName: 'Ada', birthDate: '2020-01-01' }, { firstName: 'Teo', birthDate: '2008-01-01' }]) }, { row: 2, value: emp('B') }], opts)
    expect(r).toMatchObject({ plan: { vouchers: 2, costCents: 40_000 } })
    if ('plan' in r) expect(r.plan.employees[0]!.funded.map((c) => c.firstName)).toEqual(['Ada'])
  })
  it('reports every bad row (shape, already imported, twice in the file, future birth, no eligible child) and plans nothing', () => {
    const r = planEmployees([
      { row: 1, value: emp('A') },
      { row: 2, value: { externalRef: '', name: 'x', children: [] } },
      { row: 3, value: emp('OLD-1') },
      { row: 4, value: emp('A') },
      { row: 5, value: emp('C', [{ firstName: 'Neo', birthDate: '2027-01-01' }]) },
      { row: 6, value: emp('D', [{ firstName: 'Old', birthDate: '2000-01-01' }]) },
    ], opts)
    expect('errors' in r && r.errors.map((e) => [e.row, e.code])).toEqual([[2, 'validation'], [3, 'invalid-state'], [4, 'invalid-state'], [5, 'validation'], [6, 'child-ineligible']])
  })
  it('fitsBudget: over what is left is refused with the figures', () => {
    const r = planEmployees([{ row: 1, value: emp('A') }], opts)
    if (!('plan' in r)) throw new Error('plan expected')
    expect(fitsBudget(r.plan, 30_000, 0).ok).toBe(true)
    expect(fitsBudget(r.plan, 30_000, 15_000)).toEqual({ ok: false, code: 'invalid-state', details: { reason: 'budget-exceeded', neededCents: 20_000, remainingCents: 15_000 } })
  })
  it('property: a plan costs exactly vouchers × amount, and every row either plans or errs', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 10 }), (ages) => {
      const rows = ages.map((age, i) => ({ row: i + 1, value: emp(`R${i}`, [{ firstName: 'X', birthDate: `${2026 - age}-01-01` }]) }))
      const r = planEmployees(rows, opts)
      if ('plan' in r) return r.plan.costCents === r.plan.vouchers * 20_000 && r.plan.employees.length === rows.length
      return r.errors.length > 0 && r.errors.length <= rows.length
    }))
  })
})

describe('budgetConflicts', () => {
  it('a budget at or above what the vouchers took is fine; below it, one conflict with the amount and the vouchers', () => {
    expect(budgetConflicts(40_000, { assignedCents: 40_000, vouchers: 2 })).toEqual([])
    expect(budgetConflicts(90_000, { assignedCents: 40_000, vouchers: 2 })).toEqual([])
    expect(budgetConflicts(39_999, { assignedCents: 40_000, vouchers: 2 })).toEqual([{ reason: 'budget-below-assigned', assignedCents: 40_000, count: 2 }])
  })
})
