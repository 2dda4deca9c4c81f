/**
 * Sync status for the UI, and the one door for local mutations: enqueue in the outbox, then ask the
 * engine for a run. Pending count, last sync and last error live in IndexedDB, so every tab shows the
 * same; `online` and `syncing` come from this tab's engine.
 */
import { askPersistence } from '../pwa/install.ts'
import { defineStore } from 'pinia'
import { computed, shallowRef } from 'vue'
import type { MutationArgs, MutationName } from '../../../../shared/index.ts'
import type { ConciliappDb } from '../../db/db.ts'
import { withDb } from '../../db/lazy.ts'
import { countRaw, readMetaRaw } from '../../db/raw.ts'
import type { OutboxEntry, SyncErrorInfo } from '../../db/db.types.ts'
import { getMeta } from '../../db/meta.ts'
import type { SyncEngine, SyncState } from '../../sync/engine.ts'
import { enqueue } from '../../sync/outbox.ts'
import { liveRef } from '../../view/live-query.ts'

export type IndicatorState = 'offline' | 'pending' | 'syncing' | 'synced' | 'retrying' | 'error'

/** Failures that pass by themselves (no signal, a busy or restarting service): calm words, the engine retries. */
export const isTransient = (code: string): boolean =>
  ['network', 'unavailable', 'rate-limited', 'internal', 'bad-response'].includes(code) || code.startsWith('http-5')

interface StoredStatus {
  pending: number
  lastSyncedAt: string | null
  lastError: SyncErrorInfo | null
}

async function readStatus(db: ConciliappDb): Promise<StoredStatus> {
  const [pending, lastSyncedAt, lastError] = await Promise.all([db.outbox.count(), getMeta(db, 'lastSyncedAt'), getMeta(db, 'lastError')])
  return { pending, lastSyncedAt: lastSyncedAt ?? null, lastError: lastError ?? null }
}

/** The same, with IndexedDB itself on a cold start (Dexie loads after the first screen: db/lazy.ts). */
async function readStatusRaw(): Promise<StoredStatus | null> {
  const [pending, meta] = await Promise.all([countRaw('outbox'), readMetaRaw(['lastSyncedAt', 'lastError'])])
  return pending === null || meta === null ? null : { pending, lastSyncedAt: meta.lastSyncedAt ?? null, lastError: meta.lastError ?? null }
}

export const useSyncStore = defineStore('sync', () => {
  const engine = shallowRef<SyncEngine | null>(null)
  const engineState = shallowRef<SyncState>({
    online: typeof navigator === 'undefined' ? true : navigator.onLine,
    syncing: false,
    attempt: 0,
    retryAt: null,
    blocked: null,
  })
  const stored = liveRef(readStatus, { pending: 0, lastSyncedAt: null, lastError: null }, readStatusRaw)
  const pending = computed(() => stored.value.value.pending)
  const lastSyncedAt = computed(() => stored.value.value.lastSyncedAt)
  const lastError = computed(() => stored.value.value.lastError)
  const online = computed(() => engineState.value.online)
  const syncing = computed(() => engineState.value.syncing)
  const blocked = computed(() => engineState.value.blocked)
  const retryAt = computed(() => engineState.value.retryAt)

  const indicator = computed<IndicatorState>(() => {
    if (!online.value) return 'offline'
    if (syncing.value) return 'syncing'
    if (lastError.value) return isTransient(lastError.value.code) ? 'retrying' : 'error'
    if (pending.value > 0) return 'pending'
    return lastSyncedAt.value ? 'synced' : 'syncing'
  })

  let unsubscribe: (() => void) | null = null
  function attach(e: SyncEngine) {
    unsubscribe?.()
    engine.value = e
    unsubscribe = e.subscribe((s) => {
      engineState.value = s
    })
  }

  const syncNow = () => engine.value?.request('manual') ?? Promise.resolve()
  const activated = () => engine.value?.request('activated') ?? Promise.resolve()
  const stop = () => engine.value?.stop()

  /** Queue a mutation (works offline) and try to send it at once. */
  async function mutate<N extends MutationName>(name: N, args: MutationArgs<N>): Promise<OutboxEntry> {
    const entry = await withDb((db) => enqueue(db, name, args, new Date()))
    void engine.value?.request('mutation')
    // Something typed and not sent yet is on this device: the moment to ask the browser to keep its storage.
    void askPersistence()
    return entry
  }

  return { engine, engineState, pending, lastSyncedAt, lastError, online, syncing, blocked, retryAt, indicator, attach, syncNow, activated, stop, mutate }
})
