/**
 * The program's configuration (issue 11; docs/office-commands.md): read it, change it, create a new
 * program. A change that would break existing vouchers or bookings is refused with every conflict
 * (shared/office/program.rules.ts) and writes nothing. Rows the phones mirror (program, territories,
 * services) are stamped in the program's space, so every phone of the program pulls the change.
 * Every change writes an audit entry in its transaction.
 */
import { randomUUID } from 'node:crypto'
import type { Actor } from '../../../../shared/actor.ts'
import type { CreateProgramAnswer, CreateProgramRequest, ProgramConfig, UpdateProgramRequest } from '../../../../shared/office/program.schema.ts'
import { configConflicts, noConflicts, usesConflicts, type LiveBookingFact } from '../../../../shared/office/program.rules.ts'
import { PAYMENT_DEFAULTS } from '../../../../shared/provider/payments.rules.ts'
import { isConstraintViolation, type Queryable, type TxQueryable } from '../../db/db.ts'
import type { AppDeps } from '../../deps.ts'
import { AppError } from '../../errors.ts'
import { recordAudit, type AuditRecord } from '../audit/audit-log.ts'
import { generateActivationCode } from '../auth/activation-codes.ts'
import { hashCode } from '../auth/auth.service.ts'
import { space } from '../sync/spaces.ts'
import { versionedWrite, type Changes } from '../sync/versioned-write.ts'

type Deps = Pick<AppDeps, 'db' | 'clock' | 'notifier'>

/** A new program's officer code: 60 random bits (activation-codes.ts), shown once. */
export const OFFICER_CODE_PREFIX = 'UFF'

export async function programConfig(q: Queryable, officer: Actor): Promise<ProgramConfig> {
  const [p] = await q.query<Omit<ProgramConfig, 'territories' | 'services' | 'facts'>>(
    `SELECT id, name, short_name AS "shortName", agency, funding, period_from AS "periodFrom", period_to AS "periodTo",
       budget_cents AS "budgetCents", voucher_amount_cents AS "voucherAmountCents", voucher_coverage_percent AS "voucherCoveragePercent",
       cancellation_window_hours AS "cancellationWindowHours", emergency_head_start_minutes AS "emergencyHeadStartMinutes",
       coalesce(payment_days_after_approval, $2) AS "paymentDaysAfterApproval"
     FROM programs WHERE id = $1`,
    [officer.programId, PAYMENT_DEFAULTS.daysAfterApproval],
  )
  if (!p) throw new AppError('not-found', { entity: 'program', id: officer.programId })
  const [territories, services, [facts]] = await Promise.all([
    q.query<ProgramConfig['territories'][number]>('SELECT id, name FROM territories WHERE program_id = $1 ORDER BY name, id', [p.id]),
    q.query<ProgramConfig['services'][number]>(
      `SELECT id, category, name, name_en AS "nameEn", description, unit, age_min_years AS "ageMinYears", age_max_years AS "ageMaxYears",
         coalesce(accepts_disability, true) AS "acceptsDisability", coalesce(accepts_dsa, true) AS "acceptsDsa", coalesce(needs_only, false) AS "needsOnly"
       FROM services WHERE program_id = $1 ORDER BY name, id`,
      [p.id],
    ),
    q.query<ProgramConfig['facts']>(
      `SELECT (SELECT count(*)::int FROM vouchers WHERE program_id = $1) AS vouchers,
         (SELECT coalesce(sum(amount_cents), 0)::int FROM vouchers WHERE program_id = $1) AS "assignedCents",
         (SELECT count(*)::int FROM bookings b JOIN services s ON s.id = b.service_id WHERE s.program_id = $1 AND b.status IN ('requested', 'confirmed')) AS "liveBookings"`,
      [p.id],
    ),
  ])
  return { ...p, budgetCents: p.budgetCents === null ? null : Number(p.budgetCents), territories, services, facts: facts ?? { vouchers: 0, assignedCents: 0, liveBookings: 0 } }
}

/** Live bookings of the program, with what the configuration decides about them. */
const liveBookings = (q: Queryable, programId: string) => q.query<LiveBookingFact>(
  `SELECT b.service_id AS "serviceId", s.starts_at AS "startsAt", to_char(s.starts_at AT TIME ZONE p.time_zone, 'YYYY-MM-DD') AS day,
     to_char(c.birth_date, 'YYYY-MM-DD') AS "birthDate", c.disability, c.dsa
   FROM bookings b JOIN sessions s ON s.id = b.session_id JOIN children c ON c.id = b.child_id
     JOIN services v ON v.id = b.service_id JOIN programs p ON p.id = v.program_id
   WHERE v.program_id = $1 AND b.status IN ('requested', 'confirmed')`,
  [programId],
).then((rows) => rows.map((r) => ({ ...r, startsAt: new Date(r.startsAt).toISOString() })))

/** Territories and services: the given ids must be the program's (else 404); new ones get ids. */
async function writeCatalogue(
  tx: TxQueryable, changes: Changes, programId: string,
  territories: UpdateProgramRequest['territories'], services: UpdateProgramRequest['services'],
): Promise<AuditRecord[]> {
  const audit: AuditRecord[] = []
  const [known] = await tx.query<{ territories: string[]; services: string[] }>(
    `SELECT array(SELECT id FROM territories WHERE program_id = $1) AS territories, array(SELECT id FROM services WHERE program_id = $1) AS services`,
    [programId],
  )
  for (const t of territories) if (t.id && !known?.territories.includes(t.id)) throw new AppError('not-found', { entity: 'territory', id: t.id })
  for (const s of services) if (s.id && !known?.services.includes(s.id)) throw new AppError('not-found', { entity: 'service', id: s.id })
  for (const t of territories) {
    const id = t.id ?? `ter-${randomUUID()}`
    tx.send(
      `INSERT INTO territories (id, program_id, name) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name`,
      [id, programId, t.name],
    )
    changes.touch([space.program(programId)], 'territory', id)
    audit.push({ action: t.id ? 'territory.update' : 'territory.create', entity: 'territory', entityId: id })
  }
  for (const s of services) {
    const id = s.id ?? `svc-${randomUUID()}`
    tx.send(
      `INSERT INTO services (id, program_id, category, name, name_en, description, unit, age_min_years, age_max_years, accepts_disability, accepts_dsa, needs_only)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (id) DO UPDATE SET category = EXCLUDED.category, name = EXCLUDED.name, name_en = EXCLUDED.name_en, description = EXCLUDED.description,
         unit = EXCLUDED.unit, age_min_years = EXCLUDED.age_min_years, age_max_years = EXCLUDED.age_max_years,
         accepts_disability = EXCLUDED.accepts_disability, accepts_dsa = EXCLUDED.accepts_dsa, needs_only = EXCLUDED.needs_only`,
      [id, programId, s.category, s.name, s.nameEn, s.description, s.unit, s.ageMinYears, s.ageMaxYears, s.acceptsDisability, s.acceptsDsa, s.needsOnly],
    )
    changes.touch([space.program(programId)], 'service', id)
    audit.push({ action: s.id ? 'service.update' : 'service.create', entity: 'service', entityId: id, details: { ageMinYears: s.ageMinYears, ageMaxYears: s.ageMaxYears } })
  }
  return audit
}

export async function updateProgram(deps: Deps, officer: Actor, req: UpdateProgramRequest): Promise<ProgramConfig> {
  const now = deps.clock.now().toISOString()
  await versionedWrite(deps, async (tx, changes) => {
    // The program row, FOR UPDATE, serialises configuration changes (and calls' numbering, employers'
    // imports: FOR NO KEY UPDATE) and the pushes deciding against the program (they read it FOR KEY
    // SHARE, registry `shareLock`): one in flight commits before the bookings below are read, a later
    // one waits for this change and then decides against it.
    const [p] = await tx.query<{ id: string; paymentDays: number | null }>(
      'SELECT id, payment_days_after_approval AS "paymentDays" FROM programs WHERE id = $1 FOR UPDATE', [officer.programId])
    if (!p) throw new AppError('not-found', { entity: 'program', id: officer.programId })
    const [assigned] = await tx.query<{ cents: number }>('SELECT coalesce(sum(amount_cents), 0)::int AS cents FROM vouchers WHERE program_id = $1', [p.id])
    const checked = noConflicts(configConflicts(req, { assignedCents: Number(assigned?.cents ?? 0), liveBookings: await liveBookings(tx, p.id) }))
    if (!checked.ok) throw new AppError(checked.code, checked.details)
    tx.send(
      `UPDATE programs SET name = $2, period_from = $3, period_to = $4, budget_cents = $5, voucher_amount_cents = $6, voucher_coverage_percent = $7,
         cancellation_window_hours = $8, emergency_head_start_minutes = $9, payment_days_after_approval = coalesce($10, payment_days_after_approval)
       WHERE id = $1`,
      [p.id, req.name, req.periodFrom, req.periodTo, req.budgetCents, req.voucherAmountCents, req.voucherCoveragePercent, req.cancellationWindowHours, req.emergencyHeadStartMinutes,
        req.paymentDaysAfterApproval ?? null],
    )
    changes.touch([space.program(p.id)], 'program', p.id)
    const audit = await writeCatalogue(tx, changes, p.id, req.territories, req.services)
    recordAudit(tx, officer, now, [
      { action: 'program.configure', entity: 'program', entityId: p.id, details: {
        budgetCents: req.budgetCents, voucherAmountCents: req.voucherAmountCents, voucherCoveragePercent: req.voucherCoveragePercent,
        cancellationWindowHours: req.cancellationWindowHours, periodFrom: req.periodFrom, periodTo: req.periodTo,
        // The payment delay providers plan their cash on: before and after, when it changes.
        ...(req.paymentDaysAfterApproval !== undefined && req.paymentDaysAfterApproval !== (p.paymentDays ?? PAYMENT_DEFAULTS.daysAfterApproval)
          ? { paymentDaysAfterApproval: req.paymentDaysAfterApproval, paymentDaysBefore: p.paymentDays ?? PAYMENT_DEFAULTS.daysAfterApproval }
          : {}),
      } },
      ...audit,
    ])
  })
  return programConfig(deps.db, officer)
}

/**
 * Every column that references `table` by a foreign key, read from the database itself (so a table
 * added later by a migration is counted without anyone remembering this list).
 */
async function referencesTo(q: Queryable, table: 'territories' | 'services'): Promise<{ table: string; column: string }[]> {
  return q.query<{ table: string; column: string }>(
    `SELECT c.conrelid::regclass::text AS table, a.attname AS column
     FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
     WHERE c.contype = 'f' AND c.confrelid = $1::regclass AND array_length(c.conkey, 1) = 1
     ORDER BY 1, 2`,
    [table],
  )
}

const DELETABLE = {
  territory: { table: 'territories', action: 'territory.delete' },
  service: { table: 'services', action: 'service.delete' },
} as const

/**
 * DELETE /territories/:id, /services/:id: a territory or service of the officer's program that nothing
 * uses (no provider, session, family, booking, accreditation, statement row, waiting entry, emergency…:
 * every foreign key to it) is deleted, its row stamped deleted in the program's space (the phones drop
 * it) and audited. Anything using it: 409 `config-conflicts` with one `in-use` conflict per table and
 * how many rows, and nothing changes. Another program's row: 404. The row is locked first, so a row
 * that starts using it meanwhile waits (its foreign-key check) and then fails, or this one sees it.
 */
export async function deleteUnused(deps: Deps, officer: Actor, entity: keyof typeof DELETABLE, id: string): Promise<ProgramConfig> {
  const { table, action } = DELETABLE[entity]
  const now = deps.clock.now().toISOString()
  try {
    await versionedWrite(deps, async (tx, changes) => {
      const [row] = await tx.query<{ id: string }>(`SELECT id FROM ${table} WHERE id = $1 AND program_id = $2 FOR UPDATE`, [id, officer.programId])
      if (!row) throw new AppError('not-found', { entity, id })
      const uses = await Promise.all((await referencesTo(tx, table)).map(async (r) => {
        const [n] = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${r.table} WHERE ${r.column} = $1`, [id])
        return { table: r.table, count: Number(n?.n ?? 0) }
      }))
      const checked = noConflicts(usesConflicts(uses))
      if (!checked.ok) throw new AppError(checked.code, checked.details)
      await tx.query(`DELETE FROM ${table} WHERE id = $1`, [id])
      changes.touch([space.program(officer.programId)], entity, id, true)
      recordAudit(tx, officer, now, [{ action, entity, entityId: id }])
    })
  } catch (e) {
    // A row that began using it after the count (its foreign key refuses the delete): still in use.
    if (isConstraintViolation(e)) throw new AppError('invalid-state', { reason: 'config-conflicts', conflicts: [{ reason: 'in-use' }] })
    throw e
  }
  return programConfig(deps.db, officer)
}

/**
 * A new program on the platform ("multi-store"): its settings, territories and services, and an
 * officer code for its own office (a program's data is seen only by its own tokens). The entry in
 * the audit log is the creating officer's, in their program.
 */
export async function createProgram(deps: Deps, officer: Actor, req: CreateProgramRequest): Promise<CreateProgramAnswer> {
  const id = `prg-${randomUUID()}`
  const officerCode = generateActivationCode(OFFICER_CODE_PREFIX)
  const now = deps.clock.now().toISOString()
  await versionedWrite(deps, async (tx, changes) => {
    const [clash] = await tx.query('SELECT 1 FROM programs WHERE lower(short_name) = lower($1)', [req.shortName])
    if (clash) throw new AppError('invalid-state', { reason: 'short-name-taken' })
    tx.send(
      `INSERT INTO programs (id, name, short_name, agency, voucher_amount_cents, voucher_coverage_percent, time_zone, period_from, period_to,
         budget_cents, cancellation_window_hours, emergency_head_start_minutes, funding, payment_days_after_approval)
       VALUES ($1, $2, $3, $4, $5, $6, 'Europe/Rome', $7, $8, $9, $10, $11, $12, $13)`,
      [id, req.name, req.shortName, req.agency, req.voucherAmountCents, req.voucherCoveragePercent, req.periodFrom, req.periodTo, req.budgetCents,
        req.cancellationWindowHours, req.emergencyHeadStartMinutes, req.funding, req.paymentDaysAfterApproval ?? null],
    )
    changes.touch([space.program(id)], 'program', id)
    const audit = await writeCatalogue(tx, changes, id, req.territories.map((t) => ({ name: t.name })), req.services.map(({ id: _, ...s }) => s))
    tx.send(
      `INSERT INTO activation_codes (id, code_hash, role, program_id, display_name, created_at) VALUES ($1, $2, 'officer', $3, $4, $5)`,
      [`cod-${randomUUID()}`, hashCode(officerCode), id, `Ufficio di piano — ${req.name}`.slice(0, 200), now],
    )
    recordAudit(tx, officer, now, [{ action: 'program.create', entity: 'program', entityId: id, details: { territories: req.territories.length, services: audit.length - req.territories.length } }])
  })
  return { id, officerCode }
}
