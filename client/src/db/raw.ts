/**
 * The first screen's reads of the app's database with IndexedDB itself, before Dexie is loaded
 * (issues 8 and 10: Dexie is 31 KB of gzip and ~0.1 s of a slow phone's CPU to evaluate and open;
 * the first screen only reads). The same database and rows as Dexie's (`db.ts`): no copy, so nothing
 * here can be staler than the database, and signing out (which clears it) leaves nothing behind.
 *
 * - The database is opened without a version: whatever version Dexie last installed. A database
 *   that does not exist yet is not created (the open is aborted: Dexie creates it with its schema),
 *   and the reads answer `null`: the caller then waits for Dexie.
 * - A store the installed version lacks (an app update added an entity, Dexie adds its store when
 *   it opens) makes `readStores` answer `null` too: the caller falls back to Dexie.
 * - The connection closes when Dexie asks for a new version, and once Dexie is loaded (`closeRaw`).
 * Every failure answers `null`, never throws: the Dexie path is always there behind it.
 */
import type { MetaKey, MetaValues } from './db.types.ts'

export const DB_NAME = 'conciliapp'

export type RawKey = string | number
export interface RawRead {
  /** Per store: its rows by primary key, in key order (as a Dexie `toArray()` gives them). */
  rows: Map<string, Map<RawKey, unknown>>
  /** The `meta` values asked for (undefined when absent). */
  meta: Map<string, unknown>
}

let conn: Promise<IDBDatabase | null> | null = null

function open(): Promise<IDBDatabase | null> {
  return new Promise((resolve) => {
    if (typeof indexedDB === 'undefined') return resolve(null)
    let req: IDBOpenDBRequest
    try {
      req = indexedDB.open(DB_NAME)
    } catch {
      return resolve(null)
    }
    // Only a database that does not exist yet asks for an upgrade here: do not create it empty.
    req.onupgradeneeded = () => req.transaction?.abort()
    req.onsuccess = () => {
      const idb = req.result
      idb.onversionchange = () => {
        idb.close()
        conn = null
      }
      resolve(idb)
    }
    req.onerror = (e) => {
      e.preventDefault()
      resolve(null)
    }
  })
}

const connection = () => (conn ??= open())

/** Close the connection (Dexie is loaded: it reads from now on). */
export function closeRaw(): void {
  const c = conn
  conn = null
  void c?.then((idb) => idb?.close())
}

const done = <T>(req: IDBRequest<T>) =>
  new Promise<T>((resolve, reject) => {
    req.onsuccess = () => resolve(req.result)
    req.onerror = () => reject(req.error ?? new Error('IndexedDB read failed'))
  })

/**
 * Whole stores and some `meta` values, in ONE read transaction (a consistent moment of the
 * database, as Dexie's phase read). `null`: no database, a store missing, or any failure.
 */
export async function readStores(stores: readonly string[], metaKeys: readonly MetaKey[] = []): Promise<RawRead | null> {
  try {
    const idb = await connection()
    if (!idb) return null
    const names = [...new Set([...stores, ...(metaKeys.length ? ['meta'] : [])])]
    if (names.some((n) => !idb.objectStoreNames.contains(n))) return null
    const tx = idb.transaction(names, 'readonly')
    const [tables, meta] = await Promise.all([
      Promise.all(stores.map(async (name) => {
        const store = tx.objectStore(name)
        const keyPath = store.keyPath
        if (typeof keyPath !== 'string') throw new Error(`store ${name}: a compound key path`)
        const rows = (await done(store.getAll())) as Record<string, unknown>[]
        return [name, new Map(rows.map((r) => [r[keyPath] as RawKey, r]))] as const
      })),
      Promise.all(metaKeys.map(async (k) => [k, ((await done(tx.objectStore('meta').get(k))) as { value?: unknown } | undefined)?.value] as const)),
    ])
    return { rows: new Map(tables), meta: new Map(meta) }
  } catch {
    return null
  }
}

/** `meta` values (undefined when absent); `null`: no database or a failure. */
export async function readMetaRaw<K extends MetaKey>(keys: readonly K[]): Promise<{ [P in K]?: MetaValues[P] } | null> {
  const got = await readStores([], keys)
  return got ? (Object.fromEntries(got.meta) as { [P in K]?: MetaValues[P] }) : null
}

/** How many rows a store holds; `null`: no database, no such store or a failure. */
export async function countRaw(store: string): Promise<number | null> {
  try {
    const idb = await connection()
    if (!idb || !idb.objectStoreNames.contains(store)) return null
    return await done(idb.transaction(store, 'readonly').objectStore(store).count())
  } catch {
    return null
  }
}
