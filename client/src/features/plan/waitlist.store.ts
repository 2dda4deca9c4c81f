/**
 * The family's waiting lists and recurring plan items, as the plan shows them (issue 10):
 *  - entries still waiting (with "leave the list"), and those promoted to a request, closed with
 *    their session or expired (the session started: shown so from the start, before the server's
 *    sweep says it), which stay as a card until the parent has seen them;
 *  - each recurring plan item of the family, from the server's rows (planDate: every date as the
 *    server decided it, booked or skipped and why), so every phone of the family shows the same;
 *    a plan still in this phone's outbox shows the dates it asks for (the shared series rule on the
 *    catalogue the phone holds). A plan decided before the server kept its dates (no planDate rows)
 *    falls back to what this phone remembers, with the reasons worked out from its current view.
 */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { holdsResources, priceOf } from '../../../../shared/booking/booking.rules.ts'
import { planOutcome, seriesOf, type PlanDate } from '../../../../shared/booking/recurrence.rules.ts'
import type { WaitlistEntry } from '../../../../shared/booking/waitlist.schema.ts'
import { waitingExpired } from '../../../../shared/booking/waitlist.rules.ts'
import type { RejectionCode } from '../../../../shared/errors.ts'
import { bookable } from '../../../../shared/catalogue/session.rules.ts'
import { loadDb, withDb } from '../../db/lazy.ts'
import { getMeta } from '../../db/meta.ts'
import type { MetaValues } from '../../db/db.types.ts'
import type { PlanDateRow } from '../../../../shared/booking/plan-date.schema.ts'
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
  // Dexie after the first screen (db/lazy.ts): the plans asked for are not on it.
  void loadDb().then((m) => getMeta(m.db, 'plans')).then((p) => (plans.value = { ...(p ?? {}), ...plans.value }))
  /** Re-read the plans sent from this phone (after a new one). */
  const reloadPlans = async () => (plans.value = (await withDb((db) => getMeta(db, 'plans'))) ?? {})

  /** Waiting, or promoted / closed / expired and not seen yet; a waiting entry whose session has started is expired. */
  const entries = computed<WaitlistEntry[]>(() => {
    const now = new Date().toISOString()
    return promotions.mine
      .map((w) => (waitingExpired(w, view.session(w.sessionId), now) ? { ...w, status: 'expired' as const } : w))
      .filter((w) => w.status === 'waiting' || ((w.status === 'promoted' || w.status === 'closed' || w.status === 'expired') && !promotions.seen.has(w.id)))
      .sort((a, b) => compareIso(a.createdAt, b.createdAt))
  })
  const markSeen = (entryId: string) => promotions.markSeen(entryId)
  const leave = (entryId: string) => sync.mutate('waitlist.leave', { entryId })

  /** Plans still in the outbox (their planDate rows in the view are the phone's own replay, not the server's). */
  const pendingPlans = computed(() => new Set(view.pending.flatMap((m) => {
    const id = m.name === 'booking.request' ? (m.args as { bookingId?: unknown } | null)?.bookingId : undefined
    return typeof id === 'string' ? [id] : []
  })))
  /** The family's plans as the server decided them: planDate rows by plan, in date order. */
  const decided = computed(() => {
    const byPlan = new Map<string, PlanDateRow[]>()
    for (const d of view.state.planDates.values()) {
      if (!pendingPlans.value.has(d.planId)) byPlan.set(d.planId, [...(byPlan.get(d.planId) ?? []), d])
    }
    for (const rows of byPlan.values()) rows.sort((a, b) => compareIso(a.startsAt, b.startsAt) || a.id.localeCompare(b.id))
    return byPlan
  })

  const series = computed<PlanSeries[]>(() => {
    const out: PlanSeries[] = []
    const now = new Date().toISOString()
    for (const [planId, rows] of decided.value) {
      const first = rows[0]!
      const dates: PlanDate[] = rows.map((d) => ({
        sessionId: d.sessionId, startsAt: d.startsAt, bookingId: d.bookingId, code: d.code as RejectionCode | null, ...(d.reason ? { reason: d.reason } : {}),
      }))
      const serviceId = view.session(first.sessionId)?.serviceId ?? view.booking(rows.find((d) => d.bookingId)?.bookingId ?? '')?.serviceId ?? null
      out.push({ planId, childId: first.childId, serviceId, pending: false, dates, booked: dates.filter((d) => d.bookingId).length })
    }
    for (const [planId, p] of Object.entries(plans.value)) {
      if (decided.value.has(planId)) continue
      const anchor = view.session(p.sessionId)
      if (!anchor) continue
      const pending = pendingPlans.value.has(planId)
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
    return out.sort((a, b) => compareIso(a.dates[0]?.startsAt ?? '', b.dates[0]?.startsAt ?? ''))
  })

  return { entries, markSeen, leave, series, reloadPlans }
})
