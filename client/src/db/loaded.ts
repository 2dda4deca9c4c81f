/**
 * What loads with Dexie, after the first screen (lazy.ts): the database, the view's live reader and
 * Dexie's live queries, in ONE chunk load, so the view starts listening to changes before any write
 * that waited for Dexie runs (their callbacks come after the view's, in order).
 */
export { liveQuery } from 'dexie'
export { db } from './db.ts'
export { readTables } from '../view/view.repo.ts'
