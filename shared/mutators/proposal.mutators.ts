/**
 * "Propose another time" (issue 9). A provider that cannot do the time a family asked for offers
 * another of its own sessions of the same service instead of declining; the family accepts it in the
 * app (the booking moves there: the old place and hold go back, the new place is taken and the voucher
 * holds the new price; the booking is confirmed, since the provider offered that time) or declines it
 * (the booking stays as it was, still requested: the provider confirms or declines it as usual).
 *
 *   booking.propose {bookingId, sessionId, note?}      provider   requested booking, another open session
 *   booking.acceptProposal {bookingId}                 parent     the open proposal → moved, confirmed
 *   booking.declineProposal {bookingId}                parent     the open proposal → declined
 *
 * Nothing is reserved by a proposal: when the family accepts, the session must still have a place and
 * the voucher the money (`capacity-full` / `voucher-insufficient` otherwise, with alternatives).
 * Who agreed on the provider's side is recorded at the proposal (`confirmedBy`, the person who proposed).
 */
import type { Booking } from '../booking/booking.schema.ts'
import { holdsResources, liveBookingOf, priceOf } from '../booking/booking.rules.ts'
import type { Session } from '../catalogue/catalogue.schema.ts'
import { alternativesTo, bookable, releasePlace, takePlace } from '../catalogue/session.rules.ts'
import { promoteWaiting, waitingOf } from './waitlist.mutators.ts'
import { personOf } from '../actor.ts'
import { ok, refuse, type Result } from '../result.ts'
import { hold, release } from '../voucher/voucher.rules.ts'
import type { BookingProposalAnswerArgs, BookingProposeArgs } from './args.ts'
import { ledger, voucherOf } from './booking-writes.ts'
import { via, type Actor, type MutationContext, type MutatorStore, type Read } from './store.ts'

/** An open proposal: the booking is still requested and the family has not answered. */
export const openProposal = (b: Pick<Booking, 'status' | 'proposalStatus' | 'proposedSessionId'>): boolean =>
  b.status === 'requested' && b.proposalStatus === 'proposed' && b.proposedSessionId !== null

export const proposeReads = (a: BookingProposeArgs, actor: Actor): Read[] => [
  { entity: 'booking', id: a.bookingId },
  { entity: 'session', id: a.sessionId },
  { entity: 'program', id: actor.programId },
]

export async function proposeTime(store: MutatorStore, args: BookingProposeArgs, { actor, now }: MutationContext): Promise<Result<void>> {
  const booking = await store.get('booking', args.bookingId)
  if (!booking) return refuse('not-found', { entity: 'booking', id: args.bookingId })
  if (booking.providerId !== actor.providerId) return refuse('forbidden')
  if (booking.status !== 'requested') return refuse('invalid-state', { status: booking.status, action: 'propose' })
  const session = await store.get('session', args.sessionId)
  // Another provider's session does not exist for this one.
  if (!session || session.providerId !== actor.providerId) return refuse('not-found', { entity: 'session', id: args.sessionId })
  if (session.id === booking.sessionId) return refuse('validation', { reason: 'same-session' })
  if (session.serviceId !== booking.serviceId) return refuse('validation', { reason: 'other-service' })
  const open = bookable(session, now, await store.get('program', actor.programId))
  if (!open.ok) return open
  if (session.placesLeft < 1) return refuse('capacity-full', { places: session.places, placesLeft: 0 })
  if (booking.quantity > session.unitsMax) return refuse('validation', { reason: 'quantity-too-large', unitsMax: session.unitsMax })
  await store.update('booking', {
    ...booking,
    proposedSessionId: session.id,
    proposalNote: args.note || null,
    proposalStatus: 'proposed',
    proposedAt: now,
    confirmedBy: personOf(actor),
    updatedAt: now,
  })
  return ok(undefined)
}

async function ownOpenProposal(store: MutatorStore, bookingId: string, actor: Actor): Promise<Result<Booking>> {
  const booking = await store.get('booking', bookingId)
  if (!booking) return refuse('not-found', { entity: 'booking', id: bookingId })
  if (booking.familyId !== actor.familyId) return refuse('forbidden')
  if (!openProposal(booking)) return refuse('invalid-state', { reason: 'no-open-proposal', status: booking.status, proposalStatus: booking.proposalStatus })
  return ok(booking)
}

export const declineProposalReads = (a: BookingProposalAnswerArgs): Read[] => [{ entity: 'booking', id: a.bookingId }]

export async function declineProposal(store: MutatorStore, args: BookingProposalAnswerArgs, { actor, now }: MutationContext): Promise<Result<void>> {
  const loaded = await ownOpenProposal(store, args.bookingId, actor)
  if (!loaded.ok) return loaded
  await store.update('booking', { ...loaded.value, proposalStatus: 'declined', updatedAt: now })
  return ok(undefined)
}

/** What accepting reads, in lock order: the booking, the child's live booking there, both sessions, the voucher. */
export const acceptProposalReads = (a: BookingProposalAnswerArgs, actor: Actor): Read[] => [
  { entity: 'booking', id: a.bookingId },
  { entity: 'booking', lookup: 'liveOfChildSession', key: [via('booking', a.bookingId, 'childId'), via('booking', a.bookingId, 'proposedSessionId')] },
  { entity: 'session', id: via('booking', a.bookingId, 'sessionId') },
  { entity: 'session', id: via('booking', a.bookingId, 'proposedSessionId') },
  { entity: 'voucher', lookup: 'ofChild', key: [via('booking', a.bookingId, 'childId'), actor.programId] },
  { entity: 'program', id: actor.programId },
]

export async function acceptProposal(store: MutatorStore, args: BookingProposalAnswerArgs, { actor, now }: MutationContext): Promise<Result<void>> {
  const loaded = await ownOpenProposal(store, args.bookingId, actor)
  if (!loaded.ok) return loaded
  const booking = loaded.value
  const targetId = booking.proposedSessionId!
  const live = liveBookingOf(await store.find('booking', 'liveOfChildSession', [booking.childId, targetId]), booking.childId, targetId)
  if (live) return refuse('invalid-state', { reason: 'already-booked', bookingId: live.id, quantity: live.quantity, status: live.status })
  // Both sessions, always in id order (two families accepting across the same pair never wait on each other in a cycle).
  const [first, second] = [booking.sessionId, targetId].sort()
  const a = await store.get('session', first!)
  const b = await store.get('session', second!)
  const from = a?.id === booking.sessionId ? a : b
  const to = a?.id === targetId ? a : b
  // The old session's waiting list before any voucher (lock order): the place the booking leaves goes to the first in line.
  const waiting = from && holdsResources(booking.status) ? await waitingOf(store, from) : []
  const [program, voucher] = [await store.get('program', actor.programId), await voucherOf(store, booking.childId, actor.programId)]
  if (!from || !to || !program || !voucher) return refuse('not-found', { entity: !from || !to ? 'session' : !program ? 'program' : 'voucher' })
  const alternatives = async (s: Session) =>
    alternativesTo(s.id, await store.find('session', 'ofService', [s.serviceId]), now, 3, program).map((x) => ({
      sessionId: x.id, providerId: x.providerId, startsAt: x.startsAt, placesLeft: x.placesLeft, unitPriceCents: x.unitPriceCents,
    }))
  const open = bookable(to, now, program)
  if (!open.ok) return refuse(open.code, { ...open.details, alternatives: await alternatives(to) })
  if (booking.quantity > to.unitsMax) return refuse('validation', { reason: 'quantity-too-large', unitsMax: to.unitsMax })
  const placed = takePlace(to)
  if (!placed.ok) return refuse(placed.code, { ...placed.details, alternatives: await alternatives(to) })
  const freed = holdsResources(booking.status) ? releasePlace(from) : ok(from)
  if (!freed.ok) return freed
  const price = priceOf(to.unitPriceCents, booking.quantity, program.voucherCoveragePercent)
  const released = release(voucher, booking.voucherCents)
  if (!released.ok) return released
  const held = hold(released.value, price.voucherCents)
  if (!held.ok) return held
  const moved: Booking = {
    ...booking, ...price, sessionId: to.id, status: 'confirmed', proposalStatus: 'accepted', updatedAt: now,
  }
  await store.update('session', freed.value)
  await store.update('session', placed.value)
  await store.update('voucher', held.value)
  await store.ledger(ledger(voucher.id, booking, 'release', now))
  await store.ledger(ledger(voucher.id, moved, 'hold', now))
  await store.update('booking', moved)
  if (holdsResources(booking.status)) await promoteWaiting(store, freed.value, waiting, { actor, now })
  return ok(undefined)
}
