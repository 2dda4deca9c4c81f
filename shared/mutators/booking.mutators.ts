/**
 * Booking mutators. Conflict rules (brief.md): the server decides on the state it holds when the
 * request arrives, however old the phone's view was. Reads go booking → session → voucher (the
 * server's lock order); nothing is written until every check has passed.
 */
import type { Booking } from '../booking/booking.schema.ts'
import { holdsResources, priceOf, transition, type BookingAction } from '../booking/booking.rules.ts'
import type { Session } from '../catalogue/catalogue.schema.ts'
import { alternativesTo, bookable, releasePlace, takePlace } from '../catalogue/session.rules.ts'
import { ok, refuse, type Result } from '../result.ts'
import { ageInYears } from '../time.ts'
import { consume, hold, release } from '../voucher/voucher.rules.ts'
import type {
  BookingCancelArgs,
  BookingConfirmArgs,
  BookingDeclineArgs,
  BookingDeliverArgs,
  BookingRequestArgs,
} from './args.ts'
import type { MutationContext, MutatorStore } from './store.ts'

const alternativeOf = (s: Session) => ({
  sessionId: s.id,
  providerId: s.providerId,
  startsAt: s.startsAt,
  placesLeft: s.placesLeft,
  unitPriceCents: s.unitPriceCents,
})

async function alternatives(store: MutatorStore, session: Session, now: string) {
  return alternativesTo(session.id, await store.sessionsOfService(session.serviceId), now).map(alternativeOf)
}

export async function requestBooking(
  store: MutatorStore,
  args: BookingRequestArgs,
  { actor, now }: MutationContext,
): Promise<Result<void>> {
  if (await store.booking(args.bookingId)) return refuse('invalid-state', { reason: 'booking-exists' })
  const child = await store.child(args.childId)
  if (!child) return refuse('not-found', { entity: 'child', id: args.childId })
  if (child.familyId !== actor.familyId) return refuse('forbidden')
  const session = await store.session(args.sessionId)
  if (!session) return refuse('not-found', { entity: 'session', id: args.sessionId })
  const [service, program] = await Promise.all([store.service(session.serviceId), store.program(actor.programId)])
  if (!service || !program) return refuse('not-found', { entity: 'service', id: session.serviceId })

  const open = bookable(session, now)
  if (!open.ok) return refuse(open.code, { ...open.details, alternatives: await alternatives(store, session, now) })
  if (args.quantity > session.unitsMax) {
    return refuse('validation', { reason: 'quantity-too-large', unitsMax: session.unitsMax })
  }
  const age = ageInYears(child.birthDate, session.startsAt)
  if (age < service.ageMinYears || age > service.ageMaxYears) {
    return refuse('child-ineligible', { age, ageMinYears: service.ageMinYears, ageMaxYears: service.ageMaxYears })
  }
  const price = priceOf(session.unitPriceCents, args.quantity, program.voucherCoveragePercent)
  if (args.expectedUnitPriceCents !== undefined && args.expectedUnitPriceCents !== session.unitPriceCents) {
    return refuse('price-changed', { unitPriceCents: session.unitPriceCents, totalCents: price.totalCents })
  }
  const placed = takePlace(session)
  if (!placed.ok) return refuse(placed.code, { ...placed.details, alternatives: await alternatives(store, session, now) })
  const voucher = await store.voucherOfChild(child.id, program.id)
  if (!voucher) return refuse('voucher-insufficient', { balanceCents: 0, neededCents: price.voucherCents })
  const held = hold(voucher, price.voucherCents)
  if (!held.ok) return held

  const booking: Booking = {
    id: args.bookingId,
    childId: child.id,
    familyId: child.familyId,
    sessionId: session.id,
    serviceId: session.serviceId,
    providerId: session.providerId,
    quantity: args.quantity,
    status: 'requested',
    ...price,
    note: args.note ?? null,
    declineReason: null,
    operatorId: null,
    childFirstName: child.firstName,
    createdAt: now,
    updatedAt: now,
  }
  await store.updateSession(placed.value)
  await store.updateVoucher(held.value, ledger(voucher.id, booking, 'hold', now))
  await store.insertBooking(booking)
  return ok(undefined)
}

const ledger = (voucherId: string, b: Booking, kind: 'hold' | 'release' | 'consume', at: string) => ({
  voucherId,
  bookingId: b.id,
  kind,
  amountCents: b.voucherCents,
  at,
})

/** Load a booking the actor may act on, and the status the action leads to. */
async function loadForAction(
  store: MutatorStore,
  bookingId: string,
  action: BookingAction,
  { actor }: MutationContext,
): Promise<Result<{ booking: Booking; to: Booking['status'] }>> {
  const booking = await store.booking(bookingId)
  if (!booking) return refuse('not-found', { entity: 'booking', id: bookingId })
  const mine = actor.role === 'parent' ? booking.familyId === actor.familyId : booking.providerId === actor.providerId
  if (!mine) return refuse('forbidden')
  const to = transition(booking.status, action)
  if (!to.ok) return to
  return ok({ booking, to: to.value })
}

/** Cancel (parent) or decline (provider): the place and the voucher hold go back. */
async function endBooking(
  store: MutatorStore,
  bookingId: string,
  action: 'cancel' | 'decline',
  ctx: MutationContext,
  reason: string | null,
): Promise<Result<void>> {
  const loaded = await loadForAction(store, bookingId, action, ctx)
  if (!loaded.ok) return loaded
  const { booking, to } = loaded.value
  const session = await store.session(booking.sessionId)
  const voucher = await store.voucherOfChild(booking.childId, ctx.actor.programId)
  if (!session || !voucher) return refuse('not-found', { entity: !session ? 'session' : 'voucher' })
  if (holdsResources(booking.status)) {
    const freed = releasePlace(session)
    const refunded = release(voucher, booking.voucherCents)
    if (!freed.ok) return freed
    if (!refunded.ok) return refunded
    await store.updateSession(freed.value)
    await store.updateVoucher(refunded.value, ledger(voucher.id, booking, 'release', ctx.now))
  }
  await store.updateBooking({ ...booking, status: to, declineReason: reason, updatedAt: ctx.now })
  return ok(undefined)
}

export const cancelBooking = (store: MutatorStore, args: BookingCancelArgs, ctx: MutationContext) =>
  endBooking(store, args.bookingId, 'cancel', ctx, null)

export const declineBooking = (store: MutatorStore, args: BookingDeclineArgs, ctx: MutationContext) =>
  endBooking(store, args.bookingId, 'decline', ctx, args.reason)

export async function confirmBooking(
  store: MutatorStore,
  args: BookingConfirmArgs,
  ctx: MutationContext,
): Promise<Result<void>> {
  const loaded = await loadForAction(store, args.bookingId, 'confirm', ctx)
  if (!loaded.ok) return loaded
  if (args.operatorId) {
    const operator = await store.operator(args.operatorId)
    if (!operator || operator.providerId !== ctx.actor.providerId) {
      return refuse('not-found', { entity: 'operator', id: args.operatorId })
    }
  }
  const { booking, to } = loaded.value
  await store.updateBooking({ ...booking, status: to, operatorId: args.operatorId ?? booking.operatorId, updatedAt: ctx.now })
  return ok(undefined)
}

export async function deliverBooking(
  store: MutatorStore,
  args: BookingDeliverArgs,
  ctx: MutationContext,
): Promise<Result<void>> {
  const loaded = await loadForAction(store, args.bookingId, 'deliver', ctx)
  if (!loaded.ok) return loaded
  const { booking, to } = loaded.value
  const voucher = await store.voucherOfChild(booking.childId, ctx.actor.programId)
  if (!voucher) return refuse('not-found', { entity: 'voucher' })
  const spent = consume(voucher, booking.voucherCents)
  if (!spent.ok) return spent
  await store.updateVoucher(spent.value, ledger(voucher.id, booking, 'consume', ctx.now))
  await store.updateBooking({ ...booking, status: to, updatedAt: args.deliveredAt ?? ctx.now })
  return ok(undefined)
}
