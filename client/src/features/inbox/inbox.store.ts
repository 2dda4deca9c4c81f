/** The provider's incoming orders (derived: a confirmation typed offline already shows as confirmed). */
import { defineStore } from 'pinia'
import { computed } from 'vue'
import type { Booking, Service, Session } from '../../../../shared/index.ts'
import { bookable } from '../../../../shared/catalogue/session.rules.ts'
import { defaultDeliveredAt } from '../../../../shared/booking/delivery.rules.ts'
import { useViewStore } from '../../view/view.store.ts'
import { useAuthStore } from '../auth/auth.store.ts'
import { useSyncStore } from '../sync/sync.store.ts'

export type InboxTab = 'requested' | 'confirmed' | 'others'

export interface InboxEntry {
  booking: Booking
  service: Service | null
  startsAt: string | null
  endsAt: string | null
  operatorName: string | null
  /** A confirm / decline typed here is still waiting in the outbox. */
  changePending: boolean
}

const tabOf = (b: Booking): InboxTab => (b.status === 'requested' ? 'requested' : b.status === 'confirmed' ? 'confirmed' : 'others')

export const useInboxStore = defineStore('inbox', () => {
  const view = useViewStore()
  const auth = useAuthStore()
  const sync = useSyncStore()

  const entries = computed<InboxEntry[]>(() =>
    view.bookings
      .filter((b) => b.providerId === auth.actor?.providerId)
      .map((booking) => {
        const session = view.session(booking.sessionId)
        return {
          booking,
          service: view.service(booking.serviceId),
          startsAt: session?.startsAt ?? null,
          endsAt: session?.endsAt ?? null,
          operatorName: booking.operatorId ? (view.operator(booking.operatorId)?.name ?? booking.operatorName) : null,
          changePending: (view.pendingByBooking.get(booking.id) ?? []).length > 0,
        }
      })
      .sort((a, b) => (a.startsAt ?? '').localeCompare(b.startsAt ?? '')),
  )

  const byTab = computed(() => {
    const tabs: Record<InboxTab, InboxEntry[]> = { requested: [], confirmed: [], others: [] }
    for (const e of entries.value) tabs[tabOf(e.booking)].push(e)
    tabs.others.reverse() // most recent first among the closed ones
    return tabs
  })

  /**
   * "For recurring requests from the same family the same operator": the operator who served this
   * family's latest earlier booking of the same service, offered as the default when confirming.
   */
  function usualOperator(b: Booking): string | null {
    const earlier = view.bookings
      .filter((x) => x.id !== b.id && x.familyId === b.familyId && x.serviceId === b.serviceId && x.operatorId && x.createdAt <= b.createdAt)
      .sort((x, y) => y.createdAt.localeCompare(x.createdAt))
    return earlier[0]?.operatorId ?? null
  }
  /** An operator's phone shows their assignments and records deliveries; confirming is the coordinator's. */
  const isOperator = computed(() => auth.role === 'operator')

  const operators = computed(() => (auth.actor?.providerId ? view.operatorsOf(auth.actor.providerId) : []))
  // Urgent requests' refusals are told in their own panel (EmergencyInbox).
  const notices = computed(() => view.results.filter((r) => !r.dismissed && !r.name?.startsWith('emergency.')))

  const confirm = (bookingId: string, operatorId?: string) =>
    sync.mutate('booking.confirm', operatorId ? { bookingId, operatorId } : { bookingId })
  const decline = (bookingId: string, reason: string) => sync.mutate('booking.decline', { bookingId, reason: reason.trim() })
  /** Dated now on this phone, kept within the session (the server checks the date, not its own clock). */
  function deliver(bookingId: string, outcome: { deliveredQuantity: number } | { noShow: true }) {
    const booking = view.bookings.find((b) => b.id === bookingId)
    const session = booking ? view.session(booking.sessionId) : null
    const deliveredAt = session ? defaultDeliveredAt(session, new Date().toISOString()) : undefined
    return sync.mutate('booking.deliver', { bookingId, ...outcome, ...(deliveredAt ? { deliveredAt } : {}) })
  }

  /**
   * Propose another time: the provider's other open sessions of the order's service, still to come,
   * with a place and room for the order's quantity (the server checks again when the family accepts).
   */
  function proposalOptions(bookingId: string): Session[] {
    const b = view.bookings.find((x) => x.id === bookingId)
    if (!b) return []
    const now = new Date().toISOString()
    return view.sessionsWhere((s) => s.providerId === b.providerId && s.serviceId === b.serviceId && s.id !== b.sessionId
      && bookable(s, now, view.program).ok && s.placesLeft > 0 && s.unitsMax >= b.quantity).slice(0, 30)
  }
  const propose = (bookingId: string, sessionId: string, note: string) =>
    sync.mutate('booking.propose', { bookingId, sessionId, ...(note.trim() ? { note: note.trim() } : {}) })

  return { entries, byTab, operators, notices, confirm, decline, deliver, usualOperator, isOperator, proposalOptions, propose }
})
