/**
 * Dexie on demand (issues 8 and 10). The first screen reads the database with IndexedDB itself
 * (raw.ts); Dexie, the view's live reader and the writes load after it, when `main.ts` releases them
 * (the first screen read and painted), or at once when something needs them sooner:
 * - `loadDb()`: waits for the release (reads that can come after the first paint: live queries);
 * - `loadDbNow()`: releases and loads (a write, a tap, a raw read that could not answer).
 * Without `holdDb()` (tests, and any page that does not call it) nothing waits.
 */
import type * as Loaded from './loaded.ts'
import { closeRaw } from './raw.ts'

export type LoadedDb = typeof Loaded

let release: () => void = () => {}
let gate: Promise<void> = Promise.resolve()
let loading: Promise<LoadedDb> | null = null
let loaded: LoadedDb | null = null

/** Boot (main.ts), before any store: Dexie waits for `releaseDb()`. */
export function holdDb(): void {
  if (loading) return
  gate = new Promise<void>((r) => (release = r))
}

/** The first screen is read and painted (or something needs Dexie now): load it. */
export function releaseDb(): void {
  release()
}

export function loadDb(): Promise<LoadedDb> {
  return (loading ??= gate
    .then(() => import('./loaded.ts'))
    .then((m) => {
      // Dexie reads from now on; its open upgrades the stores if an app update changed them.
      closeRaw()
      loaded = m
      return m
    }))
}

export function loadDbNow(): Promise<LoadedDb> {
  releaseDb()
  return loadDb()
}

/** The database, now (loading Dexie if it is not yet). */
export const database = () => loadDbNow().then((m) => m.db)

/**
 * A write: `fn` runs on the database in this very task once Dexie is loaded (so a write starts
 * before whatever the caller does next, as when `db` was imported), or as soon as it is loaded.
 */
export function withDb<T>(fn: (db: LoadedDb['db']) => T | Promise<T>): Promise<T> {
  const now = loaded
  return now ? (async () => fn(now.db))() : database().then(fn)
}
