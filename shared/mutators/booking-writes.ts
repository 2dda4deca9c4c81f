/**
 * The pieces every mutator that makes or moves a booking shares: the new request's row (a single
 * request, each date of a recurring one, a waiting entry promoted), the child's voucher, and a
 * voucher's change written with the ledger movement that explains it. One place, so a booking field
 * added later is set everywhere a booking is born (issue 9's who and where had to be added three times).
 */
import type { Booking } from '../booking/booking.schema.ts'
import type { Price } from '../booking/booking.rules.ts'
import type { Service, Session } from '../catalogue/catalogue.schema.ts'
import { atHome } from '../catalogue/session.rules.ts'
import type { Child } from '../family/family.schema.ts'
import { ageInMonths } from '../time.ts'
import type { LedgerEntry, Voucher } from '../voucher/voucher.schema.ts'
import type { MutatorStore } from './store.ts'

/** A child's voucher in a program (locked on the server). */
export const voucherOf = async (store: MutatorStore, childId: string, programId: string): Promise<Voucher | undefined> =>
  (await store.find('voucher', 'ofChild', [childId, programId]))[0]

/** A voucher's parts changed: the row and the ledger movement that explains it, always together. */
export async function moveVoucher(store: MutatorStore, v: Voucher, entry: LedgerEntry): Promise<void> {
  await store.update('voucher', v)
  await store.ledger(entry)
}

export const ledger = (voucherId: string, b: Booking, kind: 'hold' | 'release' | 'consume', at: string, amountCents = b.voucherCents) => ({
  voucherId,
  bookingId: b.id,
  kind,
  amountCents,
  at,
})

/**
 * A new booking, `requested`: who and where copied for the provider (the family's name, the child's
 * age in months at the session, never the birth date; the address only for at-home services).
 */
export function requestedBooking(p: {
  id: string
  child: Child
  familyName: string | null
  session: Session
  service: Service
  quantity: number
  price: Price
  note?: string | null
  address?: string | null
  planId?: string | null
  now: string
}): Booking {
  const { child, session, now } = p
  return {
    id: p.id,
    childId: child.id,
    familyId: child.familyId,
    sessionId: session.id,
    serviceId: session.serviceId,
    providerId: session.providerId,
    quantity: p.quantity,
    status: 'requested',
    ...p.price,
    note: p.note ?? null,
    declineReason: null,
    operatorId: null,
    operatorName: null,
    childFirstName: child.firstName,
    familyName: p.familyName,
    childAgeMonths: ageInMonths(child.birthDate, session.startsAt),
    address: atHome(p.service) ? p.address || null : null,
    proposedSessionId: null,
    proposalNote: null,
    proposalStatus: null,
    proposedAt: null,
    createdAt: now,
    updatedAt: now,
    deliveredAt: null,
    deliveredQuantity: null,
    noShow: false,
    confirmedBy: null,
    deliveredBy: null,
    planId: p.planId ?? null,
  }
}
