/**
 * The waiting list of full sessions (issue 10): `waitlist.join` / `waitlist.leave`, and the promotion
 * every mutation that frees a place runs in its own transaction (`promoteWaiting`): the first entry
 * still waiting whose child still fits and whose voucher covers it becomes a booking request (the
 * entry's id is the booking's), the others keep their turn. An entry whose voucher does not cover it
 * keeps its place in the queue and the next one is tried. A closed session closes its entries.
 *
 * Lock order (registry LOCK_ORDER): booking → session → waitlistEntry → voucher. The entries of the
 * session are read (locked) right after the session, before any voucher; the promoted child's voucher
 * is then locked like any other voucher (a deadlock with another voucher holder is detected by
 * Postgres and the push retries the loser).
 */
import { liveBookingOf, priceOf } from '../booking/booking.rules.ts'
import type { WaitlistEntry } from '../booking/waitlist.schema.ts'
import { waitingExpired } from '../booking/waitlist.rules.ts'
import type { Session } from '../catalogue/catalogue.schema.ts'
import { bookable, eligibility, takePlace } from '../catalogue/session.rules.ts'
import { needsFit } from '../catalogue/needs.rules.ts'
import { ok, refuse, type Result } from '../result.ts'
import { hold } from '../voucher/voucher.rules.ts'
import type { WaitlistJoinArgs, WaitlistLeaveArgs } from './args.ts'
import { ledger, moveVoucher, requestedBooking, voucherOf } from './booking-writes.ts'
import { fitsSession, holdShare } from './booking-checks.ts'
import { via, type Actor, type MutationContext, type MutatorStore, type Read } from './store.ts'

/** The turn: first come, first served (ties by id). */
export const byTurn = (a: WaitlistEntry, b: WaitlistEntry) =>
  a.createdAt === b.createdAt ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.createdAt < b.createdAt ? -1 : 1

/**
 * Might anyone wait on this session? Its `waiting` counter (migration 0016) says; a row a phone stored
 * before the counter existed has none (undefined at run time, whatever its type says), and might. When nobody waits, a place freed or taken reads no waiting list:
 * on the server that list is not fetched with the push's other reads, and is read (locked) only here.
 * That read comes after the push's vouchers are locked, against LOCK_ORDER, yet cannot wait in a
 * cycle: the session is locked first, and every writer of its entries that also locks a voucher
 * (a join, a promotion, a close) locks that session before them.
 */
export const mayHaveWaiting = (s: Session): boolean => s.waiting !== 0

/** The session with `n` more (or fewer) entries waiting; a row without the counter is left without it. */
export const withWaiting = (s: Session, n: number): Session =>
  (typeof s.waiting !== 'number' || n === 0 ? s : { ...s, waiting: Math.max(0, s.waiting + n) })

/** The entries still waiting on a session, in their turn (the memory store ignores the lookup's narrowing); none read when none wait. */
export async function waitingOf(store: MutatorStore, session: Session): Promise<WaitlistEntry[]> {
  if (!mayHaveWaiting(session)) return []
  return (await store.find('waitlistEntry', 'waitingOfSession', [session.id])).filter((w) => w.status === 'waiting').sort(byTurn)
}

export const joinWaitlistReads = (a: WaitlistJoinArgs, actor: Actor): Read[] => [
  { entity: 'booking', lookup: 'liveOfChildSession', key: [a.childId, a.sessionId] },
  { entity: 'session', id: a.sessionId },
  { entity: 'waitlistEntry', id: a.entryId },
  { entity: 'waitlistEntry', lookup: 'waitingOfChildSession', key: [a.childId, a.sessionId] },
  { entity: 'voucher', lookup: 'ofChild', key: [a.childId, actor.programId] },
  { entity: 'child', id: a.childId },
  { entity: 'program', id: actor.programId },
]

export async function joinWaitlist(store: MutatorStore, args: WaitlistJoinArgs, { actor, now }: MutationContext): Promise<Result<void>> {
  const live = await store.find('booking', 'liveOfChildSession', [args.childId, args.sessionId])
  const session = await store.get('session', args.sessionId)
  if (await store.get('waitlistEntry', args.entryId)) return refuse('invalid-state', { reason: 'entry-exists' })
  const child = await store.get('child', args.childId)
  if (!child) return refuse('not-found', { entity: 'child', id: args.childId })
  if (child.familyId !== actor.familyId) return refuse('forbidden')
  if (!session) return refuse('not-found', { entity: 'session', id: args.sessionId })
  const [service, program] = await Promise.all([store.get('service', session.serviceId), store.get('program', actor.programId)])
  if (!service || !program || service.programId !== program.id) return refuse('not-found', { entity: 'session', id: args.sessionId })
  const booked = liveBookingOf(live, child.id, session.id)
  if (booked) return refuse('invalid-state', { reason: 'already-booked', bookingId: booked.id, quantity: booked.quantity, status: booked.status })
  const open = bookable(session, now, program)
  if (!open.ok) return open
  // A session with places is booked, not waited for.
  if (session.placesLeft > 0) return refuse('invalid-state', { reason: 'places-left', placesLeft: session.placesLeft })
  const waiting = (await store.find('waitlistEntry', 'waitingOfChildSession', [child.id, session.id])).find((w) => w.status === 'waiting')
  if (waiting) return refuse('invalid-state', { reason: 'already-waiting', entryId: waiting.id })
  // As a request would be decided (booking.mutators.ts decideDate), but nothing is held yet.
  const fit = fitsSession(session, child, service, args.quantity)
  if (!fit.ok) return fit
  // The voucher must cover it today (checked again when a place frees: it may have changed by then).
  const price = priceOf(session.unitPriceCents, args.quantity, program.voucherCoveragePercent)
  const covered = holdShare(await voucherOf(store, child.id, program.id), price.voucherCents)
  if (!covered.ok) return covered
  await store.update('session', withWaiting(session, 1))
  await store.insert('waitlistEntry', {
    id: args.entryId, childId: child.id, familyId: child.familyId, sessionId: session.id, serviceId: session.serviceId,
    providerId: session.providerId, quantity: args.quantity, status: 'waiting', bookingId: null, createdAt: now, updatedAt: now,
  })
  return ok(undefined)
}

/** The entry, and its session (locked first, lock order): its `waiting` counter goes down. */
export const leaveWaitlistReads = (a: WaitlistLeaveArgs): Read[] => [
  { entity: 'session', id: via('waitlistEntry', a.entryId, 'sessionId') },
  { entity: 'waitlistEntry', id: a.entryId },
]

export async function leaveWaitlist(store: MutatorStore, args: WaitlistLeaveArgs, { actor, now }: MutationContext): Promise<Result<void>> {
  const entry = await store.get('waitlistEntry', args.entryId)
  if (!entry) return refuse('not-found', { entity: 'waitlistEntry', id: args.entryId })
  if (entry.familyId !== actor.familyId) return refuse('forbidden')
  if (entry.status !== 'waiting') return refuse('invalid-state', { status: entry.status, ...(entry.bookingId ? { bookingId: entry.bookingId } : {}) })
  const session = await store.get('session', entry.sessionId) // absent on a phone that does not hold it: the server counts
  if (session) await store.update('session', withWaiting(session, -1))
  await store.update('waitlistEntry', { ...entry, status: 'left', updatedAt: now })
  return ok(undefined)
}

/**
 * A place freed on `session` (already written with its new `placesLeft`): give it to the first waiting
 * entries that can take it, in their turn, while places last. Never refuses: an entry that cannot be
 * promoted (voucher, age, a live booking meanwhile) keeps waiting and the next one is tried.
 * `waiting`: the session's entries, read (locked) before any voucher. Returns the session as left.
 */
export async function promoteWaiting(
  store: MutatorStore,
  session: Session,
  waiting: readonly WaitlistEntry[],
  { actor, now }: MutationContext,
): Promise<Session> {
  let current = session
  if (!waiting.length || !bookable(current, now).ok) return current
  const [service, program] = await Promise.all([store.get('service', session.serviceId), store.get('program', actor.programId)])
  if (!service || !program || !bookable(current, now, program).ok) return current
  for (const entry of [...waiting].filter((w) => w.status === 'waiting').sort(byTurn)) {
    if (current.placesLeft < 1) break
    const child = await store.get('child', entry.childId)
    if (!child || !eligibility(child.birthDate, service, current).fits || !needsFit(child, service).ok || entry.quantity > current.unitsMax) continue
    if (liveBookingOf(await store.find('booking', 'liveOfChildSession', [child.id, current.id]), child.id, current.id)) continue
    if (await store.get('booking', entry.id)) continue
    const voucher = await voucherOf(store, child.id, program.id)
    if (!voucher) continue
    const price = priceOf(current.unitPriceCents, entry.quantity, program.voucherCoveragePercent)
    const held = hold(voucher, price.voucherCents)
    const placed = takePlace(current)
    if (!held.ok || !placed.ok) continue
    // A waiting entry carries no address: the family gives it in the booking's thread.
    const familyName = (await store.get('family', child.familyId))?.name ?? null
    const booking = requestedBooking({ id: entry.id, child, familyName, session: current, service, quantity: entry.quantity, price, now })
    current = withWaiting(placed.value, -1)
    await store.update('session', current)
    await moveVoucher(store, held.value, ledger(voucher.id, booking, 'hold', now))
    await store.insert('booking', booking)
    await store.update('waitlistEntry', { ...entry, status: 'promoted', bookingId: booking.id, updatedAt: now })
  }
  return current
}

/**
 * An entry still waiting when its session has started ends `expired` (the server's sweep runs it for
 * the due entries: services/waitlist/expire.ts); its session's `waiting` counter goes down. Answers
 * whether it changed; an entry that is no longer waiting, or whose session has not started, is left alone.
 */
export async function expireWaiting(store: MutatorStore, entryId: string, now: string): Promise<Result<boolean>> {
  const entry = await store.get('waitlistEntry', entryId)
  if (!entry) return refuse('not-found', { entity: 'waitlistEntry', id: entryId })
  const session = await store.get('session', entry.sessionId)
  if (!session || !waitingExpired(entry, session, now)) return ok(false)
  await store.update('session', withWaiting(session, -1))
  await store.update('waitlistEntry', { ...entry, status: 'expired', updatedAt: now })
  return ok(true)
}

/**
 * A session closed: its waiting entries are closed with it (never left "waiting" for a place that will
 * not come). Returns the session with the entries it closed counted out.
 */
export async function closeWaiting(store: MutatorStore, session: Session, waiting: readonly WaitlistEntry[], now: string): Promise<Session> {
  const closing = waiting.filter((w) => w.status === 'waiting')
  for (const w of closing) await store.update('waitlistEntry', { ...w, status: 'closed', updatedAt: now })
  return withWaiting(session, -closing.length)
}
