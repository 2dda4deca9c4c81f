/**
 * The first screen first: a long list renders its first `first` items at once, then `step` more
 * after that frame is painted, twice as many after the next, and so on until it is whole: 500 cards
 * in 6 frames. On a slow phone a plan of 500 bookings costs seconds of rendering; the cards a person
 * sees first are painted after a dozen of them. Growing by a fixed step instead (30 frames for 500)
 * took longer in all, each frame laying out and painting again. Nothing is hidden for good: the
 * list grows to `source()` whole, and follows it when it changes.
 */
import { computed, onScopeDispose, shallowRef, watch, type ComputedRef } from 'vue'

export function firstScreenFirst<T>(source: () => readonly T[], { first = 12, step: firstStep = 16 } = {}): ComputedRef<readonly T[]> {
  let step = firstStep
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
      step *= 2
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
