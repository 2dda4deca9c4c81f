/**
 * The sync loop, without UI. One run = push the outbox, then pull (which acknowledges what the server
 * processed). Runs are serialised in this tab (a request during a run schedules one more run) and
 * across tabs by a Web Lock, so only one tab talks to the server at a time. Failures never drop a
 * mutation; they decide what happens next:
 *   network / 5xx / 429 → retry with exponential backoff and jitter (cap ~60 s), never sooner than
 *                    the server's Retry-After;
 *   401            → the device is marked signed out (`authRevoked`), the outbox is kept;
 *   version-skew   → blocked until the app is updated, the outbox is kept;
 *   other 4xx      → the error is shown, the outbox is kept, retried at the backoff cap.
 * Triggers (online, visible, local mutation, poke, interval) live in triggers.ts.
 */
import { allTables, forgetDrafts, type ConciliappDb } from '../db/db.ts'
import { getMeta, setMeta } from '../db/meta.ts'
import { rememberWiped } from '../db/wiped.ts'
import { forgetPush } from '../features/emergency/push-subscription.ts'
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.ts'
import { SyncHttpError, type FetchFn } from './http.ts'
import { pull } from './pull.ts'
import { push } from './push.ts'

export type SyncTrigger = 'start' | 'online' | 'visible' | 'mutation' | 'poke' | 'interval' | 'manual' | 'retry' | 'activated'

export interface LockManagerLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>
}

export interface Timers {
  set(fn: () => void, ms: number): unknown
  clear(handle: unknown): void
}

export interface SyncDeps {
  db: ConciliappDb
  fetch: FetchFn
  now: () => Date
  locks?: LockManagerLike | null
  random?: () => number
  timers?: Timers
  backoff?: BackoffOptions
  /** Opens the server's poke stream for a token; returns a function that closes it. */
  openPoke?: (token: string, onPoke: () => void) => () => void
}

export interface SyncState {
  online: boolean
  syncing: boolean
  /** Consecutive failed runs. */
  attempt: number
  /** When the scheduled retry fires (epoch ms), if one is scheduled. */
  retryAt: number | null
  blocked: 'unauthorized' | 'version-skew' | null
}

export const LOCK_NAME = 'conciliapp-sync'

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null

/**
 * Everything of the family goes: every table, the activation too (the device asks for a code again),
 * and the browser's push subscription (the server dropped it with the token already).
 */
export async function wipe(db: ConciliappDb): Promise<void> {
  // The mark first (localStorage, no personal data), then the wipe and the signed-out flag in ONE
  // transaction: a reload between the two left a wiped device with no word of why (db/wiped.ts).
  rememberWiped()
  await db.transaction('rw', allTables(db), async () => {
    await Promise.all(allTables(db).map((t) => t.clear()))
    await setMeta(db, 'authRevoked', true)
  })
  forgetDrafts()
  await forgetPush().catch(() => undefined)
}

const defaultTimers: Timers = { set: (fn, ms) => setTimeout(fn, ms), clear: (h) => clearTimeout(h as number) }

export function createSyncEngine(deps: SyncDeps) {
  const { db, now } = deps
  const timers = deps.timers ?? defaultTimers
  const random = deps.random ?? Math.random
  const backoff = deps.backoff ?? DEFAULT_BACKOFF
  let state: SyncState = { online: true, syncing: false, attempt: 0, retryAt: null, blocked: null }
  const listeners = new Set<(s: SyncState) => void>()
  let running: Promise<void> | null = null
  let again = false
  let retryHandle: unknown = null
  let poke: { token: string; close: () => void } | null = null

  const set = (patch: Partial<SyncState>) => {
    state = { ...state, ...patch }
    for (const l of listeners) l(state)
  }

  const withLock = <T>(fn: () => Promise<T>): Promise<T> => (deps.locks ? deps.locks.request(LOCK_NAME, fn) : fn())

  function scheduleRetry(delay: number) {
    if (retryHandle !== null) timers.clear(retryHandle)
    set({ retryAt: now().getTime() + delay })
    retryHandle = timers.set(() => {
      retryHandle = null
      void request('retry')
    }, delay)
  }

  function ensurePoke(token: string | null) {
    if (poke && poke.token === token) return
    poke?.close()
    poke = null
    if (token && deps.openPoke) poke = { token, close: deps.openPoke(token, () => void request('poke')) }
  }

  async function fail(e: unknown) {
    const err = e instanceof SyncHttpError ? e : new SyncHttpError('server', 0, 'internal', e instanceof Error ? e.message : String(e))
    const attempt = state.attempt + 1
    await setMeta(db, 'lastError', { code: err.kind === 'network' ? 'network' : err.code, message: err.message, details: err.details, at: now().toISOString() })
    if (err.kind === 'unauthorized') {
      // Revoked (by the family from another phone, by the office, by an erasure): nothing of the family
      // may stay on this device, the outbox included. Expired or unknown: kept, to resume after activating.
      if (isRecord(err.details) && err.details.reason === 'revoked') await wipe(db)
      await setMeta(db, 'authRevoked', true)
      ensurePoke(null)
      set({ attempt, blocked: 'unauthorized', retryAt: null })
    } else if (err.kind === 'version-skew') {
      set({ attempt, blocked: 'version-skew', retryAt: null })
    } else {
      set({ attempt })
      const delay = err.transient ? backoffDelay(attempt, random, backoff) : backoff.capMs
      scheduleRetry(Math.max(delay, err.retryAfterMs ?? 0)) // a rate-limited phone waits as long as it was told
    }
  }

  /** One push + pull. Returns true when it is worth running again at once (more to send). */
  async function runOnce(): Promise<boolean> {
    const [auth, revoked] = await Promise.all([getMeta(db, 'auth'), getMeta(db, 'authRevoked')])
    if (!auth || revoked) return false
    set({ syncing: true })
    try {
      const more = await withLock(async () => {
        await push(db, deps.fetch, auth.token, now)
        const pulled = await pull(db, deps.fetch, auth.token, now)
        return !pulled.applied || (pulled.acknowledged > 0 && (await db.outbox.count()) > 0)
      })
      if (retryHandle !== null) timers.clear(retryHandle)
      retryHandle = null
      await db.transaction('rw', db.meta, async () => {
        await setMeta(db, 'lastSyncedAt', now().toISOString())
        await setMeta(db, 'lastError', null)
      })
      set({ attempt: 0, retryAt: null, blocked: null })
      ensurePoke(auth.token)
      return more
    } catch (e) {
      await fail(e)
      return false
    } finally {
      set({ syncing: false })
    }
  }

  function shouldRun(trigger: SyncTrigger): boolean {
    if (trigger === 'manual' || trigger === 'activated') return true
    if (!state.online) return false
    if (state.blocked) return false
    if (trigger === 'interval' && state.retryAt !== null && now().getTime() < state.retryAt) return false
    return true
  }

  /** Ask for a run; resolves when a run that started after this request has finished. */
  function request(trigger: SyncTrigger): Promise<void> {
    if (!shouldRun(trigger)) return running ?? Promise.resolve()
    if (trigger === 'activated' || trigger === 'manual') set({ blocked: state.blocked === 'version-skew' ? 'version-skew' : null })
    if (running) {
      again = true
      return running
    }
    running = (async () => {
      do {
        again = false
        if (await runOnce()) again = true
      } while (again && state.online && !state.blocked && state.retryAt === null)
    })().finally(() => {
      running = null
    })
    return running
  }

  return {
    get state(): SyncState {
      return state
    },
    subscribe(listener: (s: SyncState) => void): () => void {
      listeners.add(listener)
      listener(state)
      return () => listeners.delete(listener)
    },
    request,
    setOnline(online: boolean) {
      if (online === state.online) return
      set({ online })
      if (online) void request('online')
    },
    /** Close the poke stream and cancel a scheduled retry (sign-out, tests). */
    stop() {
      ensurePoke(null)
      if (retryHandle !== null) timers.clear(retryHandle)
      retryHandle = null
      set({ retryAt: null })
    },
  }
}

export type SyncEngine = ReturnType<typeof createSyncEngine>
