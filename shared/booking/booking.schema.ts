import { z } from 'zod'
import { Cents, Id, IsoDateTime } from '../ids.ts'

export const BOOKING_STATUSES = ['requested', 'confirmed', 'declined', 'cancelled', 'delivered', 'liquidated'] as const
export const BookingStatus = z.enum(BOOKING_STATUSES)
export type BookingStatus = z.infer<typeof BookingStatus>

export const Booking = z.object({
  id: Id,
  childId: Id,
  familyId: Id,
  sessionId: Id,
  serviceId: Id,
  providerId: Id,
  quantity: z.number().int().positive(),
  status: BookingStatus,
  unitPriceCents: Cents,
  totalCents: Cents,
  /** Part paid by the voucher (held, then spent); the rest is the family's co-pay. */
  voucherCents: Cents,
  copayCents: Cents,
  note: z.string().max(500).nullable(),
  declineReason: z.string().max(500).nullable(),
  operatorId: Id.nullable(),
  /** The assigned operator's name, stamped when assigned: how a family learns it (never the staff list). */
  operatorName: z.string().nullable(),
  childFirstName: z.string(),
  /**
   * Who and where (issue 9), copied at booking.request for the provider and the assigned operator: the
   * family's name, the child's age in whole months at the session's start (never the birth date), and
   * for an at-home service (`atHome`, session.rules.ts) the address the family gave.
   */
  familyName: z.string().nullable(),
  childAgeMonths: z.number().int().nonnegative().nullable(),
  address: z.string().max(200).nullable(),
  /**
   * "Propose another time" (issue 9, proposal.mutators.ts): the provider offers another of its
   * sessions for a requested order, with a few words; the family accepts (the booking moves there,
   * confirmed) or declines (it stays as it was). Null until a first proposal.
   */
  proposedSessionId: Id.nullable(),
  proposalNote: z.string().max(500).nullable(),
  proposalStatus: z.enum(['proposed', 'accepted', 'declined']).nullable(),
  proposedAt: IsoDateTime.nullable(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
  /** Set once by `booking.deliver` (the provider's date, or the server's clock): what liquidation reads. */
  deliveredAt: IsoDateTime.nullable(),
  /**
   * Recorded by `booking.deliver` (delivery.rules.ts): the units actually delivered (0 for a no-show;
   * `quantity` stays what was booked, the price fields become those of what was delivered).
   */
  deliveredQuantity: z.number().int().nonnegative().nullable(),
  noShow: z.boolean(),
  /** Who confirmed / recorded the delivery: the person reference of actor.ts (`personOf`). */
  confirmedBy: z.string().nullable(),
  deliveredBy: z.string().nullable(),
  /**
   * The recurring plan item this booking is one date of ("every Tuesday and Thursday until
   * Christmas": booking.request with `recurrence`): the first date's booking id. Null for a single
   * booking and for a waiting-list promotion.
   */
  planId: Id.nullable(),
})
export type Booking = z.infer<typeof Booking>
