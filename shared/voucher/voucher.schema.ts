import { z } from 'zod'
import { Cents, Id } from '../ids.ts'

/**
 * A child's credit. Always: amountCents = balanceCents + heldCents + spentCents, each >= 0.
 * held = reserved by requested/confirmed bookings; spent = delivered (and later liquidated).
 */
export const Voucher = z.object({
  id: Id,
  childId: Id,
  /** The child's family: the space the voucher lives in (family:<id>). */
  familyId: Id,
  programId: Id,
  amountCents: Cents,
  heldCents: Cents,
  spentCents: Cents,
  balanceCents: Cents,
})
export type Voucher = z.infer<typeof Voucher>

export const LedgerKind = z.enum(['hold', 'release', 'consume'])
export type LedgerKind = z.infer<typeof LedgerKind>

/** One movement of a voucher's money, written by the server beside every change of the voucher. */
export interface LedgerEntry {
  voucherId: string
  /** The booking, or the emergency request (`of: 'emergency'`), that holds, releases or consumes. */
  bookingId: string
  of?: 'emergency'
  kind: LedgerKind
  amountCents: number
  at: string
}
