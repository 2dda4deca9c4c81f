/**
 * Boot: stores, i18n, router, the view's first read (IndexedDB itself: db/raw.ts); then, once the
 * first screen is read and painted, Dexie with the view's live reader (db/lazy.ts), the sync engine
 * and the service worker (background.ts, a chunk of its own).
 */
import { createPinia } from 'pinia'
import { createApp, watch } from 'vue'
import App from './App.vue'
import { listenForInstall } from './features/pwa/install.ts'
import { i18n, setLocale } from './i18n/index.ts'
import { holdDb, releaseDb } from './db/lazy.ts'
import { createAppRouter } from './router.ts'
import './ui/theme.css'
import { firstScreenShown, holdFirstScreen, nextTask } from './view/tasks.ts'
import { useViewStore } from './view/view.store.ts'

// The browser's install prompt can fire while the app loads: listen before anything else (issue 10).
listenForInstall()
// Dexie waits for the first screen (a write, or a read that IndexedDB itself could not answer, loads it sooner).
holdDb()
// So do the first screen's lazy parts (view/tasks.ts: their loading is work of its own).
holdFirstScreen()
const app = createApp(App)
const pinia = createPinia()
app.use(pinia)
// Start reading the mirror now: IndexedDB works while the app mounts and the router resolves.
const view = useViewStore(pinia)
// The boot in tasks of their own (evaluating the scripts is one already; then the router with its
// first navigation, then mounting the shell): long tasks, view/tasks.ts.
await nextTask()
const router = createAppRouter()
app.use(i18n).use(router)
// English words are a chunk of their own: on a device that chose English, mount once they are here.
await setLocale(i18n.global.locale.value)
await nextTask()
app.mount('#app')
// (The cards' dates and money are written without Intl: i18n/format.ts. Nothing to warm up.)

// After the first navigation, the first screen's tables read (or failing) and one painted frame: the
// first screen's own work goes first (loading and evaluating the engine and the protocol's schemas
// while the first cards render delayed them: bench:coldstart). A tab opened in the background paints
// no frame: there the timers start it; so does a mirror read that takes more than 3 s.
const afterPaint = () =>
  new Promise<void>((resolve) => {
    requestAnimationFrame(() => setTimeout(resolve, 0))
    setTimeout(resolve, 1000)
  })
const firstScreenRead = () =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, 3000)
    const stop = watch(() => view.ready || view.error !== null, (done) => {
      if (!done) return
      resolve()
      queueMicrotask(() => stop())
    }, { immediate: true })
  })
void router
  .isReady()
  .catch(() => undefined)
  .then(firstScreenRead)
  .then(afterPaint)
  .then(async () => {
    // One after the other, each in tasks of its own: the first screen's lazy parts, Dexie with the
    // view's live reader, then the sync engine (the protocol's schemas: the largest evaluation).
    firstScreenShown()
    await nextTask()
    releaseDb()
    await nextTask()
    // The engine's schemas are the largest evaluation of the start (zod building every entity's and
    // mutation's schema, ~0.13 s of a slowed phone's CPU in one task): the entities' first, then the
    // engine with the rest, in tasks of their own.
    await import('../../shared/entities/registry.ts')
    await nextTask()
    return import('./background.ts')
  })
  .then(async ({ startBackground }) => {
    await nextTask()
    startBackground(pinia)
  })
