/**
 * When the program is expected to pay (issue 9): public money arrives months after the service, and a
 * cooperative plans its cash on it. Pure: dates come in as arguments.
 */
import { addDays } from '../time.ts'
import type { PaymentStage } from './payments.schema.ts'

/** Program setting `paymentDaysAfterApproval`, when the program row leaves it null. */
export const PAYMENT_DEFAULTS = { daysAfterApproval: 60 } as const

export const paymentDaysAfterApproval = (p: { paymentDaysAfterApproval?: number | null }): number =>
  p.paymentDaysAfterApproval ?? PAYMENT_DEFAULTS.daysAfterApproval

/** The expected payment date: the approval's day (in the program's zone) plus the setting's days. */
export const expectedPaymentDate = (approvalDay: string | null, days: number): string | null =>
  approvalDay === null ? null : addDays(approvalDay, days)

/** Where a delivered booking stands, from its statement's status (none: waiting for a statement). */
export function paymentStage(statementStatus: 'draft' | 'approved' | 'paid' | null): PaymentStage {
  if (statementStatus === null) return 'delivered'
  return statementStatus === 'draft' ? 'statement' : statementStatus
}

/** Approved, not paid, and the expected day is before today. */
export const isLate = (stage: PaymentStage, expected: string | null, today: string): boolean =>
  stage === 'approved' && expected !== null && expected < today
