/**
 * A Vue ref that follows a Dexie live query (re-runs when the tables it read change, in any tab).
 * Dexie is not on the first screen (db/lazy.ts): `first`, a read with IndexedDB itself (db/raw.ts),
 * gives the value until Dexie is loaded; `null` from it (no database, a failure) loads Dexie at once.
 * The live query's first answer replaces the value only if it differs (same JSON keeps the object,
 * so nothing derived from it runs again).
 */
import { onScopeDispose, shallowRef, type ShallowRef } from 'vue'
import type { ConciliappDb } from '../db/db.ts'
import { loadDb, loadDbNow } from '../db/lazy.ts'

export function liveRef<T>(
  querier: (db: ConciliappDb) => Promise<T>,
  initial: T,
  first?: () => Promise<T | null>,
): { value: ShallowRef<T>; loaded: ShallowRef<boolean>; error: ShallowRef<unknown> } {
  const value = shallowRef(initial) as ShallowRef<T>
  const loaded = shallowRef(false)
  const error = shallowRef<unknown>(null)
  let stopped = false
  let unsubscribe = () => {}
  const fromDexie = (now: boolean) =>
    (now ? loadDbNow() : loadDb()).then(({ db, liveQuery }) => {
      if (stopped) return
      const sub = liveQuery(() => querier(db)).subscribe({
        next: (v) => {
          if (!loaded.value || JSON.stringify(v) !== JSON.stringify(value.value)) value.value = v
          loaded.value = true
          error.value = null
        },
        error: (e: unknown) => {
          error.value = e
          loaded.value = true
        },
      })
      unsubscribe = () => sub.unsubscribe()
    })
  if (first) {
    void first().then((v) => {
      if (stopped || loaded.value) return
      if (v === null) return void fromDexie(true)
      value.value = v
      loaded.value = true
      void fromDexie(false)
    })
  } else {
    void fromDexie(false)
  }
  onScopeDispose(() => {
    stopped = true
    unsubscribe()
  })
  return { value, loaded, error }
}
