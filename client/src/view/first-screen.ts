/**
 * The first screen first: a long list renders its first `first` items at once, and once that frame is
 * painted the rest in chunks, each in a task of its own (view/tasks.ts) and sized so that rendering it
 * takes about `budgetMs` (measured on the chunk before: a slow phone gets smaller chunks). On a slow
 * phone a plan of 500 bookings costs seconds of rendering; the cards a person sees first are painted
 * after a handful of them, and a tap in between is answered within a chunk.
 * History: doubling the chunk after each painted frame (12, 16, 32, 64… 500 cards in 6 frames) made
 * the last chunks 0.3–0.6 s tasks on a slowed CPU (bench:coldstart's long tasks, Lighthouse's total
 * blocking time); a fixed 16 cards a frame was 30 frames, each laying out the whole list again, before
 * the items had `content-visibility: auto`. Nothing is hidden for good: the list grows to `source()`
 * whole, and follows it when it changes.
 */
import { computed, nextTick, onScopeDispose, shallowRef, watch, type ComputedRef } from 'vue'
import { nextTask } from './tasks.ts'

export function firstScreenFirst<T>(source: () => readonly T[], { first = 12, step: firstStep = 8, budgetMs = 30 } = {}): ComputedRef<readonly T[]> {
  const limit = shallowRef(first)
  let running = false
  let disposed = false
  const painted = () =>
    new Promise<void>((resolve) => (typeof requestAnimationFrame === 'function' ? requestAnimationFrame(() => resolve()) : resolve())).then(() => nextTask({ behind: true }))
  const now = () => globalThis.performance?.now() ?? Date.now()

  async function grow() {
    if (running || disposed || limit.value >= source().length) return
    running = true
    try {
      await painted()
      let step = firstStep
      while (!disposed && limit.value < source().length) {
        const t0 = now()
        limit.value += step
        await nextTick()
        const perItem = Math.max((now() - t0) / step, 0.05)
        // At most twice the last chunk: one cheap chunk (cards already measured, a frame skipped) must not make the next a long task.
        step = Math.min(step * 2, Math.max(4, Math.floor(budgetMs / perItem)))
        await nextTask({ behind: true })
      }
    } finally {
      running = false
    }
  }

  watch(() => source().length, () => void grow(), { immediate: true })
  onScopeDispose(() => {
    disposed = true
  })
  return computed(() => {
    const all = source()
    return all.length <= limit.value ? all : all.slice(0, limit.value)
  })
}
