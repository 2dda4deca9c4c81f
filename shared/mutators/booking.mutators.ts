/**
 * Booking mutators. Conflict rules (brief.md): the server decides on the state it holds when the
 * request arrives, however old the phone's view was. Reads go booking → session → voucher (the
 * server's lock order); nothing is written until every check has passed.
 */
import type { Booking } from '../booking/booking.schema.ts'
import type { WaitlistEntry } from '../booking/waitlist.schema.ts'
import { cancellable, holdsResources, liveBookingOf, priceOf, transition, type BookingAction } from '../booking/booking.rules.ts'
import { needsFit } from '../catalogue/needs.rules.ts'
import type { Program, Service, Session } from '../catalogue/catalogue.schema.ts'
import type { Child } from '../family/family.schema.ts'
import type { LedgerEntry, Voucher } from '../voucher/voucher.schema.ts'
import { decideDelivery } from '../booking/delivery.rules.ts'
import { alternativesTo, bookable, releasePlace, takePlace, type ProgramPeriod } from '../catalogue/session.rules.ts'
import { ok, refuse, type Result } from '../result.ts'
import type { RejectionCode } from '../errors.ts'
import { consume, hold, release } from '../voucher/voucher.rules.ts'
import type {
  BookingCancelArgs,
  BookingChangeQuantityArgs,
  BookingConfirmArgs,
  BookingDeclineArgs,
  BookingDeliverArgs,
  BookingRequestArgs,
} from './args.ts'
import { personOf } from '../actor.ts'
import { planBookingId, seriesOf } from '../booking/recurrence.rules.ts'
import { mayHaveWaiting, promoteWaiting, waitingOf, withWaiting } from './waitlist.mutators.ts'
import { ledger, moveVoucher, requestedBooking, voucherOf } from './booking-writes.ts'
import { fitsSession, holdShare } from './booking-checks.ts'
import { moveThread } from './message.mutators.ts'
import { via, type Actor, type MutationContext, type MutatorStore, type Read } from './store.ts'

const alternativeOf = (s: Session) => ({
  sessionId: s.id,
  providerId: s.providerId,
  startsAt: s.startsAt,
  placesLeft: s.placesLeft,
  unitPriceCents: s.unitPriceCents,
})

async function alternatives(store: MutatorStore, session: Session, now: string, program: ProgramPeriod) {
  return alternativesTo(session.id, await store.find('session', 'ofService', [session.serviceId]), now, 3, program).map(alternativeOf)
}

/** booking.request reads, in lock order: the booking (must not exist), the session, the child's voucher. */
export const requestReads = (a: BookingRequestArgs, actor: Actor): Read[] => [
  { entity: 'booking', id: a.bookingId },
  { entity: 'booking', lookup: 'liveOfChildSession', key: [a.childId, a.sessionId] },
  { entity: 'session', id: a.sessionId },
  // (The child's waiting entry there is read only when someone waits on the session: its `waiting` counter.)
  { entity: 'voucher', lookup: 'ofChild', key: [a.childId, actor.programId] },
  { entity: 'child', id: a.childId },
  { entity: 'service', id: via('session', a.sessionId, 'serviceId') },
  { entity: 'program', id: actor.programId },
  ...(actor.familyId ? [{ entity: 'family' as const, id: actor.familyId }] : []),
]

/** What acting on a booking reads: the booking, then what the action changes through it. */
export const actionReads = (what: { session?: boolean; voucher?: boolean; operator?: boolean }) =>
  (a: { bookingId: string; operatorId?: string }, actor: Actor): Read[] => [
    { entity: 'booking', id: a.bookingId },
    ...(what.session ? [{ entity: 'session' as const, id: via('booking', a.bookingId, 'sessionId') }] : []),
    ...(what.voucher ? [{ entity: 'voucher' as const, lookup: 'ofChild', key: [via('booking', a.bookingId, 'childId'), actor.programId] }] : []),
    ...(what.operator && a.operatorId ? [{ entity: 'operator' as const, id: a.operatorId }] : []),
  ]

/** Confirm: the booking, the operator named, and the booking's messages when one is (they follow the assignment). */
export const confirmReads = (a: { bookingId: string; operatorId?: string }, actor: Actor): Read[] => [
  ...actionReads({ operator: true })(a, actor),
  ...(a.operatorId ? [{ entity: 'message' as const, lookup: 'ofBooking', key: [a.bookingId] }] : []),
]

/**
 * Cancel and decline: the booking, its session, the child's voucher. The session's waiting list (the
 * freed place goes to the first in line) is read only when someone waits: its `waiting` counter.
 */
export const endReads = (a: { bookingId: string }, actor: Actor): Read[] => actionReads({ session: true, voucher: true })(a, actor)

export async function requestBooking(
  store: MutatorStore,
  args: BookingRequestArgs,
  { actor, now }: MutationContext,
): Promise<Result<void>> {
  if (await store.get('booking', args.bookingId)) return refuse('invalid-state', { reason: 'booking-exists' })
  const child = await store.get('child', args.childId)
  if (!child) return refuse('not-found', { entity: 'child', id: args.childId })
  if (child.familyId !== actor.familyId) return refuse('forbidden')
  const session = await store.get('session', args.sessionId)
  if (!session) return refuse('not-found', { entity: 'session', id: args.sessionId })
  const [service, program] = await Promise.all([store.get('service', session.serviceId), store.get('program', actor.programId)])
  if (!service || !program) return refuse('not-found', { entity: 'service', id: session.serviceId })
  // Another program's session (several programs share one platform): as if it did not exist.
  if (service.programId !== program.id) return refuse('not-found', { entity: 'session', id: args.sessionId })
  if (args.recurrence) return requestSeries(store, args, { child, session, service, program }, { actor, now })
  // One live booking per child and session: the parent changes the first one's quantity instead.
  const live = liveBookingOf(await store.find('booking', 'liveOfChildSession', [child.id, session.id]), child.id, session.id)
  const decided = decideDate({
    session, child, service, program, quantity: args.quantity, expectedUnitPriceCents: args.expectedUnitPriceCents, live,
    voucher: await voucherOf(store, child.id, program.id), now,
  })
  if (!decided.ok) {
    // No place or no longer open: other sessions of the service the family could take instead.
    return decided.code === 'session-closed' || decided.code === 'capacity-full'
      ? refuse(decided.code, { ...decided.details, alternatives: await alternatives(store, session, now, program) })
      : decided
  }
  const { placed, price, held } = decided.value
  // Booked directly while waiting for a place (one freed that nobody ahead could take): the wait is over.
  const waiting = mayHaveWaiting(session)
    ? (await store.find('waitlistEntry', 'waitingOfChildSession', [child.id, session.id])).filter((w) => w.status === 'waiting')
    : []

  const family = await store.get('family', child.familyId)
  const booking = requestedBooking({
    id: args.bookingId, child, familyName: family?.name ?? null, session, service, quantity: args.quantity, price,
    note: args.note, address: args.address, now,
  })
  await store.update('session', withWaiting(placed, -waiting.length))
  await moveVoucher(store, held, ledger(held.id, booking, 'hold', now))
  await store.insert('booking', booking)
  for (const w of waiting) await store.update('waitlistEntry', { ...w, status: 'left', updatedAt: now })
  return ok(undefined)
}

/**
 * A provider's (or operator's) phone does not hold the family's voucher (personal data it does not
 * receive), so there the shared rule decides the booking's side alone, and the phone shows the
 * booking delivered or declined at once. On the server the voucher is always found: a booking is
 * only ever made against one (booking.request refuses without it) and vouchers are never deleted;
 * the database's invariants (ledger = voucher parts = bookings) back that up in every test.
 */
const providerSide = (ctx: MutationContext): boolean => ctx.actor.role === 'provider' || ctx.actor.role === 'operator'

/** Load a booking the actor may act on, and the status the action leads to. */
async function loadForAction(
  store: MutatorStore,
  bookingId: string,
  action: BookingAction,
  { actor }: MutationContext,
): Promise<Result<{ booking: Booking; to: Booking['status'] }>> {
  const booking = await store.get('booking', bookingId)
  if (!booking) return refuse('not-found', { entity: 'booking', id: bookingId })
  const mine = actor.role === 'parent'
    ? booking.familyId === actor.familyId
    : actor.role === 'operator'
      ? booking.providerId === actor.providerId && !!actor.operatorId && booking.operatorId === actor.operatorId
      : booking.providerId === actor.providerId
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
  const session = await store.get('session', booking.sessionId)
  // The waiting list before any voucher (lock order): the freed place may go to the first in line.
  const waiting = session && holdsResources(booking.status) ? await waitingOf(store, session) : []
  const voucher = await voucherOf(store, booking.childId, ctx.actor.programId)
  if (!session || (!voucher && !providerSide(ctx))) return refuse('not-found', { entity: !session ? 'session' : 'voucher' })
  if (action === 'cancel') {
    // The program's cancellation window binds the parent (the provider may still decline).
    const program = await store.get('program', ctx.actor.programId)
    const inTime = cancellable(session.startsAt, ctx.now, program?.cancellationWindowHours)
    if (!inTime.ok) return inTime
  }
  if (holdsResources(booking.status)) {
    const freed = releasePlace(session)
    if (!freed.ok) return freed
    const refunded = voucher ? release(voucher, booking.voucherCents) : null
    if (refunded && !refunded.ok) return refunded
    await store.update('booking', { ...booking, status: to, declineReason: reason, updatedAt: ctx.now })
    await store.update('session', freed.value)
    if (voucher && refunded?.ok) await moveVoucher(store, refunded.value, ledger(voucher.id, booking, 'release', ctx.now))
    await promoteWaiting(store, freed.value, waiting, ctx)
    return ok(undefined)
  }
  await store.update('booking', { ...booking, status: to, declineReason: reason, updatedAt: ctx.now })
  return ok(undefined)
}

/** booking.cancel reads what ending a booking reads, and the program (its cancellation window). */
export const cancelReads = (a: BookingCancelArgs, actor: Actor): Read[] => [
  ...endReads(a, actor),
  { entity: 'program', id: actor.programId },
]

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
  const operator = args.operatorId ? await store.get('operator', args.operatorId) : undefined
  if (args.operatorId && (!operator || operator.providerId !== ctx.actor.providerId)) {
    return refuse('not-found', { entity: 'operator', id: args.operatorId })
  }
  const { booking, to } = loaded.value
  const assigned = operator ? { operatorId: operator.id, operatorName: operator.name } : {}
  await store.update('booking', { ...booking, status: to, ...assigned, confirmedBy: personOf(ctx.actor), updatedAt: ctx.now })
  // The operator assigned reads and answers the thread from its start.
  if (operator && operator.id !== booking.operatorId) await moveThread(store, booking.id, operator.id)
  return ok(undefined)
}

/**
 * Delivery (delivery.rules.ts): only once the session has started, dated within it. The voucher
 * consumes the delivered share and releases the rest of the hold (two ledger rows, so the ledger
 * still explains every part); a no-show releases it all.
 */
export async function deliverBooking(
  store: MutatorStore,
  args: BookingDeliverArgs,
  ctx: MutationContext,
): Promise<Result<void>> {
  const loaded = await loadForAction(store, args.bookingId, 'deliver', ctx)
  if (!loaded.ok) return loaded
  const { booking, to } = loaded.value
  const session = await store.get('session', booking.sessionId)
  const voucher = await voucherOf(store, booking.childId, ctx.actor.programId)
  if (!session || (!voucher && !providerSide(ctx))) return refuse('not-found', { entity: !session ? 'session' : 'voucher' })
  const decided = decideDelivery(booking, session, args, ctx.now)
  if (!decided.ok) return decided
  const { price, deliveredQuantity, noShow, deliveredAt } = decided.value
  const delivered: Booking = {
    ...booking, ...price, status: to, updatedAt: ctx.now, deliveredAt, deliveredQuantity, noShow, deliveredBy: personOf(ctx.actor),
  }
  if (voucher) {
    const spent = consume(voucher, price.voucherCents)
    if (!spent.ok) return spent
    const rest = booking.voucherCents - price.voucherCents
    const released = rest > 0 ? release(spent.value, rest) : spent
    if (!released.ok) return released
    if (price.voucherCents > 0) await moveVoucher(store, spent.value, ledger(voucher.id, delivered, 'consume', ctx.now))
    if (rest > 0) await moveVoucher(store, released.value, { voucherId: voucher.id, bookingId: booking.id, kind: 'release', amountCents: rest, at: ctx.now })
  }
  await store.update('booking', delivered)
  return ok(undefined)
}

/** booking.changeQuantity reads: the booking, its session, the child's voucher, the program (its coverage). */
export const changeQuantityReads = (a: BookingChangeQuantityArgs, actor: Actor): Read[] => [
  ...actionReads({ session: true, voucher: true })(a, actor),
  { entity: 'program', id: actor.programId },
]

/**
 * A live booking's new quantity, at the unit price it was booked at: the voucher hold moves from the
 * old share to the new one (two ledger movements: release, hold), the place stays the same, and the
 * booking goes back to `requested` for the provider to confirm the new quantity.
 */
export async function changeBookingQuantity(
  store: MutatorStore,
  args: BookingChangeQuantityArgs,
  ctx: MutationContext,
): Promise<Result<void>> {
  const loaded = await loadForAction(store, args.bookingId, 'change', ctx)
  if (!loaded.ok) return loaded
  const { booking, to } = loaded.value
  if (args.quantity === booking.quantity) return refuse('validation', { reason: 'quantity-unchanged' })
  const [session, program] = await Promise.all([store.get('session', booking.sessionId), store.get('program', ctx.actor.programId)])
  const voucher = await voucherOf(store, booking.childId, ctx.actor.programId)
  if (!session || !program || !voucher) return refuse('not-found', { entity: !session ? 'session' : !program ? 'program' : 'voucher' })
  const open = bookable(session, ctx.now, program)
  if (!open.ok) return open
  if (args.quantity > session.unitsMax) return refuse('validation', { reason: 'quantity-too-large', unitsMax: session.unitsMax })
  const price = priceOf(booking.unitPriceCents, args.quantity, program.voucherCoveragePercent)
  const released = release(voucher, booking.voucherCents)
  if (!released.ok) return released
  const held = hold(released.value, price.voucherCents)
  if (!held.ok) return held
  const changed: Booking = { ...booking, ...price, quantity: args.quantity, status: to, updatedAt: ctx.now }
  await store.update('voucher', held.value)
  await store.ledger(ledger(voucher.id, booking, 'release', ctx.now))
  await store.ledger(ledger(voucher.id, changed, 'hold', ctx.now))
  await store.update('booking', changed)
  return ok(undefined)
}

/**
 * One date of a booking request, decided without reading anything (a single request is a series of
 * one): no live booking of the child there (and, in a series, no booking under the date's id yet), the
 * session bookable (open, to come, in the program's period), the quantity within its units, the child's
 * age and needs fitting the service, the price the phone showed (when it says one), a free place, and
 * the voucher's share held. Refused with the code and details of the first check that fails: a single
 * request says them, a recurring one skips the date with its code and reason.
 */
function decideDate(d: {
  session: Session; child: Child; service: Service; program: Program; quantity: number; expectedUnitPriceCents?: number | undefined
  live: Booking | undefined; idTaken?: boolean; voucher: Voucher | null | undefined; now: string
}): Result<{ placed: Session; price: ReturnType<typeof priceOf>; held: Voucher }> {
  const { session, child, service, program, live } = d
  if (live) return refuse('invalid-state', { reason: 'already-booked', bookingId: live.id, quantity: live.quantity, status: live.status })
  if (d.idTaken) return refuse('invalid-state', { reason: 'booking-exists' })
  const open = bookable(session, d.now, program)
  if (!open.ok) return open as Result<never>
  const fit = fitsSession(session, child, service, d.quantity)
  if (!fit.ok) return fit
  const price = priceOf(session.unitPriceCents, d.quantity, program.voucherCoveragePercent)
  if (d.expectedUnitPriceCents !== undefined && d.expectedUnitPriceCents !== session.unitPriceCents) {
    return refuse('price-changed', { unitPriceCents: session.unitPriceCents, totalCents: price.totalCents })
  }
  const placed = takePlace(session)
  if (!placed.ok) return placed as Result<never>
  const held = holdShare(d.voucher, price.voucherCents)
  if (!held.ok) return held as Result<never>
  return ok({ placed: placed.value, price, held: held.value })
}

interface Anchor {
  child: Child
  session: Session
  service: Service
  program: Program
}

/**
 * A recurring plan item (booking/recurrence.rules.ts): every date of the series decided like a single
 * request, in date order against one running voucher; a date that cannot be booked is skipped with its
 * reason. Applied when at least one date is booked; refused, with every date's reason, when none is.
 * Decided alone (never in a group commit: `alone` in mutators.ts), reading in lock order: the
 * bookings (the child's live ones on each date), then the sessions in id order, then the voucher.
 */
async function requestSeries(store: MutatorStore, args: BookingRequestArgs, a: Anchor, { now }: MutationContext): Promise<Result<void>> {
  const { child, service, program } = a
  const recurrence = args.recurrence!
  const needs = needsFit(child, service)
  if (!needs.ok) return needs
  const candidates = await store.find('session', 'ofServiceProvider', [a.session.serviceId, a.session.providerId])
  const series = seriesOf(a.session, candidates, recurrence, program.timeZone)
  const ids = series.map((s) => planBookingId(args.bookingId, a.session, s, program.timeZone))
  const lives = await Promise.all(series.map((s) => store.find('booking', 'liveOfChildSession', [child.id, s.id])))
  const sessions = new Map<string, Session>()
  for (const s of [...series].sort((x, y) => (x.id < y.id ? -1 : 1))) {
    const locked = await store.get('session', s.id)
    if (locked) sessions.set(s.id, locked)
  }
  const waits = await Promise.all(series.map(async (s) => !mayHaveWaiting(sessions.get(s.id) ?? s) ? [] :
    (await store.find('waitlistEntry', 'waitingOfChildSession', [child.id, s.id])).filter((w) => w.status === 'waiting')))
  let voucher = await voucherOf(store, child.id, program.id)
  const family = await store.get('family', child.familyId)
  const skipped: { sessionId: string; startsAt: string; code: string; reason?: string }[] = []
  const writes: { session: Session; booking: Booking; waiting: WaitlistEntry[] }[] = []
  const holds: { voucher: Voucher; entry: LedgerEntry }[] = []
  for (const [i, s0] of series.entries()) {
    const s = sessions.get(s0.id) ?? s0
    const live = liveBookingOf(lives[i] ?? [], child.id, s.id)
    const decided = decideDate({
      session: s, child, service, program, quantity: args.quantity, live, idTaken: !live && !!(await store.get('booking', ids[i]!)), voucher, now,
      // The price the phone showed is the first date's.
      expectedUnitPriceCents: i === 0 ? args.expectedUnitPriceCents : undefined,
    })
    if (!decided.ok) {
      const reason = (decided.details as { reason?: unknown } | undefined)?.reason
      skipped.push({ sessionId: s.id, startsAt: s.startsAt, code: decided.code, ...(typeof reason === 'string' ? { reason } : {}) })
      continue
    }
    const { placed, price, held } = decided.value
    const booking = requestedBooking({
      id: ids[i]!, child, familyName: family?.name ?? null, session: s, service, quantity: args.quantity, price,
      note: args.note, address: args.address, planId: args.bookingId, now,
    })
    voucher = held
    const after = withWaiting(placed, -(waits[i]?.length ?? 0))
    sessions.set(s.id, after)
    writes.push({ session: after, booking, waiting: waits[i] ?? [] })
    holds.push({ voucher: held, entry: ledger(held.id, booking, 'hold', now) })
  }
  if (!writes.length) {
    // None booked: refused with the first date's code, every date's reason, and what a single request
    // would say (the balance and what the first date needs; other sessions with places).
    const code = (skipped[0]?.code ?? 'invalid-state') as RejectionCode
    const first = priceOf(a.session.unitPriceCents, args.quantity, program.voucherCoveragePercent)
    return {
      ok: false,
      code,
      details: {
        reason: 'no-date-booked', dates: skipped, balanceCents: voucher?.balanceCents ?? 0, neededCents: first.voucherCents,
        unitPriceCents: a.session.unitPriceCents, totalCents: first.totalCents, alternatives: await alternatives(store, a.session, now, program),
      },
    }
  }
  for (const w of writes) await store.update('session', w.session)
  for (const h of holds) await moveVoucher(store, h.voucher, h.entry)
  for (const w of writes) await store.insert('booking', w.booking)
  for (const w of writes) for (const e of w.waiting) await store.update('waitlistEntry', { ...e, status: 'left', updatedAt: now })
  // Every date as decided now, for every phone of the family (plan-date.schema.ts): booked, or skipped and why.
  const booked = new Map(writes.map((w) => [w.session.id, w.booking.id]))
  const why = new Map(skipped.map((d) => [d.sessionId, d]))
  for (const [i, s] of series.entries()) {
    if (await store.get('planDate', ids[i]!)) continue // a plan id sent twice: the first plan's dates stand
    const bookingId = booked.get(s.id) ?? null
    const skip = bookingId ? null : why.get(s.id)
    await store.insert('planDate', {
      id: ids[i]!, planId: args.bookingId, familyId: child.familyId, childId: child.id, sessionId: s.id, startsAt: s.startsAt, bookingId,
      code: bookingId ? null : (skip?.code ?? 'invalid-state'), reason: skip?.reason ?? null, createdAt: now,
    })
  }
  return ok(undefined)
}
