/**
 * What the program will pay the provider (issue 9). Online: the server's answer
 * (`GET /api/provider/payments`): each delivery's stage (delivered → in a statement → approved → paid)
 * and each statement's expected payment date. Offline, or before the first answer: the same screen
 * from the provider's own pulled orders (delivered and not paid, paid), which the phone always has;
 * the statements' stages need the server (no phone pulls the office's statements).
 */
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { Booking } from '../../../../shared/index.ts'
import type { PaymentsAnswer } from '../../../../shared/provider/payments.schema.ts'
import { useViewStore } from '../../view/view.store.ts'
import { useAuthStore } from '../auth/auth.store.ts'
import { errorKey } from '../office/office.http.ts'
import { fetchPayments } from './payments.api.ts'

export interface PaymentLine {
  count: number
  voucherCents: number
}

const sum = (list: Booking[]): PaymentLine => ({ count: list.length, voucherCents: list.reduce((n, b) => n + b.voucherCents, 0) })

export const usePaymentsStore = defineStore('payments', () => {
  const view = useViewStore()
  const auth = useAuthStore()
  const own = computed(() => view.bookings.filter((b) => b.providerId === auth.actor?.providerId))
  const delivered = computed(() => own.value.filter((b) => b.status === 'delivered' && !b.noShow))
  const paid = computed(() => own.value.filter((b) => b.status === 'liquidated'))
  const upcoming = computed(() => own.value.filter((b) => b.status === 'confirmed'))

  const answer = shallowRef<PaymentsAnswer | null>(null)
  const loading = ref(false)
  /** Why the server's answer is missing: 'offline' or the server's code (null: none asked yet, or fine). */
  const failure = ref<string | null>(null)

  async function load(): Promise<void> {
    await auth.ready()
    const token = auth.auth?.token
    if (!token || auth.role !== 'provider') return
    if (typeof navigator !== 'undefined' && !navigator.onLine) {
      failure.value = 'offline'
      return
    }
    loading.value = true
    try {
      answer.value = await fetchPayments((input, init) => fetch(input, init), token)
      failure.value = null
    } catch (e) {
      failure.value = errorKey(e)
    } finally {
      loading.value = false
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
      if (!a) return sum(delivered.value)
      const open = a.totals.filter((t) => t.stage !== 'paid')
      return { count: open.reduce((n, t) => n + t.count, 0), voucherCents: a.owedCents }
    }),
    waiting: computed(() => sum(delivered.value)),
    paid: computed(() => sum(paid.value)),
    confirmed: computed(() => sum(upcoming.value)),
    latest: computed(() => [...delivered.value, ...paid.value].sort((a, b) => (b.deliveredAt ?? '').localeCompare(a.deliveredAt ?? '')).slice(0, 20)),
  }
})
