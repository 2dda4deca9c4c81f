/**
 * The catalogue as a parent browses it (by service, by provider) and the booking flow: a quote shown
 * BEFORE sending (cost, voucher part, co-pay, what is left), a dry run of the very mutator the server
 * will run (so "why not" uses the same rules), and the request itself, queued in the outbox.
 * A provider closes one of its sessions from here too (session.close: its open bookings are declined).
 */
import { defineStore } from 'pinia'
import { v7 as uuidv7 } from 'uuid'
import { computed } from 'vue'
// Narrow modules, never the shared/ barrel, and Dexie on demand (db/lazy.ts): the catalogue can be the
// first screen (a link, a reload), which then loads neither zod's schemas nor Dexie before it shows.
import type { Booking } from '../../../../shared/booking/booking.schema.ts'
import { holdsResources, liveBookingOf, priceOf, type Price } from '../../../../shared/booking/booking.rules.ts'
import type { Session } from '../../../../shared/catalogue/catalogue.schema.ts'
import type { Voucher } from '../../../../shared/voucher/voucher.schema.ts'
import { eligibility, isUpcoming as sessionIsUpcoming } from '../../../../shared/catalogue/session.rules.ts'
import type { BookingRequestArgs } from '../../../../shared/mutators/args.ts'
import type { Result } from '../../../../shared/result.ts'
import type { Recurrence } from '../../../../shared/booking/recurrence.rules.ts'
import { withDb } from '../../db/lazy.ts'
import { getMeta, setMeta } from '../../db/meta.ts'
import { dryRun } from '../../view/derive.ts'
import { useViewStore } from '../../view/view.store.ts'
import { useAuthStore } from '../auth/auth.store.ts'
import { useSyncStore } from '../sync/sync.store.ts'
import { useWaitlistStore } from '../plan/waitlist.store.ts'
import { compareIso } from '../../../../shared/time.ts'

export interface Quote {
  price: Price
  voucher: Voucher | null
  /** Voucher balance after this booking (negative = it does not fit). */
  leftAfterCents: number
  /** The child's live booking of this session: the sheet changes its quantity instead of booking again. */
  existing: Booking | null
  ageYears: number
  ageFits: boolean
}

/** Bookable now (shared rule: open and not started). */
export const isUpcoming = (s: Session, now = new Date()) => sessionIsUpcoming(s, now.toISOString())

export const useCatalogueStore = defineStore('catalogue', () => {
  const view = useViewStore()
  const auth = useAuthStore()
  const sync = useSyncStore()

  const servicesList = computed(() => {
    const now = new Date()
    return view.services.map((service) => {
      const upcoming = view.sessions.filter((s) => s.serviceId === service.id && isUpcoming(s, now))
      const fromCents = upcoming.length ? Math.min(...upcoming.map((s) => s.unitPriceCents)) : null
      return { service, upcoming: upcoming.length, fromCents }
    })
  })

  const providersList = computed(() =>
    view.providers.map((provider) => ({
      provider,
      territory: view.territory(provider.territoryId),
      upcoming: view.sessions.filter((s) => s.providerId === provider.id && isUpcoming(s)).length,
    })),
  )

  const upcomingSessions = (pred: (s: Session) => boolean) => view.sessionsWhere((s) => pred(s) && isUpcoming(s))

  function quote(sessionId: string, childId: string, quantity: number): Quote | null {
    const session = view.session(sessionId)
    const child = view.child(childId)
    const service = session ? view.service(session.serviceId) : null
    if (!session || !child || !service || !view.program || !Number.isInteger(quantity) || quantity < 1) return null
    const existing = liveBookingOf(view.bookings, child.id, session.id) ?? null
    // A change keeps the unit price it was booked at, and frees the share it held.
    const price = priceOf(existing?.unitPriceCents ?? session.unitPriceCents, quantity, view.program.voucherCoveragePercent)
    const voucher = view.voucherOfChild(child.id)
    const { age, fits } = eligibility(child.birthDate, service, session)
    return {
      price,
      voucher,
      existing,
      leftAfterCents: (voucher?.balanceCents ?? 0) + (existing?.voucherCents ?? 0) - price.voucherCents,
      ageYears: age,
      ageFits: fits,
    }
  }

  const requestArgs = (sessionId: string, childId: string, quantity: number, note?: string, address?: string, recurrence?: Recurrence): BookingRequestArgs => ({
    bookingId: uuidv7(),
    childId,
    sessionId,
    quantity,
    ...(note?.trim() ? { note: note.trim() } : {}),
    ...(address?.trim() ? { address: address.trim() } : {}),
    expectedUnitPriceCents: view.session(sessionId)?.unitPriceCents,
    ...(recurrence ? { recurrence: { weekdays: [...recurrence.weekdays], until: recurrence.until } } : {}),
  })

  /**
   * Would the server (probably) accept this booking? Same mutator, on a copy of the derived view.
   * When the child already holds a live booking of the session, the question is the change of its quantity.
   */
  function check(sessionId: string, childId: string, quantity: number, recurrence?: Recurrence): Promise<Result<void>> {
    if (!view.view || !auth.actor) return Promise.resolve({ ok: false, code: 'not-found' })
    if (recurrence) return dryRun(view.view, 'booking.request', requestArgs(sessionId, childId, quantity, undefined, undefined, recurrence), auth.actor, new Date())
    const existing = liveBookingOf(view.bookings, childId, sessionId)
    return existing
      ? dryRun(view.view, 'booking.changeQuantity', { bookingId: existing.id, quantity }, auth.actor, new Date())
      : dryRun(view.view, 'booking.request', requestArgs(sessionId, childId, quantity), auth.actor, new Date())
  }

  /** Queue a new quantity for a live booking (works offline). */
  const changeQuantity = (bookingId: string, quantity: number) => sync.mutate('booking.changeQuantity', { bookingId, quantity })

  /** Queue the request (works offline); returns the new booking's id. */
  async function book(sessionId: string, childId: string, quantity: number, note?: string, address?: string): Promise<string> {
    const args = requestArgs(sessionId, childId, quantity, note, address)
    await sync.mutate('booking.request', args)
    return args.bookingId
  }

  /**
   * Queue a recurring plan item (works offline): the server decides each date of the series. What was
   * asked is kept on the phone so the plan can say which dates were not booked, and why.
   */
  async function bookPlan(sessionId: string, childId: string, quantity: number, recurrence: Recurrence, note?: string, address?: string): Promise<string> {
    const args = requestArgs(sessionId, childId, quantity, note, address, recurrence)
    await withDb(async (db) => {
      const plans = (await getMeta(db, 'plans')) ?? {}
      await setMeta(db, 'plans', { ...plans, [args.bookingId]: { sessionId, childId, quantity, recurrence: { weekdays: [...recurrence.weekdays], until: recurrence.until } } })
    })
    await useWaitlistStore().reloadPlans()
    await sync.mutate('booking.request', args)
    return args.bookingId
  }

  /** The child's entry still waiting on this session's list, if any. */
  const waitingEntry = (sessionId: string, childId: string) =>
    view.waitlistEntries.find((w) => w.sessionId === sessionId && w.childId === childId && w.status === 'waiting') ?? null
  /** Join a full session's waiting list (works offline). */
  async function joinWaitlist(sessionId: string, childId: string, quantity: number): Promise<string> {
    const entryId = uuidv7()
    await sync.mutate('waitlist.join', { entryId, childId, sessionId, quantity })
    return entryId
  }
  const leaveWaitlist = (entryId: string) => sync.mutate('waitlist.leave', { entryId })

  /** Bookings a close would decline: those still holding a place (as this device sees them). */
  const openBookingsOf = (sessionId: string) => view.bookings.filter((b) => b.sessionId === sessionId && holdsResources(b.status))

  /** A close of this session waiting in the outbox. */
  const closePending = (sessionId: string) =>
    view.pending.some((p) => p.name === 'session.close' && (p.args as { sessionId?: unknown } | null)?.sessionId === sessionId)

  /** Queue the close (works offline); the server declines the open bookings with the reason. */
  const closeSession = (sessionId: string, reason: string) => sync.mutate('session.close', { sessionId, reason: reason.trim() })

  /** The address the family gave last (an at-home booking's or an emergency request's), to prefill the next. */
  const lastAddress = computed(() => {
    const given = [
      ...view.bookings.filter((b) => b.address).map((b) => ({ at: b.createdAt, address: b.address! })),
      ...view.emergencyRequests.filter((r) => r.address).map((r) => ({ at: r.createdAt, address: r.address! })),
    ].sort((a, b) => compareIso(b.at, a.at))
    return given[0]?.address ?? ''
  })

  return {
    lastAddress,
    servicesList, providersList, upcomingSessions, quote, check, book, bookPlan, changeQuantity, openBookingsOf, closePending, closeSession,
    waitingEntry, joinWaitlist, leaveWaitlist,
  }
})
