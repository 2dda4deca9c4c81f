/**
 * The family's waiting lists and recurring plan items, as the plan shows them (issue 10):
 *  - entries still waiting (with "leave the list"), and those promoted to a request or closed with
 *    their session, which stay as a card until the parent has seen them;
 *  - each recurring plan item sent from this phone: the dates it asked for (the shared series rule on
 *    the catalogue the phone holds), which became bookings, and why the others did not (worked out
 *    from the session and the voucher as the phone sees them now).
 */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { holdsResources, priceOf } from '../../../../shared/booking/booking.rules.ts'
import { planOutcome, seriesOf, type PlanDate } from '../../../../shared/booking/recurrence.rules.ts'
import type { WaitlistEntry } from '../../../../shared/booking/waitlist.schema.ts'
import { bookable } from '../../../../shared/catalogue/session.rules.ts'
import { db } from '../../db/db.ts'
import { getMeta } from '../../db/meta.ts'
import type { MetaValues } from '../../db/db.types.ts'
import { TIME_ZONE } from '../../i18n/format.ts'
import { useViewStore } from '../../view/view.store.ts'
import { useSyncStore } from '../sync/sync.store.ts'
import { usePromotionsStore } from './promotions.store.ts'
import { compareIso } from '../../../../shared/time.ts'

export interface PlanSeries {
  planId: string
  childId: string
  serviceId: string | null
  /** Still in the outbox: nothing decided yet. */
  pending: boolean
  dates: PlanDate[]
  booked: number
}

export const useWaitlistStore = defineStore('waitlist', () => {
  const view = useViewStore()
  const sync = useSyncStore()

  const promotions = usePromotionsStore()
  const plans = ref<MetaValues['plans']>({})
  void getMeta(db, 'plans').then((p) => (plans.value = { ...(p ?? {}), ...plans.value }))
  /** Re-read the plans sent from this phone (after a new one). */
  const reloadPlans = async () => (plans.value = (await getMeta(db, 'plans')) ?? {})

  /** Waiting, or promoted / closed and not seen yet. */
  const entries = computed<WaitlistEntry[]>(() =>
    promotions.mine.filter((w) => w.status === 'waiting' || ((w.status === 'promoted' || w.status === 'closed') && !promotions.seen.has(w.id)))
      .sort((a, b) => compareIso(a.createdAt, b.createdAt)))
  const markSeen = (entryId: string) => promotions.markSeen(entryId)
  const leave = (entryId: string) => sync.mutate('waitlist.leave', { entryId })

  const series = computed<PlanSeries[]>(() => {
    const out: PlanSeries[] = []
    const now = new Date().toISOString()
    for (const [planId, p] of Object.entries(plans.value)) {
      const anchor = view.session(p.sessionId)
      if (!anchor) continue
      const pending = view.pending.some((m) => m.name === 'booking.request' && (m.args as { bookingId?: unknown } | null)?.bookingId === planId)
      const ofPlan = view.bookings.filter((b) => b.planId === planId)
      // Refused as a whole: the refusal card says it (with every date); nothing to add here.
      if (!pending && ofPlan.length === 0) continue
      const dates = seriesOf(anchor, view.sessions, p.recurrence, TIME_ZONE)
      const voucher = view.voucherOfChild(p.childId)
      const outcome = planOutcome(dates, ofPlan, (s) => {
        if (pending) return null
        if (view.bookings.some((b) => b.childId === p.childId && b.sessionId === s.id && holdsResources(b.status) && b.planId !== planId)) {
          return { code: 'invalid-state', reason: 'already-booked' }
        }
        if (s.status !== 'open') return { code: 'session-closed' }
        if (s.placesLeft < 1) return { code: 'capacity-full' }
        if (!bookable(s, now).ok) return { code: 'session-closed' }
        if (view.program && !bookable(s, now, view.program).ok) return { code: 'session-closed', reason: 'outside-program-period' }
        // What the voucher holds is its share of the price (the family pays the rest where the program has co-pay).
        const share = priceOf(s.unitPriceCents, p.quantity, view.program?.voucherCoveragePercent ?? 100).voucherCents
        if (voucher && voucher.balanceCents < share) return { code: 'voucher-insufficient' }
        return { code: 'capacity-full' }
      })
      out.push({ planId, childId: p.childId, serviceId: anchor.serviceId, pending, dates: outcome, booked: ofPlan.length })
    }
    return out
  })

  return { entries, markSeen, leave, series, reloadPlans }
})
