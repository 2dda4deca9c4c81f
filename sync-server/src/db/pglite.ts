/**
 * Embedded Postgres (PGlite, WASM), persisted in a directory, or in memory for tests.
 * PGlite is ONE connection: its `transaction()` and `query()` share an exclusive lock, so concurrent
 * transactions run one after another (never interleaved). Consequence: inside a transaction, only
 * `tx` may be used; calling the outer `db` there would wait forever.
 */
import { mkdirSync } from 'node:fs'
import { PGlite, type Transaction } from '@electric-sql/pglite'
import { lockDataDir } from './data-dir-lock.ts'
import { pipelined, type Db, type Queryable, type TxOptions } from './db.ts'
import { PARSERS } from './types.ts'

const wrap = (q: PGlite | Transaction): Queryable => ({
  query: async <T>(sql: string, params?: readonly unknown[]) =>
    (await q.query<T>(sql, params ? [...params] : undefined)).rows,
  exec: async (sql: string) => void (await q.exec(sql)),
})

export interface PgliteDb extends Db {
  /** A dump of the whole database, to reopen with `loadDataDir` (tests start from a migrated one). */
  dump(): Promise<Blob>
}

/** `dataDir` undefined → in memory; `loadDataDir` starts from a dump. */
export async function openPglite(dataDir?: string, opts: { loadDataDir?: Blob } = {}): Promise<PgliteDb> {
  if (dataDir) mkdirSync(dataDir, { recursive: true })
  const unlock = dataDir ? lockDataDir(dataDir) : () => undefined
  const pg = await PGlite.create(dataDir, { parsers: PARSERS, ...opts }).catch((e: unknown) => {
    unlock()
    throw e
  })
  return {
    kind: 'pglite',
    ...wrap(pg),
    transaction: (fn, opts?: TxOptions) =>
      pg.transaction(async (raw) => {
        const inner = wrap(raw)
        const { tx, settle } = pipelined(inner.query, inner.exec)
        if (opts?.snapshot) tx.send('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY')
        const result = await fn(tx)
        await settle()
        return result
      }),
    close: async () => {
      await pg.close()
      unlock()
    },
    dump: () => pg.dumpDataDir('none'),
  }
}
