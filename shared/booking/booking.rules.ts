/**
 * Booking price and status transitions.
 *
 *   requested ──confirm──▶ confirmed ──deliver──▶ delivered ──liquidate──▶ liquidated
 *       │ cancel/decline        │ cancel/decline
 *       ▼                       ▼
 *   cancelled / declined (places and voucher hold released)
 *
 * requested and confirmed hold a place and the voucher share; delivered consumes the voucher share
 * and keeps its place (the service took place); cancelled and declined give both back.
 * A requested or confirmed booking may change its quantity (`change`): it goes back to requested,
 * because the provider agreed to the old quantity, not the new one.
 * One child holds at most one live (requested or confirmed) booking of a session: a second request is
 * refused and the phone offers to change the quantity of the first (`liveBookingOf`).
 */
import { voucherShare } from '../money.ts'
import { ok, refuse, type Result } from '../result.ts'
import type { BookingStatus } from './booking.schema.ts'

export interface Price {
  unitPriceCents: number
  totalCents: number
  voucherCents: number
  copayCents: number
}

export function priceOf(unitPriceCents: number, quantity: number, coveragePercent: number): Price {
  const totalCents = unitPriceCents * quantity
  const voucherCents = voucherShare(totalCents, coveragePercent)
  return { unitPriceCents, totalCents, voucherCents, copayCents: totalCents - voucherCents }
}

export type BookingAction = 'confirm' | 'decline' | 'cancel' | 'deliver' | 'liquidate' | 'change'

const TRANSITIONS: Record<BookingAction, { from: BookingStatus[]; to: BookingStatus }> = {
  confirm: { from: ['requested'], to: 'confirmed' },
  decline: { from: ['requested', 'confirmed'], to: 'declined' },
  cancel: { from: ['requested', 'confirmed'], to: 'cancelled' },
  deliver: { from: ['confirmed'], to: 'delivered' },
  liquidate: { from: ['delivered'], to: 'liquidated' },
  change: { from: ['requested', 'confirmed'], to: 'requested' },
}

export function transition(from: BookingStatus, action: BookingAction): Result<BookingStatus> {
  const t = TRANSITIONS[action]
  if (!t.from.includes(from)) return refuse('invalid-state', { status: from, action })
  return ok(t.to)
}

/** May this action be taken on a booking in this status? (The phone asks before offering a button.) */
export const can = (action: BookingAction, status: BookingStatus): boolean => TRANSITIONS[action].from.includes(status)

/** Does a booking in this status hold its voucher share (reserved, not yet spent)? */
export const holdsResources = (s: BookingStatus): boolean => s === 'requested' || s === 'confirmed'

/** Does a booking in this status occupy a place? Delivered services used theirs for good. */
export const occupiesPlace = (s: BookingStatus): boolean => holdsResources(s) || s === 'delivered' || s === 'liquidated'

/** The child's live booking of a session among `bookings`, if any (at most one: see above). */
export const liveBookingOf = <B extends Pick<BookingLike, 'childId' | 'sessionId' | 'status'>>(bookings: readonly B[], childId: string, sessionId: string): B | undefined =>
  bookings.find((b) => b.childId === childId && b.sessionId === sessionId && holdsResources(b.status))

interface BookingLike { childId: string; sessionId: string; status: BookingStatus }

const HOUR_MS = 3_600_000

/**
 * The program's cancellation window (issue 11): a parent cancels up to `windowHours` before the
 * session starts; later the provider has organised the service (staff, places) and the booking
 * stands (the provider may still decline it). No window (null or 0): until the session starts.
 */
export function cancellable(startsAt: string, now: string, windowHours: number | null | undefined): Result<void> {
  const hours = windowHours ?? 0
  if (hours > 0 && Date.parse(startsAt) - Date.parse(now) < hours * HOUR_MS) {
    return refuse('invalid-state', { reason: 'cancellation-window', windowHours: hours, startsAt })
  }
  return ok(undefined)
}
