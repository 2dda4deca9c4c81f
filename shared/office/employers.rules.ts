/**
 * An employer's employees imported into vouchers (issue 11). Pure: rows come in already read (JSON
 * or CSV), with their row numbers; the office gets EVERY bad row reported and, if there is any,
 * nothing is imported. A good import costs the program's voucher amount for each child aged 0–16 on
 * the import day; it must fit the employer's budget left (else nothing is imported either).
 */
import { ok, refuse, type Result } from '../result.ts'
import { ageInYears } from '../time.ts'
import { EmployeeInput, type ImportError } from './employers.schema.ts'
import type { ConfigConflict } from './program.schema.ts'

export const MAX_CHILD_AGE = 16

export interface EmployeeRow {
  row: number
  value: unknown
}

export interface PlannedEmployee {
  employee: EmployeeInput
  /** The children who get a voucher (aged 0–16 on the day). */
  funded: EmployeeInput['children']
}

export interface ImportPlan {
  employees: PlannedEmployee[]
  vouchers: number
  costCents: number
}

/** Every row checked; an error list, or the plan. */
export function planEmployees(
  rows: readonly EmployeeRow[],
  opts: { voucherCents: number; today: string; existingRefs: ReadonlySet<string> },
): { errors: ImportError[] } | { plan: ImportPlan } {
  const errors: ImportError[] = []
  const seen = new Map<string, number>()
  const employees: PlannedEmployee[] = []
  for (const { row, value } of rows) {
    const parsed = EmployeeInput.safeParse(value)
    if (!parsed.success) {
      errors.push({ row, code: 'validation', message: parsed.error.issues.map((i) => `${i.path.join('.') || 'riga'}: ${i.message}`).join('; ') })
      continue
    }
    const e = parsed.data
    if (opts.existingRefs.has(e.externalRef)) {
      errors.push({ row, code: 'invalid-state', message: `${e.externalRef}: dipendente già importato per questo datore di lavoro` })
      continue
    }
    const first = seen.get(e.externalRef)
    if (first !== undefined) {
      errors.push({ row, code: 'invalid-state', message: `${e.externalRef}: già alla riga ${first} di questo file` })
      continue
    }
    seen.set(e.externalRef, row)
    const future = e.children.find((c) => c.birthDate > opts.today)
    if (future) {
      errors.push({ row, code: 'validation', message: `${future.firstName}: data di nascita nel futuro` })
      continue
    }
    const funded = e.children.filter((c) => ageInYears(c.birthDate, opts.today) <= MAX_CHILD_AGE)
    if (funded.length === 0) {
      errors.push({ row, code: 'child-ineligible', message: `${e.externalRef}: nessun figlio tra 0 e ${MAX_CHILD_AGE} anni` })
      continue
    }
    employees.push({ employee: e, funded })
  }
  if (errors.length) return { errors }
  const vouchers = employees.reduce((n, e) => n + e.funded.length, 0)
  return { plan: { employees, vouchers, costCents: vouchers * opts.voucherCents } }
}

/** The plan fits what is left of the employer's budget. */
export function fitsBudget(plan: ImportPlan, budgetCents: number, assignedCents: number): Result<void> {
  const remainingCents = budgetCents - assignedCents
  if (plan.costCents > remainingCents) return refuse('invalid-state', { reason: 'budget-exceeded', neededCents: plan.costCents, remainingCents })
  return ok(undefined)
}

/**
 * An employer's new budget: refused below what its vouchers already took (they stay as they are: a
 * family's voucher is never taken back by a budget cut), with the amount and how many vouchers that is.
 */
export function budgetConflicts(budgetCents: number, assigned: { assignedCents: number; vouchers: number }): ConfigConflict[] {
  return budgetCents < assigned.assignedCents ? [{ reason: 'budget-below-assigned', assignedCents: assigned.assignedCents, count: assigned.vouchers }] : []
}
