/**
 * What the app starts once its first screen is on the way (main.ts loads this module after the first
 * navigation and a painted frame): the sync engine with its browser triggers, and the service
 * worker's registration. Neither is needed to show the mirror, and both cost a cold start CPU and
 * bytes (the engine's pull and push code, workbox-window): issue 10, `npm run bench:bundle`.
 * Nothing is lost meanwhile: a mutation queued before the engine is attached waits in the outbox,
 * and the engine's first run ('start') sends it.
 */
import type { Pinia } from 'pinia'
import { db } from './db/db.ts'
import { usePwaStore } from './features/pwa/pwa.store.ts'
import { registerServiceWorker } from './features/pwa/register.ts'
import { useSyncStore } from './features/sync/sync.store.ts'
import { createSyncEngine } from './sync/engine.ts'
import { attachBrowserTriggers, browserPoke } from './sync/triggers.ts'

export function startBackground(pinia: Pinia): void {
  const engine = createSyncEngine({
    db,
    fetch: (input, init) => fetch(input, init),
    now: () => new Date(),
    locks: typeof navigator !== 'undefined' && 'locks' in navigator ? navigator.locks : null,
    openPoke: browserPoke,
  })
  useSyncStore(pinia).attach(engine)
  attachBrowserTriggers(engine)
  registerServiceWorker(usePwaStore(pinia))
}
