/**
 * Employers funding a program's vouchers (issue 11; shared/office/employers.{schema,rules}.ts): the
 * office creates an employer with its budget and imports its employees (JSON or CSV). An import is
 * all or nothing: every bad row is reported and nothing is written, and one that does not fit the
 * employer's budget left is 409. A good one creates, in one transaction under the employer's row
 * lock, each employee's family (named as given), its children aged 0–16 (with their needs), one
 * voucher each of the program's amount, and one activation code (60 random bits), stamped in the
 * family's space like the call's assignment does; the employer's assigned amount grows by the cost
 * (CHECK assigned <= budget backs it), and the audit log says who did it.
 */
import { randomUUID } from 'node:crypto'
import type { Actor } from '../../../../shared/actor.ts'
import type {
  CreateEmployerRequest, EmployerEntry, EmployersAnswer, ImportEmployeesAnswer, ImportError, UpdateEmployerRequest,
} from '../../../../shared/office/employers.schema.ts'
import { budgetConflicts, fitsBudget, planEmployees, type EmployeeRow } from '../../../../shared/office/employers.rules.ts'
import { noConflicts } from '../../../../shared/office/program.rules.ts'
import { sqlState, type Queryable } from '../../db/db.ts'
import type { AppDeps } from '../../deps.ts'
import { AppError } from '../../errors.ts'
import { readCsvRecords } from './csv-records.ts'
import { recordAudit, type AuditRecord } from '../audit/audit-log.ts'
import { generateActivationCode } from '../auth/activation-codes.ts'
import { hashCode } from '../auth/auth.service.ts'
import { insertNew } from '../../db/insert-rows.ts'
import { putNew } from '../sync/put-entities.ts'
import { versionedWrite } from '../sync/versioned-write.ts'
import { zonedDate } from '../time-zone.ts'
import { FAMILY_CODE_PREFIX } from './assign.service.ts'

type Deps = Pick<AppDeps, 'db' | 'clock' | 'notifier'>

const UNIQUE_VIOLATION = '23505'

export async function listEmployers(q: Queryable, officer: Actor, id?: string): Promise<EmployersAnswer> {
  const [program] = await q.query<{ voucherCents: number; coveragePercent: number }>(
    'SELECT voucher_amount_cents AS "voucherCents", voucher_coverage_percent AS "coveragePercent" FROM programs WHERE id = $1', [officer.programId])
  const employers = await q.query<EmployerEntry>(
    `SELECT e.id, e.name, e.budget_cents AS "budgetCents", e.assigned_cents AS "assignedCents",
       (SELECT count(*)::int FROM employees m WHERE m.employer_id = e.id) AS employees,
       (SELECT count(*)::int FROM vouchers v JOIN families f ON f.id = v.family_id WHERE f.employer_id = e.id) AS vouchers
     FROM employers e WHERE e.program_id = $1 ${id ? 'AND e.id = $2' : ''} ORDER BY e.name, e.id`,
    id ? [officer.programId, id] : [officer.programId],
  )
  return { voucherCents: program?.voucherCents ?? 0, coveragePercent: program?.coveragePercent ?? 100, employers }
}

/** Employers exist only in programs funded by them. */
async function employerFunded(q: Queryable, programId: string): Promise<{ voucherCents: number; timeZone: string }> {
  const [p] = await q.query<{ funding: string | null; voucherCents: number; timeZone: string }>(
    'SELECT funding, voucher_amount_cents AS "voucherCents", time_zone AS "timeZone" FROM programs WHERE id = $1 FOR NO KEY UPDATE', [programId])
  if (!p) throw new AppError('not-found', { entity: 'program', id: programId })
  if (p.funding !== 'employer') throw new AppError('invalid-state', { reason: 'not-employer-funded' })
  return p
}

export async function createEmployer(deps: Deps, officer: Actor, req: CreateEmployerRequest): Promise<EmployerEntry> {
  const id = `emp-${randomUUID()}`
  const now = deps.clock.now().toISOString()
  const exists = () => new AppError('invalid-state', { reason: 'employer-exists' })
  try {
    await deps.db.transaction(async (tx) => {
      await employerFunded(tx, officer.programId)
      // The friendly answer without a failed statement; the unique index (0023) is what decides a race.
      const [clash] = await tx.query('SELECT 1 FROM employers WHERE program_id = $1 AND lower(name) = lower($2)', [officer.programId, req.name])
      if (clash) throw exists()
      tx.send('INSERT INTO employers (id, program_id, name, budget_cents, created_at) VALUES ($1, $2, $3, $4, $5)', [id, officer.programId, req.name, req.budgetCents, now])
      recordAudit(tx, officer, now, [{ action: 'employer.create', entity: 'employer', entityId: id, details: { budgetCents: req.budgetCents } }])
    })
  } catch (e) {
    // employers_program_name_ci: another officer created the same name (any case) meanwhile.
    if (sqlState(e) === UNIQUE_VIOLATION) throw exists()
    throw e
  }
  const [entry] = (await listEmployers(deps.db, officer, id)).employers
  return entry!
}

/**
 * PUT /employers/:id {budgetCents}: the employer's budget changed. More budget funds more employees'
 * vouchers at the next import (what is left is recomputed from it: budget − assigned); a budget below
 * what its vouchers already took is 409 `config-conflicts` [{reason: 'budget-below-assigned',
 * assignedCents, count: vouchers}] and nothing changes (a voucher is never taken back by a cut).
 * Under the program's and the employer's row locks, as an import: the two never interleave. Audited
 * with the budget before and after.
 */
export async function updateEmployer(deps: Deps, officer: Actor, employerId: string, req: UpdateEmployerRequest): Promise<EmployerEntry> {
  const now = deps.clock.now().toISOString()
  await deps.db.transaction(async (tx) => {
    await employerFunded(tx, officer.programId)
    const [employer] = await tx.query<{ budgetCents: number; assignedCents: number; vouchers: number }>(
      `SELECT e.budget_cents AS "budgetCents", e.assigned_cents AS "assignedCents",
         (SELECT count(*)::int FROM vouchers v JOIN families f ON f.id = v.family_id WHERE f.employer_id = e.id) AS vouchers
       FROM employers e WHERE e.id = $1 AND e.program_id = $2 FOR UPDATE OF e`,
      [employerId, officer.programId],
    )
    if (!employer) throw new AppError('not-found', { entity: 'employer', id: employerId })
    const checked = noConflicts(budgetConflicts(req.budgetCents, { assignedCents: Number(employer.assignedCents), vouchers: employer.vouchers }))
    if (!checked.ok) throw new AppError(checked.code, checked.details)
    tx.send('UPDATE employers SET budget_cents = $2 WHERE id = $1', [employerId, req.budgetCents])
    recordAudit(tx, officer, now, [{
      action: 'employer.budget', entity: 'employer', entityId: employerId, details: { budgetCents: req.budgetCents, beforeCents: Number(employer.budgetCents) },
    }])
  })
  const [entry] = (await listEmployers(deps.db, officer, employerId)).employers
  return entry!
}

const YES = new Set(['1', 'true', 'yes', 'y', 'si', 'sì', 's', 'x'])
const NO = new Set(['', '0', 'false', 'no', 'n'])
const COLUMNS: Record<string, string> = {
  externalref: 'externalRef', matricola: 'externalRef', name: 'name', nome: 'name', famiglia: 'name',
  firstname: 'firstName', childfirstname: 'firstName', birthdate: 'birthDate', childbirthdate: 'birthDate', disability: 'disability', dsa: 'dsa',
}

/**
 * Employees as CSV, one row per child: externalRef, name, firstName, birthDate[, disability, dsa]
 * (comma or semicolon; header in any order; yes/no as sì/no, 1/0, true/false). Rows sharing an
 * externalRef are one employee; each employee is reported by its first line (header = line 1).
 */
export function parseEmployeesCsv(text: string): EmployeeRow[] {
  const { head, body } = readCsvRecords(text)
  const cols = head.record.map((h) => COLUMNS[h.trim().toLowerCase().replace(/[^a-z]/g, '')] ?? null)
  for (const need of ['externalRef', 'name', 'firstName', 'birthDate']) if (!cols.includes(need)) throw new AppError('validation', { reason: 'missing-column', name: need })
  const byRef = new Map<string, { row: number; value: { externalRef: string; name: string; children: unknown[] } }>()
  const out: EmployeeRow[] = []
  for (const { record, info } of body) {
    const f: Record<string, string> = {}
    cols.forEach((c, i) => { if (c) f[c] = (record[i] ?? '').trim() })
    const flag = (v: string | undefined) => (v === undefined || NO.has(v.toLowerCase()) ? false : YES.has(v.toLowerCase()) ? true : v)
    const child = { firstName: f.firstName, birthDate: f.birthDate, disability: flag(f.disability), dsa: flag(f.dsa) }
    const ref = f.externalRef ?? ''
    const known = ref ? byRef.get(ref) : undefined
    if (known) known.value.children.push(child)
    else {
      const entry = { row: info.lines, value: { externalRef: ref, name: f.name ?? '', children: [child] as unknown[] } }
      if (ref) byRef.set(ref, entry)
      out.push(entry)
    }
  }
  return out
}

export async function importEmployees(deps: Deps, officer: Actor, employerId: string, rows: EmployeeRow[]): Promise<ImportEmployeesAnswer> {
  const now = deps.clock.now().toISOString()
  return versionedWrite(deps, async (tx, changes) => {
    const program = await employerFunded(tx, officer.programId)
    const [employer] = await tx.query<{ id: string; budgetCents: number; assignedCents: number }>(
      'SELECT id, budget_cents AS "budgetCents", assigned_cents AS "assignedCents" FROM employers WHERE id = $1 AND program_id = $2 FOR UPDATE',
      [employerId, officer.programId],
    )
    if (!employer) throw new AppError('not-found', { entity: 'employer', id: employerId })
    const existing = await tx.query<{ ref: string }>('SELECT external_ref AS ref FROM employees WHERE employer_id = $1', [employerId])
    const planned = planEmployees(rows, { voucherCents: program.voucherCents, today: zonedDate(deps.clock.now(), program.timeZone), existingRefs: new Set(existing.map((e) => e.ref)) })
    if ('errors' in planned) return { imported: 0, vouchers: 0, assignedCents: 0, errors: planned.errors satisfies ImportError[], codes: [] }
    const { plan } = planned
    const fits = fitsBudget(plan, Number(employer.budgetCents), Number(employer.assignedCents))
    if (!fits.ok) throw new AppError(fits.code, fits.details)

    const made = plan.employees.map((p) => ({
      ...p, familyId: `fam-${randomUUID()}`, codeId: `cod-${randomUUID()}`, code: generateActivationCode(FAMILY_CODE_PREFIX),
      children: p.funded.map((c) => ({ ...c, id: `chd-${randomUUID()}`, voucherId: `vch-${randomUUID()}` })),
    }))
    await putNew(tx, changes, 'family', made.map((m) => ({ id: m.familyId, programId: officer.programId, name: m.employee.name })))
    await putNew(tx, changes, 'child', made.flatMap((m) => m.children.map((c) => ({
      id: c.id, familyId: m.familyId, firstName: c.firstName, birthDate: c.birthDate, disability: c.disability, dsa: c.dsa,
    }))))
    await putNew(tx, changes, 'voucher', made.flatMap((m) => m.children.map((c) => ({
      id: c.voucherId, childId: c.id, familyId: m.familyId, programId: officer.programId, amountCents: program.voucherCents, heldCents: 0, spentCents: 0, balanceCents: program.voucherCents,
    }))))
    tx.send('UPDATE families SET employer_id = $1 WHERE id = ANY($2::text[])', [employerId, made.map((m) => m.familyId)])
    await insertNew(tx, 'activation_codes', ['id', 'code_hash', 'role', 'program_id', 'family_id', 'display_name', 'created_at'],
      made.map((m) => [m.codeId, hashCode(m.code), 'parent', officer.programId, m.familyId, m.employee.name, now]))
    await insertNew(tx, 'employees', ['id', 'employer_id', 'external_ref', 'family_id', 'activation_code_id', 'created_at'],
      made.map((m) => [`emq-${randomUUID()}`, employerId, m.employee.externalRef, m.familyId, m.codeId, now]))
    tx.send('UPDATE employers SET assigned_cents = assigned_cents + $2 WHERE id = $1', [employerId, plan.costCents])
    recordAudit(tx, officer, now, [
      { action: 'employer.import', entity: 'employer', entityId: employerId, details: { employees: made.length, vouchers: plan.vouchers, costCents: plan.costCents } },
      ...made.map((m): AuditRecord => ({ action: 'family.create', entity: 'family', entityId: m.familyId, details: { employerId, vouchers: m.children.length } })),
    ])
    return {
      imported: made.length, vouchers: plan.vouchers, assignedCents: plan.costCents, errors: [],
      codes: made.map((m) => ({ externalRef: m.employee.externalRef, name: m.employee.name, activationCode: m.code })),
    }
  })
}
