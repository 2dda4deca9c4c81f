// Component and store tests run on happy-dom with IndexedDB provided by fake-indexeddb.
import 'fake-indexeddb/auto'
