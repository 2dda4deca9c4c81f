/**
 * The first screen first: a long list renders its first `first` items at once, then `step` more
 * after each frame is painted, until it is whole. On a slow phone a plan of 500 bookings costs
 * seconds of rendering; the cards a person sees first are on screen after a few of them, and the
 * page stays responsive while the rest arrive. Nothing is hidden for good: the list grows to
 * `source()` whole, and follows it when it changes.
 */
import { computed, onScopeDispose, shallowRef, watch, type ComputedRef } from 'vue'

export function firstScreenFirst<T>(source: () => readonly T[], { first = 12, step = 16 } = {}): ComputedRef<readonly T[]> {
  const limit = shallowRef(first)
  let waiting = false
  let disposed = false
  const afterPaint = (fn: () => void) =>
    typeof requestAnimationFrame === 'function' ? requestAnimationFrame(() => setTimeout(fn, 0)) : setTimeout(fn, 0)

  function grow() {
    if (waiting || disposed || limit.value >= source().length) return
    waiting = true
    afterPaint(() => {
      waiting = false
      if (disposed) return
      limit.value += step
      grow()
    })
  }

  watch(() => source().length, grow, { immediate: true })
  onScopeDispose(() => {
    disposed = true
  })
  return computed(() => {
    const all = source()
    return all.length <= limit.value ? all : all.slice(0, limit.value)
  })
}
