/**
 * The derived view as a store: the mirror table by table (view.repo.ts) plus the replay of the outbox
 * (derive.ts). A change re-reads what changed, and re-derives what depends on it:
 *  - each entity's map is kept (same object) until its table or the replay's layer over it changes,
 *    and each list and lookup below depends on its entity's map only;
 *  - the replay runs again only when the outbox, the refusals, the actor or a table it read changed;
 *    a pending mutation whose entry and outcome are unchanged keeps its object.
 * Every change is handed on at once (one assignment), so no screen sees half of a transaction.
 * Cold start: the tables the first screens need are read first (`ready`), with IndexedDB itself
 * (Dexie loads after the first screen: db/lazy.ts); `messages` after (`loaded('messages')`). Features read lists and lookups from here; nobody writes to it.
 */
import { defineStore } from 'pinia'
import { computed, markRaw, onScopeDispose, shallowRef, watch, type ComputedRef } from 'vue'
// Narrow modules, never the shared/ barrel: the view is on the first screen, which loads no zod (issue 10).
import type { Booking } from '../../../shared/booking/booking.schema.ts'
import type { Session } from '../../../shared/catalogue/catalogue.schema.ts'
import { MIRROR_NAMES, MIRROR_TABLES } from '../../../shared/entities/mirror-tables.ts'
import type { MirrorName } from '../../../shared/entities/registry.ts'
import type { EntityMaps } from '../../../shared/mutators/memory-store.ts'
import { stringArg } from '../../../shared/mutators/arg-readers.ts'
import { compareIso } from '../../../shared/time.ts'
import type { OutboxEntry, StoredResult } from '../db/db.types.ts'
import { loadDb, loadDbNow } from '../db/lazy.ts'
import { readStores } from '../db/raw.ts'
import { useAuthStore } from '../features/auth/auth.store.ts'
import { emptyReplay, newestFirst, replay, stateOf, type DerivedView, type PendingMutation, type Replay } from './derive.ts'
import type { MirrorReader, TableRows } from './view.repo.ts'

/** Read after the first screen: nothing on the lists needs them (a booking's thread does). */
export const DEFERRED: readonly MirrorName[] = [MIRROR_TABLES.message.mirror, MIRROR_TABLES.childChange.mirror, MIRROR_TABLES.birthDateRequest.mirror]
export const PHASES: readonly (readonly string[])[] = [
  [...MIRROR_NAMES.filter((m) => !DEFERRED.includes(m)), 'outbox', 'results'],
  [...DEFERRED],
]

interface Snapshot {
  mirror: EntityMaps
  outbox: readonly OutboxEntry[]
  results: readonly StoredResult[]
  replay: Replay
}

const mark = (name: string) => globalThis.performance?.mark?.(name)
const same = (a: PendingMutation, b: PendingMutation) => a.clientId === b.clientId && a.id === b.id && JSON.stringify(a.outcome) === JSON.stringify(b.outcome)

export const useViewStore = defineStore('view', () => {
  const auth = useAuthStore()
  const empty = new Map()
  const snap = shallowRef<Snapshot>({
    mirror: Object.fromEntries(MIRROR_NAMES.map((m) => [m, empty])) as unknown as EntityMaps, outbox: [], results: [], replay: emptyReplay,
  })
  const loadedTables = shallowRef<ReadonlySet<string>>(new Set())
  const error = shallowRef<unknown>(null)

  // Batches are handled one after the other; each ends in ONE assignment of `snap`.
  let latest = snap.value
  /** Tables changed since `latest.replay` was computed; `forced`: replay whatever changed (actor, a newer batch). */
  let since = new Set<string>()
  let forced = false
  let loading = new Set<string>()
  let chain: Promise<void> = Promise.resolve()

  function handle(changed: Map<string, TableRows>, loaded: readonly string[] = []) {
    const mirror = { ...latest.mirror } as Record<string, unknown>
    for (const [t, rows] of changed) if (t !== 'outbox' && t !== 'results') mirror[t] = rows
    latest = {
      mirror: mirror as unknown as EntityMaps,
      outbox: changed.has('outbox') ? ([...changed.get('outbox')!.values()] as OutboxEntry[]) : latest.outbox,
      results: changed.has('results') ? ([...changed.get('results')!.values()] as StoredResult[]) : latest.results,
      replay: latest.replay,
    }
    for (const t of changed.keys()) since.add(t)
    for (const t of loaded) loading.add(t)
    queue()
  }
  const queue = () => {
    chain = chain.then(step).catch((e: unknown) => {
      error.value = e
    })
  }

  async function step() {
    const s = latest
    const again = forced || since.has('outbox') || since.has('results') || [...since].some((t) => s.replay.deps.has(t as MirrorName))
    since = new Set()
    forced = false
    let r = s.replay
    if (again) {
      r = keepSame(s.replay, await replay(s.mirror, s.outbox, s.results, auth.actor, new Date()))
      if (s !== latest) {
        // A newer batch came in meanwhile: its step (queued after this one) replays on it.
        forced = true
        latest = { ...latest, replay: r }
        return
      }
    }
    latest = { ...s, replay: r }
    const phases = loading.size > 0 ? PHASES.map((p, i) => [i, p] as const).filter(([, p]) => p.some((t) => loading.has(t))) : []
    if (loading.size > 0) loadedTables.value = new Set([...loadedTables.value, ...loading])
    loading = new Set()
    snap.value = latest
    for (const [i] of phases) mark(`view:phase-${i}`)
  }

  /** Pending mutations whose entry and outcome did not change keep their objects (and what was derived from them). */
  function keepSame(prev: Replay, next: Replay): Replay {
    if (prev.pending.length === 0) return next
    const before = new Map(prev.pending.map((p) => [`${p.clientId}:${p.id}`, p]))
    return { ...next, pending: next.pending.map((p) => { const b = before.get(`${p.clientId}:${p.id}`); return b && same(b, p) ? b : p }) }
  }

  // Cold start: the first screen's tables with IndexedDB itself (db/raw.ts), then Dexie's live reader
  // (db/lazy.ts: after the first screen) holds them and reads the rest. When the raw read cannot
  // answer (no database, a store an update adds), Dexie reads every phase at once, as before.
  let reader: MirrorReader | null = null
  let disposed = false
  const options = (phases: readonly (readonly string[])[]) => ({
    phases,
    onBatch: (changed: Map<string, TableRows>, phase: number | null) => {
      error.value = null
      handle(changed, phase === null ? [] : phases[phase])
    },
    onError: (e: unknown) => {
      error.value = e
    },
  })
  const started = readStores(PHASES[0]!, ['cookie']).then(async (raw) => {
    if (raw && !disposed) handle(raw.rows, PHASES[0])
    const { db, readTables } = await (raw ? loadDb() : loadDbNow())
    if (disposed) return
    reader = raw
      ? readTables(db, { ...options(PHASES.slice(1)), seed: { tables: raw.rows, cookie: raw.meta.get('cookie'), reread: ['outbox', 'results'] } })
      : readTables(db, options(PHASES))
  }).catch((e: unknown) => {
    error.value = e
  })
  onScopeDispose(() => {
    disposed = true
    reader?.stop()
  })
  watch(() => auth.actor, () => {
    forced = true
    queue()
  })

  /** The first screens' tables are read and derived. */
  const ready = computed(() =>
    auth.loaded && PHASES[0]!.every((t) => loadedTables.value.has(t)) && [...snap.value.replay.deps].every((t) => loadedTables.value.has(t)))
  const loaded = (table: string) => loadedTables.value.has(table)

  const entity = {} as { [M in MirrorName]: ComputedRef<EntityMaps[M]> }
  for (const m of MIRROR_NAMES) {
    ;(entity as Record<string, unknown>)[m] = computed(() => (snap.value.replay.layers[m] ?? snap.value.mirror[m]) as never)
  }
  const state = computed(() => stateOf(Object.fromEntries(MIRROR_NAMES.map((m) => [m, entity[m].value])) as unknown as EntityMaps, { ...emptyReplay, ledger: snap.value.replay.ledger }))
  const pending = computed(() => snap.value.replay.pending)
  const resultRows = computed(() => snap.value.results)
  const results = computed(() => newestFirst(resultRows.value))
  const view = computed<DerivedView | null>(() => (ready.value ? { state: state.value, pending: pending.value, results: results.value } : null))

  const program = computed(() => (auth.actor && entity.programs.value.get(auth.actor.programId)) || null)
  const services = computed(() => [...entity.services.value.values()].sort((a, b) => a.name.localeCompare(b.name, 'it')))
  const providers = computed(() => [...entity.providers.value.values()].sort((a, b) => a.name.localeCompare(b.name, 'it')))
  const sessions = computed(() => [...entity.sessions.value.values()].sort((a, b) => compareIso(a.startsAt, b.startsAt)))
  const bookings = computed(() => [...entity.bookings.value.values()])
  const families = computed(() => [...entity.families.value.values()])
  const messages = computed(() => [...entity.messages.value.values()])
  const emergencyRequests = computed(() => [...entity.emergencyRequests.value.values()])
  /** Each child's history and the birth dates asked of the office (issue 10), oldest first. */
  const childChanges = computed(() => [...entity.childChanges.value.values()].sort((a, b) => compareIso(a.changedAt, b.changedAt) || a.id.localeCompare(b.id)))
  const birthDateRequests = computed(() => [...entity.birthDateRequests.value.values()].sort((a, b) => compareIso(a.requestedAt, b.requestedAt)))
  const waitlistEntries = computed(() => [...entity.waitlistEntries.value.values()])
  const territories = computed(() => [...entity.territories.value.values()].sort((a, b) => a.name.localeCompare(b.name, 'it')))
  const children = computed(() =>
    [...entity.children.value.values()]
      .filter((c) => !auth.actor?.familyId || c.familyId === auth.actor.familyId)
      .sort((a, b) => compareIso(a.birthDate, b.birthDate)),
  )

  /**
   * Pending changes of each booking (a request, a cancel, a confirm… not yet acknowledged: the
   * `booking.*` mutations; a message in its thread is not one); unchanged lists keep their arrays.
   */
  let byBooking = new Map<string, PendingMutation[]>()
  const pendingByBooking = computed(() => {
    const map = new Map<string, PendingMutation[]>()
    for (const p of pending.value) {
      const id = p.name.startsWith('booking.') ? stringArg(p.args, 'bookingId') : null
      if (id) map.set(id, [...(map.get(id) ?? []), p])
    }
    for (const [id, list] of map) {
      const before = byBooking.get(id)
      if (before && before.length === list.length && before.every((p, i) => p === list[i])) map.set(id, before)
    }
    byBooking = map
    return map
  })

  /**
   * The maps a list of hundreds looks rows up in (the plan's items), read once per list instead of
   * through the store's lookups one row at a time: each of those is an action, which Pinia wraps
   * (~2,000 wrapped calls for a 500-booking plan, in the task that renders its first cards). Raw, so
   * the store does not hand them out behind reactive proxies; it changes when one of them does.
   */
  const lookups = computed(() => markRaw({ sessions: entity.sessions.value, operators: entity.operators.value, children: entity.children.value }))

  const service = (id: string) => entity.services.value.get(id) ?? null
  const provider = (id: string) => entity.providers.value.get(id) ?? null
  const territory = (id: string) => entity.territories.value.get(id) ?? null
  const session = (id: string) => entity.sessions.value.get(id) ?? null
  const operator = (id: string) => entity.operators.value.get(id) ?? null
  const child = (id: string) => entity.children.value.get(id) ?? null
  const booking = (id: string): Booking | null => entity.bookings.value.get(id) ?? null
  const voucherOfChild = (childId: string) =>
    [...entity.vouchers.value.values()].find((v) => v.childId === childId && (!auth.actor || v.programId === auth.actor.programId)) ?? null
  const operatorsOf = (providerId: string) => [...entity.operators.value.values()].filter((o) => o.providerId === providerId)
  const sessionsWhere = (pred: (s: Session) => boolean) => sessions.value.filter(pred)
  /** A provider's accreditation for a service (issue 11: the office's price ceiling), if any. */
  const accreditationOf = (providerId: string, serviceId: string) =>
    [...entity.accreditations.value.values()].find((a) => a.providerId === providerId && a.serviceId === serviceId) ?? null
  const accreditationsOf = (providerId: string) => [...entity.accreditations.value.values()].filter((a) => a.providerId === providerId)

  return {
    view, ready, loaded, error, state, lookups, program, services, providers, sessions, bookings, families, children, messages, pending, results, pendingByBooking,
    emergencyRequests, territories, childChanges, birthDateRequests, waitlistEntries,
    service, provider, territory, session, operator, child, booking, voucherOfChild, operatorsOf, sessionsWhere, accreditationOf, accreditationsOf,
    /** Resolves once every phase is read and no change waits (tests). */
    settled: () => started.then(() => reader?.settled()).then(() => chain),
  }
})
