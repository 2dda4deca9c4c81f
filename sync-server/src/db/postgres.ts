/**
 * A real Postgres through a `pg` Pool. Each transaction checks out one pooled connection
 * (READ COMMITTED; the services take row locks where a decision depends on a row).
 * Connections run in pipeline mode: statements a transaction `send`s (and BEGIN, and COMMIT) go out
 * without waiting for the previous answer; Postgres still executes them one after another, in order.
 * `searchPath` isolates the test suite's schemas on one database.
 */
import pg from 'pg'
import { pipelined, type Db, type Queryable, type TxOptions } from './db.ts'
import { PARSERS } from './types.ts'

export interface PostgresOptions {
  max?: number
  searchPath?: string
}

const getTypeParser = ((oid: number, format?: string) =>
  PARSERS[oid] ?? pg.types.getTypeParser(oid, format as 'text')) as pg.CustomTypesConfig['getTypeParser']

/**
 * Statements with parameters are prepared once per connection (a name per distinct text) and then
 * only bound and executed: Postgres skips parsing and planning, and half the CPU of a small statement
 * goes with it (bench/README.md). At most MAX_PREPARED texts get a name, so a stream of one-off
 * texts (the seed's multi-row inserts) cannot grow every connection's cache without bound.
 */
const MAX_PREPARED = 300

function statementNamer() {
  const names = new Map<string, string>()
  return (text: string): string | undefined => {
    let name = names.get(text)
    if (!name && names.size < MAX_PREPARED) names.set(text, (name = `s${names.size + 1}`))
    return name
  }
}

/** TxOptions.genericPlans, for this transaction only (set_config's `true`: SET LOCAL). */
const GENERIC_PLANS = `SELECT set_config('plan_cache_mode', 'force_generic_plan', true), set_config('enable_seqscan', 'off', true),
  set_config('enable_hashjoin', 'off', true), set_config('enable_mergejoin', 'off', true)`

const wrap = (q: pg.Pool | pg.PoolClient, nameOf: (text: string) => string | undefined): Queryable => ({
  query: async <T>(sql: string, params?: readonly unknown[]) => {
    const name = params ? nameOf(sql) : undefined
    const config: pg.QueryConfig = name ? { name, text: sql, values: [...(params ?? [])] } : { text: sql, values: params ? [...params] : undefined }
    return (await q.query(config)).rows as T[]
  },
  exec: async (sql: string) => void (await q.query(sql)),
})

export function openPostgres(connectionString: string, opts: PostgresOptions = {}): Db {
  const pool = new pg.Pool({
    connectionString,
    max: opts.max ?? 10,
    types: { getTypeParser },
    pipeline: true,
    ...(opts.searchPath ? { options: `-c search_path=${opts.searchPath}` } : {}),
  })
  // An idle connection dropped by the server must not crash the process; the next query reconnects.
  pool.on('error', (e) => console.error('postgres: idle connection error:', e.message))
  const nameOf = statementNamer()
  const outer = wrap(pool, nameOf)
  return {
    kind: 'postgres',
    ...outer,
    async transaction(fn, opts?: TxOptions) {
      const client = await pool.connect()
      const inner = wrap(client, nameOf)
      // Statements issued in one burst (up to the next tick: a chain of awaits that never waits for
      // I/O, like a mutator's writes, its stamps and the COMMIT) leave in ONE socket write: on a
      // small machine each write to the database costs more CPU than the statement itself.
      const stream = client.connection.stream
      let corked = false
      const batch = () => {
        if (corked) return
        corked = true
        stream.cork()
        process.nextTick(() => {
          corked = false
          stream.uncork()
        })
      }
      const { tx, settle } = pipelined((sql, params) => {
        batch()
        return inner.query(sql, params)
      }, inner.exec)
      let broken: Error | undefined
      try {
        tx.send(opts?.snapshot ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' : 'BEGIN')
        if (opts?.genericPlans) tx.send(GENERIC_PLANS)
        const result = await fn(tx)
        batch()
        const commit = client.query('COMMIT')
        try {
          await settle()
        } catch (e) {
          await commit.catch(() => undefined) // the failed statement turned this COMMIT into a ROLLBACK
          throw e
        }
        // COMMIT of a transaction that failed answers "ROLLBACK" instead of an error: never report that as done.
        if ((await commit).command !== 'COMMIT') throw new Error('transaction rolled back at COMMIT')
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
