/**
 * What the program will pay this provider (issue 9): every delivered booking and emergency of its own, where it
 * stands (delivered → in a statement → approved → paid) and, once approved, when the program is
 * expected to pay (approval day in the program's zone + `payment_days_after_approval`, default 60).
 * Read-only; the provider's own rows only (the statements the office prepared for it).
 * Answer: shared/provider/payments.schema.ts. Docs: docs/provider.md.
 */
import type { Actor } from '../../../../shared/mutators/store.ts'
import { PAYMENT_STAGES, type PaymentRow, type PaymentsAnswer, type PaymentStage, type PaymentStatement } from '../../../../shared/provider/payments.schema.ts'
import { expectedPaymentDate, isLate, paymentDaysAfterApproval, paymentStage } from '../../../../shared/provider/payments.rules.ts'
import type { AppDeps } from '../../deps.ts'
import type { Queryable } from '../../db/db.ts'
import { AppError } from '../../errors.ts'
import { zonedDate } from '../time-zone.ts'

/** The latest deliveries listed one by one; the totals count them all. */
export const PAYMENT_ROWS_LIMIT = 200

type Status = 'draft' | 'approved' | 'paid'

export async function providerPayments(deps: Pick<AppDeps, 'db' | 'clock'>, actor: Actor): Promise<PaymentsAnswer> {
  if (actor.role !== 'provider' || !actor.providerId) throw new AppError('forbidden', { required: 'provider' })
  const providerId = actor.providerId
  const q: Queryable = deps.db
  const [program] = await q.query<{ timeZone: string; days: number | null }>(
    'SELECT time_zone AS "timeZone", payment_days_after_approval AS days FROM programs WHERE id = $1',
    [actor.programId],
  )
  if (!program) throw new AppError('not-found', { entity: 'program' })
  const days = paymentDaysAfterApproval({ paymentDaysAfterApproval: program.days })
  const today = zonedDate(deps.clock.now(), program.timeZone)
  const expected = (approvedAt: string | null) => expectedPaymentDate(approvedAt ? zonedDate(new Date(approvedAt), program.timeZone) : null, days)

  const heads = await q.query<{
    id: string; from: string; to: string; status: Status; rowCount: number; totalCents: number
    preparedAt: string; approvedAt: string | null; paidAt: string | null; reference: string | null
  }>(
    `SELECT id, period_from AS "from", period_to AS "to", status, row_count AS "rowCount", total_cents AS "totalCents",
       prepared_at AS "preparedAt", approved_at AS "approvedAt", paid_at AS "paidAt", payment_reference AS reference
     FROM statements WHERE program_id = $1 AND provider_id = $2 ORDER BY prepared_at DESC, id DESC`,
    [actor.programId, providerId],
  )
  const statements: PaymentStatement[] = heads.map(({ status, ...s }) => {
    const stage = paymentStage(status) as PaymentStatement['stage']
    const date = expected(s.approvedAt)
    return { ...s, stage, expectedPaymentDate: date, late: isLate(stage, date, today) }
  })

  // Every delivery, bookings' and emergencies' (issue 9), with its statement: read ONCE, for both the
  // totals per stage (over all of them) and the latest PAYMENT_ROWS_LIMIT listed (kind 'row', in order).
  // A no-show delivers nothing (not owed, not listed). An emergency's stage is its statement row's.
  type Delivery = {
    bookingId: string | null; emergencyRequestId: string | null; childFirstName: string; serviceId: string | null; deliveredAt: string
    deliveredQuantity: number; voucherCents: number; status: Status | null; statementId: string | null; approvedAt: string | null
  }
  const found = await q.query<Delivery & { kind: 'row' | 'total'; count: number; n: number }>(
    `WITH x AS (
       SELECT b.id AS "bookingId", NULL::text AS "emergencyRequestId", b.child_first_name AS "childFirstName", b.service_id AS "serviceId",
         b.delivered_at AS "deliveredAt", b.delivered_quantity AS "deliveredQuantity", b.voucher_cents AS "voucherCents",
         s.status, s.id AS "statementId", s.approved_at AS "approvedAt"
       FROM bookings b LEFT JOIN statement_rows r ON r.booking_id = b.id LEFT JOIN statements s ON s.id = r.statement_id
       WHERE b.provider_id = $1 AND b.status IN ('delivered', 'liquidated') AND NOT b.no_show
       UNION ALL
       SELECT NULL, e.id, e.child_first_name,
         (SELECT v.id FROM services v WHERE v.program_id = e.program_id AND v.category = 'sick-child-babysitting' ORDER BY v.id LIMIT 1),
         e.delivered_at, e.delivered_hours, e.spent_cents, s.status, s.id, s.approved_at
       FROM emergency_requests e LEFT JOIN statement_rows r ON r.emergency_request_id = e.id LEFT JOIN statements s ON s.id = r.statement_id
       WHERE e.provider_id = $1 AND e.status = 'delivered' AND NOT e.no_show AND e.delivered_hours > 0
     )
     SELECT * FROM (
       SELECT 'row' AS kind, l.*, 1 AS count, row_number() OVER (ORDER BY "deliveredAt" DESC, coalesce("bookingId", "emergencyRequestId") DESC) AS n FROM (
         SELECT * FROM x ORDER BY "deliveredAt" DESC, coalesce("bookingId", "emergencyRequestId") DESC LIMIT $2) l
       UNION ALL
       SELECT 'total', NULL, NULL, NULL, NULL, NULL, NULL, coalesce(sum("voucherCents"), 0)::int, status, NULL, NULL, count(*)::int, 0
       FROM x GROUP BY status
     ) y ORDER BY kind, n`,
    [providerId, PAYMENT_ROWS_LIMIT + 1],
  )
  const byStage = new Map<PaymentStage, { count: number; voucherCents: number }>()
  for (const s of found.filter((f) => f.kind === 'total')) {
    const stage = paymentStage(s.status)
    const had = byStage.get(stage) ?? { count: 0, voucherCents: 0 }
    byStage.set(stage, { count: had.count + s.count, voucherCents: had.voucherCents + s.voucherCents })
  }
  const totals = PAYMENT_STAGES.map((stage) => ({ stage, ...(byStage.get(stage) ?? { count: 0, voucherCents: 0 }) }))
  const owedCents = totals.filter((t) => t.stage !== 'paid').reduce((n, t) => n + t.voucherCents, 0)

  const list: Delivery[] = found.filter((f) => f.kind === 'row').map(({ kind: _k, count: _c, n: _n, ...d }) => d)
  const rows: PaymentRow[] = list.slice(0, PAYMENT_ROWS_LIMIT).map(({ status, approvedAt, ...r }) => ({
    ...r,
    stage: paymentStage(status),
    expectedPaymentDate: status === 'approved' ? expected(approvedAt) : null,
  }))
  return { providerId, paymentDaysAfterApproval: days, totals, owedCents, statements, rows, truncated: list.length > PAYMENT_ROWS_LIMIT }
}
