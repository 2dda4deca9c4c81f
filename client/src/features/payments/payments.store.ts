/**
 * What the program will pay the provider (issue 9), from the provider's own orders: delivered and
 * not yet paid (waiting for a statement), paid (`liquidated`, once the office pays the statement).
 * The statement's own stages (in a statement, approved) and its expected payment date live in the
 * office's `statements` table, which no provider pulls yet: docs/security.md, "Provider's side".
 */
import { defineStore } from 'pinia'
import { computed } from 'vue'
import type { Booking } from '../../../../shared/index.ts'
import { useViewStore } from '../../view/view.store.ts'
import { useAuthStore } from '../auth/auth.store.ts'

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
  return {
    waiting: computed(() => sum(delivered.value)),
    paid: computed(() => sum(paid.value)),
    confirmed: computed(() => sum(upcoming.value)),
    latest: computed(() => [...delivered.value, ...paid.value].sort((a, b) => (b.deliveredAt ?? '').localeCompare(a.deliveredAt ?? '')).slice(0, 20)),
  }
})
