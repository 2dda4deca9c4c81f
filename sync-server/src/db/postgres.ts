/**
 * A real Postgres through a `pg` Pool. Each transaction checks out one pooled connection
 * (READ COMMITTED; the services take row locks where a decision depends on a row).
 * `searchPath` isolates the test suite's schemas on one database.
 */
import pg from 'pg'
import type { Db, Queryable, TxOptions } from './db.ts'
import { PARSERS } from './types.ts'

export interface PostgresOptions {
  max?: number
  searchPath?: string
}

const getTypeParser = ((oid: number, format?: string) =>
  PARSERS[oid] ?? pg.types.getTypeParser(oid, format as 'text')) as pg.CustomTypesConfig['getTypeParser']

const wrap = (q: pg.Pool | pg.PoolClient): Queryable => ({
  query: async <T>(sql: string, params?: readonly unknown[]) =>
    (await q.query(sql, params ? [...params] : undefined)).rows as T[],
  exec: async (sql: string) => void (await q.query(sql)),
})

export function openPostgres(connectionString: string, opts: PostgresOptions = {}): Db {
  const pool = new pg.Pool({
    connectionString,
    max: opts.max ?? 10,
    types: { getTypeParser },
    ...(opts.searchPath ? { options: `-c search_path=${opts.searchPath}` } : {}),
  })
  // An idle connection dropped by the server must not crash the process; the next query reconnects.
  pool.on('error', (e) => console.error('postgres: idle connection error:', e.message))
  const outer = wrap(pool)
  return {
    kind: 'postgres',
    ...outer,
    async transaction(fn, opts?: TxOptions) {
      const client = await pool.connect()
      let broken: Error | undefined
      try {
        await client.query(opts?.snapshot ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' : 'BEGIN')
        const result = await fn(wrap(client))
        await client.query('COMMIT')
        return result
      } catch (e) {
        try {
          await client.query('ROLLBACK')
        } catch (rollbackError) {
          broken = rollbackError as Error
        }
        throw e
      } finally {
        client.release(broken)
      }
    },
    close: () => pool.end(),
  }
}
