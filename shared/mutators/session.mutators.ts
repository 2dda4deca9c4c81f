/**
 * session.close: a provider closes one of its sessions (the operator is ill, the room is unusable).
 * The session becomes `closed`; every booking still holding a place (requested or confirmed) is
 * declined with the provider's reason, and its place and voucher hold go back (one `release` ledger
 * row each). Families see the declined booking and the reason on their next pull; their phones
 * suggest other sessions of the same service from the catalogue they already hold (`alternativesTo`),
 * so the Booking schema needs no new field. Delivered bookings keep their place: the service happened.
 *
 * Locks on the server, in the global order booking → session → voucher:
 *  1. the session's bookings (id order), so a parent cancelling or a provider confirming one of them
 *     queues behind the close (or the close behind them) on the booking row, as with any other action;
 *  2. the session, which every booking request locks before inserting: from here on no new booking
 *     can appear on it, and a request waiting for the lock then finds it closed (`session-closed`);
 *  3. the bookings again: a request that committed between 1 and 2 is now visible, and declined too;
 *  4. the vouchers, in child id order (two closes sharing children never wait on each other in a cycle).
 *  Between 3 and 4 the session's waiting list (locked), whose entries are closed with it.
 * The only cycle left is a booking created in the gap between 1 and 2 that someone cancels while
 * the close waits for it: Postgres detects that deadlock and the push retries the loser.
 */
import type { Booking } from '../booking/booking.schema.ts'
import { holdsResources, transition } from '../booking/booking.rules.ts'
import { closable, releasePlace } from '../catalogue/session.rules.ts'
import { ok, refuse, type Result } from '../result.ts'
import type { LedgerEntry, Voucher } from '../voucher/voucher.schema.ts'
import { release } from '../voucher/voucher.rules.ts'
import type { SessionCloseArgs } from './args.ts'
import { moveVoucher, voucherOf } from './booking-writes.ts'
import type { MutationContext, MutatorStore } from './store.ts'
import { closeWaiting, waitingOf } from './waitlist.mutators.ts'

const byChildThenId = (a: Booking, b: Booking) =>
  a.childId === b.childId ? (a.id < b.id ? -1 : 1) : a.childId < b.childId ? -1 : 1

export async function closeSession(
  store: MutatorStore,
  args: SessionCloseArgs,
  { actor, now }: MutationContext,
): Promise<Result<void>> {
  await store.find('booking', 'ofSession', [args.sessionId]) // 1. lock the bookings first (lock order)
  const session = await store.get('session', args.sessionId) // 2.
  if (!session) return refuse('not-found', { entity: 'session', id: args.sessionId })
  if (session.providerId !== actor.providerId) return refuse('forbidden')
  if (!closable(session)) return refuse('session-closed', { status: session.status })
  const active = (await store.find('booking', 'ofSession', [args.sessionId], { again: true })).filter((b) => holdsResources(b.status)).sort(byChildThenId) // 3.
  const waiting = await waitingOf(store, session) // its waiting list, before the vouchers (lock order)

  // Decide everything before writing anything: a refusal must leave no trace.
  let closed = { ...session, status: 'closed' as const }
  const vouchers = new Map<string, Voucher>()
  const moves: { voucher: Voucher; entry: LedgerEntry }[] = []
  const declined: Booking[] = []
  for (const b of active) {
    const to = transition(b.status, 'decline')
    if (!to.ok) return to
    const freed = releasePlace(closed)
    if (!freed.ok) return freed
    closed = { ...freed.value, status: 'closed' }
    const voucher = vouchers.get(b.childId) ?? (await voucherOf(store, b.childId, actor.programId)) // 4.
    if (!voucher) return refuse('not-found', { entity: 'voucher', childId: b.childId })
    const refunded = release(voucher, b.voucherCents)
    if (!refunded.ok) return refunded
    vouchers.set(b.childId, refunded.value)
    moves.push({ voucher: refunded.value, entry: { voucherId: voucher.id, bookingId: b.id, kind: 'release', amountCents: b.voucherCents, at: now } })
    declined.push({ ...b, status: to.value, declineReason: args.reason, updatedAt: now })
  }

  await store.update('session', await closeWaiting(store, closed, waiting, now)) // no place will free: never left "waiting"
  for (const m of moves) await moveVoucher(store, m.voucher, m.entry)
  for (const b of declined) await store.update('booking', b)
  return ok(undefined)
}
