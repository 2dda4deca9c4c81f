/**
 * The family's plan: every booking with its state in words. Three sources, one list:
 * derived bookings (server rows + pending replay), pending requests the replay says will probably be
 * refused (so they are not in the derived bookings), and requests the server refused (kept in
 * `results` with their original args, so what the parent asked for is never silently lost).
 * A declined booking (the provider said no, or closed the session) comes with other sessions of the
 * same service, worked out here from the catalogue with the shared `alternativesTo`: the server
 * sends no list with it, and the catalogue on the phone is as fresh as the booking itself.
 */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
// Narrow modules, never the shared/ barrel: this store is on the first screen, which loads no zod (issue 10).
import type { Booking, BookingStatus } from '../../../../shared/booking/booking.schema.ts'
import { can, priceOf } from '../../../../shared/booking/booking.rules.ts'
import type { Session } from '../../../../shared/catalogue/catalogue.schema.ts'
import { alternativesTo } from '../../../../shared/catalogue/session.rules.ts'
import { compareIso } from '../../../../shared/time.ts'
import { readBookingRequest } from '../../../../shared/mutators/arg-readers.ts'
import type { BookingRequestArgs } from '../../../../shared/mutators/args.ts'
import type { Refusal } from '../../../../shared/result.ts'
import { database, withDb } from '../../db/lazy.ts'
import { getMeta, setMeta } from '../../db/meta.ts'
import { readMetaRaw } from '../../db/raw.ts'
import type { StoredResult } from '../../db/db.types.ts'
import { useViewStore } from '../../view/view.store.ts'
import { useAuthStore } from '../auth/auth.store.ts'
import { useSyncStore } from '../sync/sync.store.ts'

export type PlanState = 'pending' | BookingStatus | 'refused'

export interface Alternative {
  sessionId: string
  providerId: string | null
  startsAt: string | null
  placesLeft: number | null
  unitPriceCents: number | null
}

export interface PlanItem {
  key: string
  bookingId: string
  state: PlanState
  childId: string
  childName: string
  sessionId: string
  serviceId: string | null
  providerId: string | null
  startsAt: string | null
  quantity: number
  totalCents: number | null
  voucherCents: number | null
  copayCents: number | null
  operatorName: string | null
  /** Once delivered: the units actually delivered (0 and `noShow` when the child did not come). */
  deliveredQuantity: number | null
  noShow: boolean
  declineReason: string | null
  /** A change (e.g. a cancellation) is waiting in the outbox. */
  changePending: boolean
  /** The replay of this pending request was refused by the shared rules: the server will probably refuse too. */
  probableRefusal: Refusal | null
  refusal: { resultKey: string; code: string; details: Record<string, unknown>; alternatives: Alternative[]; balanceCents: number | null } | null
  /** For a declined booking: other open sessions of the same service with places. */
  alternatives: Alternative[]
  cancellable: boolean
}

const alternativeOf = (s: Session): Alternative => ({
  sessionId: s.id, providerId: s.providerId, startsAt: s.startsAt, placesLeft: s.placesLeft, unitPriceCents: s.unitPriceCents,
})

const alternativesOf = (details: Record<string, unknown> | null): Alternative[] =>
  (Array.isArray(details?.alternatives) ? (details.alternatives as Record<string, unknown>[]) : [])
    .filter((a) => typeof a.sessionId === 'string')
    .map((a) => ({
      sessionId: a.sessionId as string,
      providerId: typeof a.providerId === 'string' ? a.providerId : null,
      startsAt: typeof a.startsAt === 'string' ? a.startsAt : null,
      placesLeft: typeof a.placesLeft === 'number' ? a.placesLeft : null,
      unitPriceCents: typeof a.unitPriceCents === 'number' ? a.unitPriceCents : null,
    }))

const ORDER: Record<PlanState, number> = { refused: 0, pending: 1, requested: 2, confirmed: 3, declined: 4, delivered: 5, liquidated: 6, cancelled: 7 }

export const usePlanStore = defineStore('plan', () => {
  const view = useViewStore()
  const auth = useAuthStore()
  const sync = useSyncStore()

  function fromArgs(key: string, args: BookingRequestArgs, state: PlanState): PlanItem {
    const session = view.session(args.sessionId)
    const price = session && view.program ? priceOf(session.unitPriceCents, args.quantity, view.program.voucherCoveragePercent) : null
    return {
      key, bookingId: args.bookingId, state, childId: args.childId, childName: view.child(args.childId)?.firstName ?? '',
      sessionId: args.sessionId, serviceId: session?.serviceId ?? null, providerId: session?.providerId ?? null,
      startsAt: session?.startsAt ?? null, quantity: args.quantity, totalCents: price?.totalCents ?? null,
      voucherCents: price?.voucherCents ?? null, copayCents: price?.copayCents ?? null, operatorName: null,
      deliveredQuantity: null, noShow: false, declineReason: null, changePending: false, probableRefusal: null, refusal: null, alternatives: [], cancellable: false,
    }
  }

  const declinedAlternatives = (b: Booking): Alternative[] =>
    alternativesTo(b.sessionId, view.sessionsWhere((s) => s.serviceId === b.serviceId), new Date().toISOString()).map(alternativeOf)

  function fromBooking(b: Booking, lk: typeof view.lookups, pendingOf: typeof view.pendingByBooking): PlanItem {
    const mine = pendingOf.get(b.id) ?? []
    const requestPending = mine.some((p) => p.name === 'booking.request')
    const session = lk.sessions.get(b.sessionId)
    // A request still in the outbox is "pending"; if the parent also cancelled it meanwhile, show what they did.
    const state: PlanState = requestPending && b.status === 'requested' ? 'pending' : b.status
    return {
      key: b.id, bookingId: b.id, state, childId: b.childId, childName: b.childFirstName || lk.children.get(b.childId)?.firstName || '',
      sessionId: b.sessionId, serviceId: b.serviceId, providerId: b.providerId, startsAt: session?.startsAt ?? null,
      quantity: b.quantity, totalCents: b.totalCents, voucherCents: b.voucherCents, copayCents: b.copayCents,
      operatorName: b.operatorName ?? (b.operatorId ? (lk.operators.get(b.operatorId)?.name ?? null) : null), declineReason: b.declineReason,
      deliveredQuantity: b.deliveredQuantity, noShow: b.noShow,
      changePending: mine.some((p) => p.name !== 'booking.request') || (requestPending && b.status !== 'requested'),
      probableRefusal: mine.map((p) => p.outcome).find((o): o is Refusal => !o.ok) ?? null, refusal: null,
      alternatives: b.status === 'declined' ? declinedAlternatives(b) : [],
      cancellable: can('cancel', b.status),
    }
  }

  function fromResult(r: StoredResult): PlanItem | null {
    const args = readBookingRequest(r.args)
    if (!args) return null
    const item = fromArgs(r.key, args, 'refused')
    const balance = typeof r.details?.balanceCents === 'number' ? r.details.balanceCents : view.voucherOfChild(args.childId)?.balanceCents ?? null
    item.refusal = { resultKey: r.key, code: r.code, details: r.details ?? {}, alternatives: alternativesOf(r.details), balanceCents: balance }
    return item
  }

  /**
   * A booking's item is kept (same object) while what it is made of is: its row, its pending
   * mutations, its session, operator and child, and for a declined one the sessions. So a pulled
   * change re-renders the cards it changed, not the whole plan.
   */
  let made = new Map<string, { of: unknown[]; item: PlanItem }>()
  function itemOf(b: Booking, next: typeof made, lk: typeof view.lookups, pendingOf: typeof view.pendingByBooking): PlanItem {
    const of = [b, pendingOf.get(b.id), lk.sessions.get(b.sessionId) ?? null, b.operatorId && (lk.operators.get(b.operatorId) ?? null), lk.children.get(b.childId) ?? null,
      b.status === 'declined' && view.sessions]
    const before = made.get(b.id)
    const item = before && before.of.every((x, i) => x === of[i]) ? before.item : fromBooking(b, lk, pendingOf)
    next.set(b.id, { of, item })
    return item
  }

  const items = computed<PlanItem[]>(() => {
    const familyId = auth.actor?.familyId
    const next: typeof made = new Map()
    const lk = view.lookups
    const pendingOf = view.pendingByBooking
    const list = view.bookings.filter((b) => b.familyId === familyId).map((b) => itemOf(b, next, lk, pendingOf))
    made = next
    const shown = new Set(list.map((i) => i.bookingId))
    for (const p of view.pending) {
      if (p.name !== 'booking.request' || p.outcome.ok) continue
      const args = readBookingRequest(p.args)
      if (!args || shown.has(args.bookingId)) continue
      const item = fromArgs(`pending:${p.id}`, args, 'pending')
      item.probableRefusal = p.outcome
      item.cancellable = false
      list.push(item)
    }
    for (const r of view.results) {
      if (r.dismissed || r.name !== 'booking.request') continue
      const item = fromResult(r)
      if (item && !shown.has(item.bookingId)) list.push(item)
    }
    return list.sort((a, b) => ORDER[a.state] - ORDER[b.state] || compareIso(a.startsAt ?? '', b.startsAt ?? ''))
  })

  /** Declined bookings the parent has seen: until then the card waits under "to look at" and the tab has a badge. */
  const seenDeclines = ref<ReadonlySet<string>>(new Set())
  // Read with the first screen (IndexedDB itself: a card must not move out of "to look at" after it showed).
  void readMetaRaw(['seenDeclines'])
    .then((m) => m ? m.seenDeclines : database().then((db) => getMeta(db, 'seenDeclines')))
    .then((ids) => (seenDeclines.value = new Set([...seenDeclines.value, ...(ids ?? [])])))
  const isUnseenDecline = (i: PlanItem) => i.state === 'declined' && !seenDeclines.value.has(i.bookingId)
  const unseenDeclines = computed(() => items.value.filter(isUnseenDecline).length)
  /**
   * Saved first, then shown: the card leaves "to look at" once it is stored (Dexie may still be
   * loading in the first second: db/lazy.ts). `saving` holds every id asked, so two quick taps
   * write both, in order.
   */
  let saving = new Set<string>()
  async function markSeen(bookingId: string) {
    saving = new Set([...saving, ...seenDeclines.value, bookingId])
    const ids = [...saving]
    await withDb((db) => setMeta(db, 'seenDeclines', ids))
    seenDeclines.value = new Set([...seenDeclines.value, ...ids])
  }

  /** Refusals of other actions (e.g. a cancellation that came too late), shown as notices. */
  const notices = computed(() => view.results.filter((r) => !r.dismissed && r.name !== 'booking.request' && !r.name?.startsWith('emergency.')))

  const cancel = (bookingId: string) => sync.mutate('booking.cancel', { bookingId })
  /** The family's answer to a provider's proposal of another time (proposal.mutators.ts). */
  const acceptProposal = (bookingId: string) => sync.mutate('booking.acceptProposal', { bookingId })
  const declineProposal = (bookingId: string) => sync.mutate('booking.declineProposal', { bookingId })
  /** A refused second booking of a session: give its quantity to the child's live booking instead, and put the refusal away. */
  async function changeInstead(bookingId: string, quantity: number, resultKey: string) {
    await sync.mutate('booking.changeQuantity', { bookingId, quantity })
    await withDb((db) => db.results.update(resultKey, { dismissed: 1 }))
  }
  const dismiss = (resultKey: string) => withDb((db) => db.results.update(resultKey, { dismissed: 1 }))

  return { items, notices, cancel, acceptProposal, declineProposal, changeInstead, dismiss, isUnseenDecline, unseenDeclines, markSeen }
})
