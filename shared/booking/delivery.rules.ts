/**
 * Delivery: what a provider records once a session has started (brief.md, "Rules added with the
 * breadth"). The booking keeps the quantity the family booked (`quantity`); `deliveredQuantity` is
 * what actually happened (0 for a no-show). Its price fields become the price of what was delivered,
 * so everything that reads a delivered booking's `voucherCents` (the voucher's spent part, liquidation,
 * statements) counts the delivered share without knowing about partial deliveries. The voucher
 * consumes that share and releases the rest of the hold.
 */
import { ok, refuse, type Result } from '../result.ts'
import type { Session } from '../catalogue/catalogue.schema.ts'
import type { Booking } from './booking.schema.ts'
import type { Price } from './booking.rules.ts'

export interface Delivery {
  deliveredQuantity: number
  noShow: boolean
  deliveredAt: string
  price: Price
}

const clamp = (t: number, lo: number, hi: number) => Math.min(Math.max(t, lo), hi)

/** The default delivery time: now, kept within the session (a delivery recorded later is dated at its end). */
export const defaultDeliveredAt = (session: Pick<Session, 'startsAt' | 'endsAt'>, now: string): string =>
  new Date(clamp(Date.parse(now), Date.parse(session.startsAt), Date.parse(session.endsAt))).toISOString()

/** Has the session started at `now` (so a delivery may be recorded)? The phone asks before offering it. */
export const deliverable = (session: Pick<Session, 'startsAt'>, now: string): boolean => Date.parse(session.startsAt) <= Date.parse(now)

/**
 * Decide a delivery: refused `invalid-state` before the session has started or with a date outside
 * it, `validation` for more than was booked. The delivered voucher share never exceeds what was held.
 */
export function decideDelivery(
  booking: Pick<Booking, 'quantity' | 'unitPriceCents' | 'voucherCents'>,
  session: Pick<Session, 'startsAt' | 'endsAt'>,
  args: { deliveredQuantity?: number; noShow?: boolean; deliveredAt?: string },
  now: string,
): Result<Delivery> {
  if (!deliverable(session, now)) return refuse('invalid-state', { reason: 'not-started', startsAt: session.startsAt })
  const at = args.deliveredAt ?? defaultDeliveredAt(session, now)
  if (Date.parse(at) < Date.parse(session.startsAt) || Date.parse(at) > Date.parse(session.endsAt)) {
    return refuse('invalid-state', { reason: 'outside-session', startsAt: session.startsAt, endsAt: session.endsAt })
  }
  const noShow = args.noShow === true
  const quantity = noShow ? 0 : (args.deliveredQuantity ?? booking.quantity)
  if (quantity > booking.quantity) return refuse('validation', { reason: 'delivered-more-than-booked', quantity: booking.quantity })
  const totalCents = booking.unitPriceCents * quantity
  // The booking's own voucher share (as priced when booked, whatever the program's coverage is today).
  const voucherCents = quantity === booking.quantity ? booking.voucherCents : Math.floor((booking.voucherCents * quantity) / booking.quantity)
  const price: Price = { unitPriceCents: booking.unitPriceCents, totalCents, voucherCents, copayCents: totalCents - voucherCents }
  return ok({ deliveredQuantity: quantity, noShow, deliveredAt: new Date(Date.parse(at)).toISOString(), price })
}
