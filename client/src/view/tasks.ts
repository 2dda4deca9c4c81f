/**
 * Long tasks (issue 10: Lighthouse's total blocking time, `bench:coldstart`'s long tasks): start-up
 * work is cut into tasks, each giving the event loop back before the next, so a tap, a frame or the
 * browser's own work can come in between. A task is what the page runs in one go; each one's time
 * beyond 50 ms blocks input.
 *
 * - `nextTask()`: resolves in a new task (`scheduler.yield()` where it exists, which keeps this
 *   work's place ahead of other queued tasks; else a MessageChannel message, which unlike
 *   `setTimeout(0)` is not clamped to 4 ms after a few nested ones).
 * - `afterFirstScreen(load)`: a lazy chunk needed by the first screen's secondary parts (the waiting
 *   lists, the calendar card, the emergency toggle…) loads once the first screen is painted:
 *   loading one inserts its CSS and modulepreload links into the document and evaluates it, work a
 *   profile put at 75 ms of a slowed phone's CPU inside the task that rendered the first cards.
 *   Without `holdFirstScreen()` (tests, any page that does not call it) nothing waits.
 */

type Scheduler = { yield?: () => Promise<void> }

/**
 * `behind: true`: a plain task at the back of the queue (a MessageChannel message), for work that
 * may wait behind whatever else is queued (the rest of a long list); `scheduler.yield()`'s
 * continuation would go ahead of the page's other tasks (a paint's follow-up, an IndexedDB answer).
 */
export function nextTask({ behind = false } = {}): Promise<void> {
  const scheduler = (globalThis as { scheduler?: Scheduler }).scheduler
  if (!behind && typeof scheduler?.yield === 'function') return scheduler.yield()
  if (typeof MessageChannel === 'function') {
    return new Promise((resolve) => {
      const ch = new MessageChannel()
      ch.port1.onmessage = () => {
        ch.port1.close()
        resolve()
      }
      ch.port2.postMessage(null)
    })
  }
  return new Promise((resolve) => setTimeout(resolve, 0))
}

let shown: Promise<void> = Promise.resolve()
let release: () => void = () => {}

/** Boot (main.ts): lazy parts of the first screen wait for `firstScreenShown()`. */
export function holdFirstScreen(): void {
  shown = new Promise<void>((r) => (release = r))
}

/** The first screen is read and painted (main.ts). */
export function firstScreenShown(): void {
  release()
}

/** `load` once the first screen is shown, in a task of its own. */
export function afterFirstScreen<T>(load: () => Promise<T>): () => Promise<T> {
  return () => shown.then(() => nextTask()).then(load)
}
