// Component and store tests run on happy-dom with IndexedDB provided by fake-indexeddb.
import { afterAll } from 'vitest'
import 'fake-indexeddb/auto'
// English is loaded on demand in the app; tests switch languages synchronously, so load it up front.
import { loadLocale, loadStaffWords } from './i18n/index.ts'
await loadLocale('en')
// The staff's words too (the router loads them for those roles; tests mount their screens directly).
await loadStaffWords()
// Dexie loads on demand (db/lazy.ts): a store a test mounted may start that load just before the
// file ends, and an import still fetching when vitest tears the file's environment down fails the
// whole run (EnvironmentTeardownError, seen in CI under load). Loading it before the end makes any
// later import a cache hit, which needs no fetch.
afterAll(async () => {
  await import('./db/loaded.ts')
})
