/**
 * What the program will pay the provider (issue 9). Online: the server's answer
 * (`GET /api/provider/payments`): each delivery's stage (delivered → in a statement → approved → paid)
 * and each statement's expected payment date. Offline, or before the first answer: the same screen
 * from what the phone always has, counted as the server counts (payments.service.ts): its own delivered
 * bookings (not no-shows; `liquidated` once paid) and its own delivered emergencies (not no-shows, hours
 * delivered, their voucher share `spentCents`). An emergency has no status for "paid" (its statement's
 * stage says it, and no phone pulls the office's statements), so the phone remembers the emergencies the
 * server last said were paid (`paidEmergencies` in meta, wiped with the rest); one paid before this
 * phone ever had an answer counts as owed until the next. The statements' stages need the server.
 */
import { defineStore } from 'pinia'
import { computed, shallowRef } from 'vue'
import type { Booking } from '../../../../shared/index.ts'
import type { EmergencyRequest } from '../../../../shared/emergency/emergency.schema.ts'
import type { PaymentsAnswer } from '../../../../shared/provider/payments.schema.ts'
import { withDb } from '../../db/lazy.ts'
import { getMeta, setMeta } from '../../db/meta.ts'
import { useOnlineCommand } from '../../sync/online-command.ts'
import { useViewStore } from '../../view/view.store.ts'
import { useAuthStore } from '../auth/auth.store.ts'
import { fetchPayments } from './payments.api.ts'

export interface PaymentLine {
  count: number
  voucherCents: number
}

/** One delivery as the phone knows it (a booking or an emergency), shaped like the server's rows. */
export interface PhoneDelivery {
  id: string
  emergencyRequestId: string | null
  childFirstName: string
  serviceId: string | null
  deliveredAt: string
  voucherCents: number
  paid: boolean
}

const sum = (list: { voucherCents: number }[]): PaymentLine => ({ count: list.length, voucherCents: list.reduce((n, b) => n + b.voucherCents, 0) })

const fromBooking = (b: Booking): PhoneDelivery => ({
  id: b.id, emergencyRequestId: null, childFirstName: b.childFirstName, serviceId: b.serviceId, deliveredAt: b.deliveredAt ?? '',
  voucherCents: b.voucherCents, paid: b.status === 'liquidated',
})
const fromEmergency = (r: EmergencyRequest, paid: ReadonlySet<string>): PhoneDelivery => ({
  id: r.id, emergencyRequestId: r.id, childFirstName: r.childFirstName, serviceId: null, deliveredAt: r.deliveredAt ?? '',
  voucherCents: r.spentCents ?? 0, paid: paid.has(r.id),
})

export const usePaymentsStore = defineStore('payments', () => {
  const view = useViewStore()
  const auth = useAuthStore()
  const own = computed(() => view.bookings.filter((b) => b.providerId === auth.actor?.providerId))
  const upcoming = computed(() => own.value.filter((b) => b.status === 'confirmed'))
  /** Emergencies the server said were paid (remembered on the phone: see the header). */
  const paidEmergencies = shallowRef<ReadonlySet<string>>(new Set())
  const remembered = withDb((db) => getMeta(db, 'paidEmergencies')).then((ids) => {
    if (ids) paidEmergencies.value = new Set([...paidEmergencies.value, ...ids])
  }, () => undefined)

  /** Every delivery owed or paid, as the server counts them (payments.service.ts). */
  const deliveries = computed<PhoneDelivery[]>(() => [
    ...own.value.filter((b) => (b.status === 'delivered' || b.status === 'liquidated') && !b.noShow).map(fromBooking),
    ...view.emergencyRequests
      .filter((r) => r.providerId === auth.actor?.providerId && r.status === 'delivered' && !r.noShow && (r.deliveredHours ?? 0) > 0)
      .map((r) => fromEmergency(r, paidEmergencies.value)),
  ])
  const waiting = computed(() => deliveries.value.filter((d) => !d.paid))
  const paid = computed(() => deliveries.value.filter((d) => d.paid))

  const answer = shallowRef<PaymentsAnswer | null>(null)
  /** `failure`: why the server's answer is missing, 'offline' or the server's code (null: none asked yet, or fine). */
  const { busy: loading, error: failure, run } = useOnlineCommand(auth)

  /** The emergencies this answer says are paid, added to those remembered (a paid one stays paid). */
  async function rememberPaid(a: PaymentsAnswer): Promise<void> {
    await remembered
    const known = new Set(paidEmergencies.value)
    for (const r of a.rows) if (r.emergencyRequestId && r.stage === 'paid') known.add(r.emergencyRequestId)
    // Only those still on the phone: the list stays as long as the phone's own deliveries.
    const onPhone = new Set(view.emergencyRequests.map((r) => r.id))
    const ids = [...known].filter((id) => onPhone.has(id)).sort()
    paidEmergencies.value = new Set(ids)
    await withDb((db) => setMeta(db, 'paidEmergencies', ids)).catch(() => undefined)
  }

  async function load(): Promise<void> {
    await auth.ready()
    if (auth.role !== 'provider') return
    const a = await run((token) => fetchPayments((input, init) => fetch(input, init), token))
    if (a) {
      answer.value = a
      await rememberPaid(a)
    }
  }

  return {
    answer,
    loading,
    failure,
    load,
    /** Owed and not yet paid (every stage but paid): the server's figure, or the phone's while offline. */
    owed: computed<PaymentLine>(() => {
      const a = answer.value
      if (!a) return sum(waiting.value)
      const open = a.totals.filter((t) => t.stage !== 'paid')
      return { count: open.reduce((n, t) => n + t.count, 0), voucherCents: a.owedCents }
    }),
    waiting: computed(() => sum(waiting.value)),
    paid: computed(() => sum(paid.value)),
    confirmed: computed(() => sum(upcoming.value)),
    /** Changes when a counted delivery arrives or changes on the phone (a pull): the screen asks the server again. */
    deliveriesKey: computed(() => `${deliveries.value.length}:${sum(deliveries.value).voucherCents}`),
    /** The phone's latest deliveries, newest first (the server's order: time, then id). */
    latest: computed(() => [...deliveries.value]
      .sort((a, b) => b.deliveredAt.localeCompare(a.deliveredAt) || b.id.localeCompare(a.id))
      .slice(0, 20)),
  }
})
