/**
 * The derived view as a store: re-derived (mirror + replay of the outbox) whenever IndexedDB changes
 * in any tab or the actor changes. Features read lists and lookups from here; nobody writes to it.
 */
import { defineStore } from 'pinia'
import { computed, shallowRef, watch } from 'vue'
import { stringArg, type Booking, type Session } from '../../../shared/index.ts'
import { db } from '../db/db.ts'
import { useAuthStore } from '../features/auth/auth.store.ts'
import { derive, emptySnapshot, type DerivedView, type PendingMutation } from './derive.ts'
import { liveRef } from './live-query.ts'
import { readSnapshot } from './view.repo.ts'

export const useViewStore = defineStore('view', () => {
  const auth = useAuthStore()
  const snapshot = liveRef(() => readSnapshot(db), emptySnapshot())
  const view = shallowRef<DerivedView | null>(null)
  const error = computed(() => snapshot.error.value)
  let generation = 0

  watch(
    [snapshot.value, () => auth.actor],
    async ([snap, actor]) => {
      const mine = ++generation
      const next = await derive(snap, actor, new Date())
      if (mine === generation) view.value = next
    },
    { immediate: true },
  )

  const ready = computed(() => snapshot.loaded.value && view.value !== null)
  const state = computed(() => view.value?.state ?? null)
  const program = computed(() => (auth.actor && state.value?.programs.get(auth.actor.programId)) || null)
  const services = computed(() => [...(state.value?.services.values() ?? [])].sort((a, b) => a.name.localeCompare(b.name, 'it')))
  const providers = computed(() => [...(state.value?.providers.values() ?? [])].sort((a, b) => a.name.localeCompare(b.name, 'it')))
  const sessions = computed(() => [...(state.value?.sessions.values() ?? [])].sort((a, b) => a.startsAt.localeCompare(b.startsAt)))
  const bookings = computed(() => [...(state.value?.bookings.values() ?? [])])
  const children = computed(() =>
    [...(state.value?.children.values() ?? [])]
      .filter((c) => !auth.actor?.familyId || c.familyId === auth.actor.familyId)
      .sort((a, b) => a.birthDate.localeCompare(b.birthDate)),
  )
  const pending = computed(() => view.value?.pending ?? [])
  const results = computed(() => view.value?.results ?? [])

  /** Pending mutations per booking id (a request, a cancel, a confirm… not yet acknowledged). */
  const pendingByBooking = computed(() => {
    const map = new Map<string, PendingMutation[]>()
    for (const p of pending.value) {
      const id = stringArg(p.args, 'bookingId')
      if (id) map.set(id, [...(map.get(id) ?? []), p])
    }
    return map
  })

  const service = (id: string) => state.value?.services.get(id) ?? null
  const provider = (id: string) => state.value?.providers.get(id) ?? null
  const territory = (id: string) => state.value?.territories.get(id) ?? null
  const session = (id: string) => state.value?.sessions.get(id) ?? null
  const operator = (id: string) => state.value?.operators.get(id) ?? null
  const child = (id: string) => state.value?.children.get(id) ?? null
  const booking = (id: string): Booking | null => state.value?.bookings.get(id) ?? null
  const voucherOfChild = (childId: string) =>
    [...(state.value?.vouchers.values() ?? [])].find((v) => v.childId === childId && (!auth.actor || v.programId === auth.actor.programId)) ?? null
  const operatorsOf = (providerId: string) => [...(state.value?.operators.values() ?? [])].filter((o) => o.providerId === providerId)
  const sessionsWhere = (pred: (s: Session) => boolean) => sessions.value.filter(pred)

  return {
    view, ready, error, state, program, services, providers, sessions, bookings, children, pending, results, pendingByBooking,
    service, provider, territory, session, operator, child, booking, voucherOfChild, operatorsOf, sessionsWhere,
  }
})

