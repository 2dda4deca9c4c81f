/** A Vue ref that follows a Dexie live query (re-runs when the tables it read change, in any tab). */
import { liveQuery } from 'dexie'
import { onScopeDispose, shallowRef, type ShallowRef } from 'vue'

export function liveRef<T>(querier: () => Promise<T>, initial: T): { value: ShallowRef<T>; loaded: ShallowRef<boolean>; error: ShallowRef<unknown> } {
  const value = shallowRef(initial) as ShallowRef<T>
  const loaded = shallowRef(false)
  const error = shallowRef<unknown>(null)
  const sub = liveQuery(querier).subscribe({
    next: (v) => {
      value.value = v
      loaded.value = true
      error.value = null
    },
    error: (e: unknown) => {
      error.value = e
      loaded.value = true
    },
  })
  onScopeDispose(() => sub.unsubscribe())
  return { value, loaded, error }
}
