/**
 * What the program will pay a provider (issue 9), `GET /api/provider/payments` (provider's token).
 * Each delivered booking goes through four stages: delivered (waiting for a statement) → in a
 * statement (prepared by the office, a draft) → approved (by a second officer: from then on the
 * program usually pays within `paymentDaysAfterApproval` days, the expected payment date) → paid
 * (the bank reference). Every amount in cents, the voucher-covered part only (the co-pay is the family's).
 */
import { z } from 'zod'
import { IsoDate, IsoDateTime } from '../ids.ts'

const amount = z.number().int().nonnegative()

export const PAYMENT_STAGES = ['delivered', 'statement', 'approved', 'paid'] as const
export const PaymentStage = z.enum(PAYMENT_STAGES)
export type PaymentStage = z.infer<typeof PaymentStage>

export const PaymentTotal = z.object({ stage: PaymentStage, count: amount, voucherCents: amount })
export type PaymentTotal = z.infer<typeof PaymentTotal>

/** One statement of this provider, with the date the program is expected to pay it. */
export const PaymentStatement = z.object({
  id: z.string(),
  from: IsoDate,
  to: IsoDate,
  stage: z.enum(['statement', 'approved', 'paid']),
  rowCount: amount,
  totalCents: amount,
  preparedAt: IsoDateTime,
  approvedAt: IsoDateTime.nullable(),
  /** Approval day + paymentDaysAfterApproval (Europe/Rome); null before approval. */
  expectedPaymentDate: IsoDate.nullable(),
  /** Approved, not paid, and the expected day has passed. */
  late: z.boolean(),
  paidAt: IsoDateTime.nullable(),
  reference: z.string().nullable(),
})
export type PaymentStatement = z.infer<typeof PaymentStatement>

/** One delivered booking or emergency request (latest first), and where it stands. */
export const PaymentRow = z.object({
  /** The booking; null for an emergency (issue 9). */
  bookingId: z.string().nullable(),
  /** The emergency request (its hours actually delivered); null for a booking. */
  emergencyRequestId: z.string().nullable(),
  childFirstName: z.string(),
  /** An emergency's: the program's at-home babysitting for a sick child (null if it has none). */
  serviceId: z.string().nullable(),
  deliveredAt: IsoDateTime,
  /** Units; an emergency's: hours. */
  deliveredQuantity: amount,
  voucherCents: amount,
  stage: PaymentStage,
  statementId: z.string().nullable(),
  expectedPaymentDate: IsoDate.nullable(),
})
export type PaymentRow = z.infer<typeof PaymentRow>

export const PaymentsAnswer = z.object({
  providerId: z.string(),
  paymentDaysAfterApproval: amount,
  /** The four stages, always in this order (zero when empty). */
  totals: z.array(PaymentTotal),
  /** Owed and not yet paid: every stage but `paid`. */
  owedCents: amount,
  statements: z.array(PaymentStatement),
  rows: z.array(PaymentRow),
  /** True when more deliveries exist than `rows` lists (the totals count them all). */
  truncated: z.boolean(),
})
export type PaymentsAnswer = z.infer<typeof PaymentsAnswer>
