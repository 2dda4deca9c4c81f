/**
 * Embedded Postgres (PGlite, WASM), persisted in a directory, or in memory for tests.
 * PGlite is ONE connection: its `transaction()` and `query()` share an exclusive lock, so concurrent
 * transactions run one after another (never interleaved). Consequence: inside a transaction, only
 * `tx` may be used; calling the outer `db` there would wait forever.
 */
import { mkdirSync } from 'node:fs'
import { PGlite, type Transaction } from '@electric-sql/pglite'
import type { Db, Queryable } from './db.ts'
import { PARSERS } from './types.ts'

const wrap = (q: PGlite | Transaction): Queryable => ({
  query: async <T>(sql: string, params?: readonly unknown[]) =>
    (await q.query<T>(sql, params ? [...params] : undefined)).rows,
  exec: async (sql: string) => void (await q.exec(sql)),
})

/** `dataDir` undefined → in memory; `loadDataDir` starts from a dump (tests: a migrated template). */
export async function openPglite(dataDir?: string, opts: { loadDataDir?: Blob } = {}): Promise<Db> {
  if (dataDir) mkdirSync(dataDir, { recursive: true })
  return pgliteDb(await PGlite.create(dataDir, { parsers: PARSERS, ...opts }))
}

/** A dump of the whole database (to reopen with `loadDataDir`). */
export const dumpPglite = (db: Db): Promise<Blob> => {
  const pg = instances.get(db)
  if (!pg) throw new Error('not a PGlite database')
  return pg.dumpDataDir('none')
}

const instances = new WeakMap<Db, PGlite>()

function pgliteDb(pg: PGlite): Db {
  const outer = wrap(pg)
  const db: Db = {
    kind: 'pglite',
    ...outer,
    transaction: (fn) => pg.transaction((tx) => fn(wrap(tx))),
    close: () => pg.close(),
  }
  instances.set(db, pg)
  return db
}
