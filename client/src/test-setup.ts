// Component and store tests run on happy-dom with IndexedDB provided by fake-indexeddb.
import 'fake-indexeddb/auto'
// English is loaded on demand in the app; tests switch languages synchronously, so load it up front.
import { loadLocale, loadStaffWords } from './i18n/index.ts'
await loadLocale('en')
// The staff's words too (the router loads them for those roles; tests mount their screens directly).
await loadStaffWords()
