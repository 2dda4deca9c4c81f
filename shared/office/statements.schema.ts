/**
 * Reimbursement statements (architecture.md, "Office API"): the liquidation as a workflow. An officer
 * prepares one per provider and period from the delivered bookings not in another statement; another
 * officer approves it; it is marked paid with its bank reference, and its bookings become `liquidated`.
 * Every amount in cents. How office commands are built: docs/office-commands.md.
 */
import { z } from 'zod'
import { Id, IsoDate, IsoDateTime, Text } from '../ids.ts'

const amount = z.number().int().nonnegative()

export const STATEMENT_STATUSES = ['draft', 'approved', 'paid'] as const
export const StatementStatus = z.enum(STATEMENT_STATUSES)
export type StatementStatus = z.infer<typeof StatementStatus>

/** POST /api/office/statements */
export const CreateStatementRequest = z
  .strictObject({ providerId: Id, from: IsoDate, to: IsoDate })
  .refine((q) => q.from <= q.to, { message: 'from must not be after to', path: ['to'] })
export type CreateStatementRequest = z.infer<typeof CreateStatementRequest>

/** POST /api/office/statements/:id/pay: the day (or instant) of the transfer and its bank reference. */
export const PayStatementRequest = z.strictObject({
  paidAt: z.union([IsoDate, IsoDateTime]),
  reference: Text(140).trim().min(1),
})
export type PayStatementRequest = z.infer<typeof PayStatementRequest>

export const StatementParams = z.object({ id: Id })

/** GET /api/office/statements[?providerId=][&status=] */
export const StatementListQuery = z.object({ providerId: Id.optional(), status: StatementStatus.optional() })

/** GET /api/office/statements/:id/export?format=xlsx|csv */
export const StatementExportQuery = z.object({ format: z.enum(['xlsx', 'csv']).default('xlsx') })

/**
 * One delivered booking, or one delivered emergency request (issue 9, migration 0017), in a statement,
 * as it was when the statement was prepared. Exactly one of `bookingId` and `emergencyRequestId`.
 */
export const StatementRow = z.object({
  /** The delivered booking; null on an emergency's row. */
  bookingId: z.string().nullable(),
  /** The delivered emergency request (its hours actually delivered); null on a booking's row. */
  emergencyRequestId: z.string().nullable(),
  childFirstName: z.string(),
  /** An emergency's row: the program's at-home babysitting for a sick child (null if it has none). */
  serviceId: z.string().nullable(),
  /** The service's Italian name (for the export and the screen); an emergency's says "(urgenza)". */
  serviceName: z.string(),
  deliveredAt: z.string(),
  /** Units delivered; an emergency's: the hours. */
  quantity: z.number().int().positive(),
  voucherCents: amount,
})
export type StatementRow = z.infer<typeof StatementRow>

/** A statement's head: what the list shows. */
export const StatementSummary = z.object({
  id: z.string(),
  status: StatementStatus,
  providerId: z.string(),
  providerName: z.string(),
  from: IsoDate,
  to: IsoDate,
  rowCount: amount,
  totalCents: amount,
  /** Activation code ids of the officers (one person each), never names. */
  preparedBy: z.string(),
  preparedAt: z.string(),
  approvedBy: z.string().nullable(),
  approvedAt: z.string().nullable(),
  paidAt: z.string().nullable(),
  reference: z.string().nullable(),
})
export type StatementSummary = z.infer<typeof StatementSummary>

/** A statement with its rows: the answer of create and get. */
export const Statement = StatementSummary.extend({ rows: z.array(StatementRow) })
export type Statement = z.infer<typeof Statement>

export const StatementList = z.object({ statements: z.array(StatementSummary) })
export type StatementList = z.infer<typeof StatementList>

/** Approve's and pay's answer: the statement as it now is. */
export const StatementStatusAnswer = Statement
export type StatementStatusAnswer = Statement
