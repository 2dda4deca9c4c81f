// Component and store tests run on happy-dom with IndexedDB provided by fake-indexeddb.
import { enableAutoUnmount } from '@vue/test-utils'
import { afterAll, afterEach, vi } from 'vitest'
import 'fake-indexeddb/auto'

// The app compiles its own messages (i18n/compile.ts), on purpose; vue-i18n says so once per file
// ("Custom Message Compiler … experimental") when the i18n instance is made. That one line is
// dropped while the module loads, so anything else the tests print stands out.
const warn = console.warn
console.warn = (...args: unknown[]) => {
  if (typeof args[0] === 'string' && args[0].includes('Custom Message Compiler, which is an experimental feature')) return
  warn(...args)
}
const { loadLocale, loadStaffWords } = await import('./i18n/index.ts').finally(() => (console.warn = warn))
// English is loaded on demand in the app; tests switch languages synchronously, so load it up front.
await loadLocale('en')
// The staff's words too (the router loads them for those roles; tests mount their screens directly).
await loadStaffWords()

// A component left mounted keeps working after its test: its watchers, timers and stores' live
// queries may start a load (an on-demand module) while the next test or the file's teardown runs.
// Every test's components are unmounted when it ends (no test shares a mounted component).
enableAutoUnmount(afterEach)

// Modules loaded on demand (db/lazy.ts: Dexie; view/derive.ts: the shared mutators; UiDialog:
// focus-trap) may be imported by work a test started just before its file ends; an import still
// fetching when vitest tears the file's environment down fails the whole run
// (EnvironmentTeardownError: CI, stop 19, from EmergencyStatusCard.test). Loading them before the
// end makes any later import a cache hit, which needs no fetch; then every import in flight (an
// async component, a route's screen) is waited for.
afterAll(async () => {
  await Promise.all([import('./db/loaded.ts'), import('./view/mutators.ts'), import('focus-trap')])
  await vi.dynamicImportSettled()
})
