/**
 * Reimbursement statements (architecture.md, "Office API"; rules: shared/office/statements.rules.ts).
 * Each command is one transaction scoped to the officer's program; a statement of another program is
 * `not-found`. Preparing copies the provider's delivered, not yet stated bookings and emergency requests
 * (issue 9) of the period into rows (UNIQUE booking_id, UNIQUE emergency_request_id: each in one
 * statement at most); approving needs another officer;
 * paying moves the rows' bookings to `liquidated` through the versioned write, so the families' and the
 * provider's phones pull the change. Every command appends to the audit log in its transaction.
 */
import { v7 as uuidv7 } from 'uuid'
import type { Actor } from '../../../../shared/actor.ts'
import { can, transition } from '../../../../shared/booking/booking.rules.ts'
import { BOOKING_STATUSES, type Booking } from '../../../../shared/booking/booking.schema.ts'
import { approvable, payable, preparable, totalOf } from '../../../../shared/office/statements.rules.ts'
import type {
  CreateStatementRequest, PayStatementRequest, Statement, StatementList, StatementRow, StatementStatus, StatementSummary,
} from '../../../../shared/office/statements.schema.ts'
import type { Result } from '../../../../shared/result.ts'
import { space } from '../../../../shared/sync/spaces.ts'
import { isConstraintViolation, type Queryable, type TxQueryable } from '../../db/db.ts'
import type { AppDeps } from '../../deps.ts'
import { AppError } from '../../errors.ts'
import { recordAudit } from '../audit/audit-log.ts'
import { statementCsv, statementFileName, statementXlsx } from './statement-export.ts'
import { versionedWrite } from '../sync/versioned-write.ts'
import { addDays, zonedToUtc } from '../time-zone.ts'

type Deps = Pick<AppDeps, 'db' | 'clock' | 'notifier'>

const HEAD = `SELECT s.id, s.status, s.provider_id AS "providerId", p.name AS "providerName",
  s.period_from AS "from", s.period_to AS "to", s.row_count AS "rowCount", s.total_cents AS "totalCents",
  s.prepared_by AS "preparedBy", s.prepared_at AS "preparedAt", s.approved_by AS "approvedBy", s.approved_at AS "approvedAt",
  s.paid_at AS "paidAt", s.payment_reference AS "reference"
  FROM statements s JOIN providers p ON p.id = s.provider_id`

/** A row's service name: an emergency's (issue 9) says so, and has one even where the program has no such service. */
const SERVICE_NAME = `CASE WHEN r.emergency_request_id IS NULL THEN v.name ELSE coalesce(v.name || ' (urgenza)', 'Baby sitting urgente a domicilio') END`
/** Every reader's order: delivery time, then the booking's or the request's id. */
const ROW_ORDER = 'r.delivered_at, coalesce(r.booking_id, r.emergency_request_id)'

const ROWS = `SELECT r.booking_id AS "bookingId", r.emergency_request_id AS "emergencyRequestId", r.child_first_name AS "childFirstName",
  r.service_id AS "serviceId", ${SERVICE_NAME} AS "serviceName", r.delivered_at AS "deliveredAt", r.quantity, r.voucher_cents AS "voucherCents"
  FROM statement_rows r LEFT JOIN services v ON v.id = r.service_id WHERE r.statement_id = $1 ORDER BY ${ROW_ORDER}`

const orThrow = <T>(r: Result<T>): T => {
  if (!r.ok) throw new AppError(r.code, r.details)
  return r.value
}

function personOf(officer: Actor): string {
  if (!officer.personId) throw new AppError('forbidden', { reason: 'unknown-person' })
  return officer.personId
}

async function timeZoneOf(q: Queryable, programId: string): Promise<string> {
  const [p] = await q.query<{ timeZone: string }>('SELECT time_zone AS "timeZone" FROM programs WHERE id = $1', [programId])
  if (!p) throw new AppError('not-found', { entity: 'program' })
  return p.timeZone
}

/** The head, locked when asked; a statement of another program does not exist for this officer. */
async function headOf(q: Queryable, officer: Actor, id: string, lock = false): Promise<StatementSummary> {
  // FOR UPDATE OF s: only the statement is locked, never its provider's row.
  const [head] = await q.query<StatementSummary>(`${HEAD} WHERE s.id = $1 AND s.program_id = $2${lock ? ' FOR UPDATE OF s' : ''}`, [id, officer.programId])
  if (!head) throw new AppError('not-found', { entity: 'statement', id })
  return head
}

const withRows = async (q: Queryable, head: StatementSummary): Promise<Statement> => ({ ...head, rows: await q.query<StatementRow>(ROWS, [head.id]) })

/**
 * The draft in one statement (set-based: the rows never travel to the server and back): the provider's
 * delivered, attended, not yet stated bookings of the period are copied into rows, the head takes their
 * count and sum from the same set (so its total IS the sum of its rows, to the cent), and the rows come
 * back in the order every reader uses (ROWS). No rows: no head, and `preparable` refuses.
 */
const PREPARE = `WITH found AS MATERIALIZED (
    SELECT b.id AS booking_id, NULL::text AS emergency_request_id, b.child_first_name, b.service_id, b.delivered_at,
      coalesce(b.delivered_quantity, b.quantity) AS quantity, b.voucher_cents
    FROM bookings b
    WHERE b.provider_id = $2 AND b.status = 'delivered' AND NOT b.no_show AND b.delivered_at >= $3 AND b.delivered_at < $4
      AND NOT EXISTS (SELECT 1 FROM statement_rows r WHERE r.booking_id = b.id)
    UNION ALL
    -- Delivered emergencies (issue 9): the hours actually delivered, the voucher share they spent.
    SELECT NULL, e.id, e.child_first_name,
      (SELECT v.id FROM services v WHERE v.program_id = $5 AND v.category = 'sick-child-babysitting' ORDER BY v.id LIMIT 1),
      e.delivered_at, e.delivered_hours, e.spent_cents
    FROM emergency_requests e
    WHERE e.provider_id = $2 AND e.status = 'delivered' AND NOT e.no_show AND e.delivered_hours > 0 AND e.delivered_at >= $3 AND e.delivered_at < $4
      AND NOT EXISTS (SELECT 1 FROM statement_rows r WHERE r.emergency_request_id = e.id)),
  head AS (
    INSERT INTO statements (id, program_id, provider_id, period_from, period_to, status, total_cents, row_count, prepared_by, prepared_at)
    SELECT $1, $5, $2, $6, $7, 'draft', sum(voucher_cents), count(*), $8, $9 FROM found HAVING count(*) > 0
    RETURNING id, total_cents),
  rows AS (
    INSERT INTO statement_rows (statement_id, booking_id, emergency_request_id, child_first_name, service_id, delivered_at, quantity, voucher_cents)
    SELECT head.id, f.booking_id, f.emergency_request_id, f.child_first_name, f.service_id, f.delivered_at, f.quantity, f.voucher_cents
    FROM found f CROSS JOIN head
    RETURNING booking_id, emergency_request_id, child_first_name, service_id, delivered_at, quantity, voucher_cents)
  SELECT r.booking_id AS "bookingId", r.emergency_request_id AS "emergencyRequestId", r.child_first_name AS "childFirstName",
    r.service_id AS "serviceId", ${SERVICE_NAME} AS "serviceName", r.delivered_at AS "deliveredAt", r.quantity, r.voucher_cents AS "voucherCents",
    (SELECT total_cents FROM head) AS "headTotalCents"
  FROM rows r LEFT JOIN services v ON v.id = r.service_id ORDER BY ${ROW_ORDER}`

/** POST /api/office/statements: a draft of the provider's delivered bookings in the period not yet stated. */
export async function createStatement(deps: Deps, officer: Actor, req: CreateStatementRequest): Promise<Statement> {
  const person = personOf(officer)
  const now = deps.clock.now().toISOString()
  try {
    return await deps.db.transaction(async (tx) => {
      const [provider] = await tx.query<{ name: string }>('SELECT name FROM providers WHERE id = $1 AND program_id = $2', [req.providerId, officer.programId])
      if (!provider) throw new AppError('not-found', { entity: 'provider', id: req.providerId })
      // Two officers preparing for one provider at once: the second waits, then finds the rows taken.
      await tx.query("SELECT pg_advisory_xact_lock(hashtext('statement:' || $1))", [req.providerId])
      const tz = await timeZoneOf(tx, officer.programId)
      const start = zonedToUtc(req.from, '00:00', tz).toISOString()
      const end = zonedToUtc(addDays(req.to, 1), '00:00', tz).toISOString()
      const id = `stm-${uuidv7()}`
      const written = await tx.query<StatementRow & { headTotalCents: number }>(PREPARE,
        [id, req.providerId, start, end, officer.programId, req.from, req.to, person, now])
      orThrow(preparable(written.length))
      const rows: StatementRow[] = written.map(({ headTotalCents: _, ...r }) => r)
      const totalCents = totalOf(rows)
      // The head's sum and the rows' are one set's: a difference would be a bug, never a statement.
      if (Number(written[0]!.headTotalCents) !== totalCents) throw new Error(`statement ${id}: head total ${written[0]!.headTotalCents} ≠ rows ${totalCents}`)
      recordAudit(tx, officer, now, [{
        action: 'statement.prepare', entity: 'statement', entityId: id,
        details: { providerId: req.providerId, from: req.from, to: req.to, rowCount: rows.length, totalCents },
      }])
      // The answer from what was just written (no second read of 5,000 rows).
      return {
        id, status: 'draft' as const, providerId: req.providerId, providerName: provider.name, from: req.from, to: req.to, rowCount: rows.length, totalCents,
        preparedBy: person, preparedAt: now, approvedBy: null, approvedAt: null, paidAt: null, reference: null, rows,
      }
    })
  } catch (e) {
    // The constraint the lock makes unlikely: another statement took one of these bookings.
    if (isConstraintViolation(e)) throw new AppError('invalid-state', { reason: 'conflict' })
    throw e
  }
}

export async function listStatements(q: Queryable, officer: Actor, f: { providerId?: string; status?: StatementStatus }): Promise<StatementList> {
  const statements = await q.query<StatementSummary>(
    `${HEAD} WHERE s.program_id = $1 AND ($2::text IS NULL OR s.provider_id = $2) AND ($3::text IS NULL OR s.status = $3)
     ORDER BY s.prepared_at DESC, s.id DESC LIMIT 500`,
    [officer.programId, f.providerId ?? null, f.status ?? null],
  )
  return { statements }
}

export async function getStatement(q: Queryable, officer: Actor, id: string): Promise<Statement> {
  return withRows(q, await headOf(q, officer, id))
}

/** GET …/export: the statement as a file for the accounting office (statement-export.ts). */
export async function exportStatement(q: Queryable, officer: Actor, id: string, format: 'xlsx' | 'csv'): Promise<{ name: string; body: string | Buffer }> {
  const statement = await getStatement(q, officer, id)
  const tz = await timeZoneOf(q, officer.programId)
  const name = statementFileName(statement, format)
  return { name, body: format === 'csv' ? statementCsv(statement, tz) : await statementXlsx(statement, tz) }
}

/** POST …/approve: a draft, by an officer who did not prepare it (403 `same-officer` otherwise). */
export async function approveStatement(deps: Deps, officer: Actor, id: string): Promise<Statement> {
  const now = deps.clock.now().toISOString()
  return deps.db.transaction(async (tx) => {
    const head = await headOf(tx, officer, id, true)
    orThrow(approvable(head, officer.personId))
    tx.send("UPDATE statements SET status = 'approved', approved_by = $2, approved_at = $3 WHERE id = $1", [id, officer.personId, now])
    recordAudit(tx, officer, now, [{ action: 'statement.approve', entity: 'statement', entityId: id, details: { totalCents: head.totalCents } }])
    return withRows(tx, { ...head, status: 'approved', approvedBy: officer.personId ?? null, approvedAt: now })
  })
}

/** POST …/pay: an approved statement is paid, and each of its bookings becomes `liquidated`. */
export async function payStatement(deps: Deps, officer: Actor, id: string, req: PayStatementRequest): Promise<Statement> {
  personOf(officer)
  const now = deps.clock.now().toISOString()
  return versionedWrite(deps, async (tx, changes) => {
    const head = await headOf(tx, officer, id, true)
    orThrow(payable(head))
    const paidAt = req.paidAt.length === 10 ? zonedToUtc(req.paidAt, '00:00', await timeZoneOf(tx, officer.programId)).toISOString() : new Date(req.paidAt).toISOString()
    // Bookings become `liquidated`; an emergency's row has no status to move (paid is the statement's).
    // `paid_xid` is the bookings' stamp in the families' and the provider's spaces (migration 0025: the
    // pull reads it as one per booking); the spaces are poked after the commit.
    const { bookings, spaces } = await liquidate(tx, id, now)
    for (const space of spaces) changes.poke(space)
    tx.send("UPDATE statements SET status = 'paid', paid_at = $2, payment_reference = $3, paid_xid = pg_current_xact_id() WHERE id = $1", [id, paidAt, req.reference])
    // ONE entry: paying is the officer's action on the statement. It names what a booking's own entry
    // named (the statement), and the audit read by booking or emergency request finds it through the
    // statement's rows (audit-log.ts); one entry per booking cost 5,000 inserts (bench/README).
    recordAudit(tx, officer, now, [{
      action: 'statement.pay', entity: 'statement', entityId: id,
      details: {
        providerId: head.providerId, from: head.from, to: head.to, paidAt, reference: req.reference,
        bookings, emergencyRequests: head.rowCount - bookings, rowCount: head.rowCount, totalCents: head.totalCents,
      },
    }])
    const rows = await tx.query<StatementRow>(ROWS, [id]) // as prepared: rows never change after
    return { ...head, status: 'paid' as const, paidAt, reference: req.reference, rows }
  })
}

/** From which statuses the shared rule liquidates a booking, and into which (booking.rules.ts). */
const LIQUIDABLE = BOOKING_STATUSES.filter((s) => can('liquidate', s))
const LIQUIDATED = orThrow(transition(LIQUIDABLE[0]!, 'liquidate'))

/**
 * The spaces a booking lives in, as SQL over a row `d` with family_id, provider_id, operator_id: the
 * registry's `booking.spaces` (family, the provider's orders, the assigned operator's, if any), with
 * the prefixes of shared/sync/spaces.ts. statements.test.ts checks the spaces poked are the registry's.
 */
const BOOKING_SPACES_SQL = `(VALUES ('${space.family('')}' || d.family_id), ('${space.orders('')}' || d.provider_id), ('${space.assigned('')}' || d.operator_id))`

/**
 * The statement's bookings moved to `liquidated`, in ONE statement (the 5,000 rows never travel to the
 * server and back, bench:office): locked first in id order (the push path's order: bookings first, by
 * id), then only the status and `updatedAt` written, as the push path writes a changed field. Their
 * stamps: in the family's and the provider's spaces the statement's `paid_xid` (set by the caller in
 * this transaction; the pull expands it, pull.service.ts), in an assigned operator's space a
 * row_versions upsert with this transaction's id, as versionedWrite's stampVersions does. Every row
 * must be liquidable by the shared rule, or nothing is written (`invalid-state`, with the first
 * booking that is not). Returns how many bookings it liquidated and the spaces to poke (all three kinds).
 */
async function liquidate(tx: TxQueryable, statementId: string, now: string): Promise<{ bookings: number; spaces: string[] }> {
  const [r] = await tx.query<{ expected: number; done: number; spaces: string }>(
    `WITH locked AS (
       SELECT b.id FROM bookings b JOIN statement_rows r ON r.booking_id = b.id WHERE r.statement_id = $1 ORDER BY b.id FOR UPDATE OF b),
     done AS (
       UPDATE bookings b SET status = $2, updated_at = $3 FROM locked WHERE b.id = locked.id AND b.status = ANY($4::text[])
       RETURNING b.id, b.family_id, b.provider_id, b.operator_id),
     touched AS (
       SELECT d.id, s.space FROM done d CROSS JOIN LATERAL ${BOOKING_SPACES_SQL} AS s(space) WHERE s.space IS NOT NULL),
     stamped AS (
       INSERT INTO row_versions (space, entity, key, deleted, xid)
       SELECT space, 'booking', id, false, pg_current_xact_id() FROM touched WHERE space LIKE '${space.assigned('')}%'
       ON CONFLICT (space, entity, key) DO UPDATE SET xid = EXCLUDED.xid, deleted = EXCLUDED.deleted)
     SELECT (SELECT count(*) FROM statement_rows WHERE statement_id = $1 AND booking_id IS NOT NULL)::int AS expected,
       (SELECT count(*) FROM done)::int AS done,
       -- One text, not a text[]: the driver's array parser took ~1 ms per 500 spaces (3,787 for a month).
       (SELECT string_agg(space, ',' ORDER BY space) FROM (SELECT DISTINCT space FROM touched) t) AS spaces`,
    [statementId, LIQUIDATED, now, LIQUIDABLE],
  )
  if (r!.done !== r!.expected) {
    // Which booking, read only now (another 5,000 index probes on the path that pays: 23k buffers):
    // this transaction's snapshot predates the statement above, whose writes it does not see.
    const [bad] = await tx.query<{ id: string; status: Booking['status'] }>(
      `SELECT b.id, b.status FROM bookings b JOIN statement_rows r ON r.booking_id = b.id
       WHERE r.statement_id = $1 AND NOT (b.status = ANY($2::text[]) OR b.status = $3) ORDER BY b.id LIMIT 1`,
      [statementId, LIQUIDABLE, LIQUIDATED])
    // The error rolls the whole transaction back: nothing of this statement is kept.
    const refused = bad ? transition(bad.status, 'liquidate') : null
    throw new AppError('invalid-state', refused && !refused.ok ? { ...refused.details, bookingId: bad!.id } : { reason: 'conflict' })
  }
  return { bookings: r!.done, spaces: r!.spaces ? r!.spaces.split(',') : [] } // ids hold no comma (pg-notifier joins them so too)
}
