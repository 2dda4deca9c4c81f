/** Boot: stores, i18n, router, the sync engine (with browser triggers), the service worker. */
import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import { db } from './db/db.ts'
import { usePwaStore } from './features/pwa/pwa.store.ts'
import { registerServiceWorker } from './features/pwa/register.ts'
import { useSyncStore } from './features/sync/sync.store.ts'
import { i18n, setLocale } from './i18n/index.ts'
import { createAppRouter } from './router.ts'
import { createSyncEngine } from './sync/engine.ts'
import { attachBrowserTriggers, browserPoke } from './sync/triggers.ts'
import './ui/theme.css'
import { useViewStore } from './view/view.store.ts'

const app = createApp(App)
const pinia = createPinia()
app.use(pinia).use(i18n).use(createAppRouter())
// Start reading the mirror now: IndexedDB works while the app mounts and the router resolves.
useViewStore(pinia)
setLocale(i18n.global.locale.value)

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

app.mount('#app')
