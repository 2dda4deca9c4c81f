/**
 * What the program will pay the provider (issue 9). Online: the server's answer
 * (`GET /api/provider/payments`): each delivery's stage (delivered → in a statement → approved → paid)
 * and each statement's expected payment date. Offline, or before the first answer: the same screen
 * from the provider's own pulled orders (delivered and not paid, paid), which the phone always has;
 * the statements' stages need the server (no phone pulls the office's statements).
 */
import { defineStore } from 'pinia'
import { computed, shallowRef } from 'vue'
import type { Booking } from '../../../../shared/index.ts'
import type { PaymentsAnswer } from '../../../../shared/provider/payments.schema.ts'
import { useOnlineCommand } from '../../sync/online-command.ts'
import { useViewStore } from '../../view/view.store.ts'
import { useAuthStore } from '../auth/auth.store.ts'
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
  /** `failure`: why the server's answer is missing, 'offline' or the server's code (null: none asked yet, or fine). */
  const { busy: loading, error: failure, run } = useOnlineCommand(auth)

  async function load(): Promise<void> {
    await auth.ready()
    if (auth.role !== 'provider') return
    const a = await run((token) => fetchPayments((input, init) => fetch(input, init), token))
    if (a) answer.value = a
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
