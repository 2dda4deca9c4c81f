/**
 * The one database interface every service sees. Two adapters implement it (PGlite embedded,
 * pooled `pg` on a real Postgres) with the same SQL; services never know which one they have.
 * Rows come back with the same JS types on both: int8 as number, date as 'YYYY-MM-DD',
 * timestamptz as an ISO string in UTC (see types.ts).
 */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>
}

/**
 * What a transaction's callback gets: `query` waits for its answer; `send` does not — the statement
 * goes out at once, behind the ones already sent and ahead of the next (one connection executes them in
 * order, so row locks are still taken in the order the code issues them), and a failure surfaces at the
 * next `query` or at COMMIT, which then fails as a whole. Writes whose result nobody reads use `send`:
 * a mutation's writes, its lastMutationId and its row stamps travel to the database with the COMMIT
 * instead of costing a round trip each.
 */
export interface TxQueryable extends Queryable {
  send(sql: string, params?: readonly unknown[]): void
}

/**
 * Builds a TxQueryable over `run` (which must execute statements in the order it is called) and
 * `settle`, which waits for everything sent and throws the first failure.
 */
export function pipelined(
  run: (sql: string, params?: readonly unknown[]) => Promise<unknown[]>,
  exec: (sql: string) => Promise<void>,
): { tx: TxQueryable; settle(): Promise<void> } {
  const inflight: Promise<unknown>[] = []
  let failure: { error: unknown } | null = null
  // Every statement, awaited or not: the first failure is the one that aborted the transaction;
  // those after it only say "current transaction is aborted".
  const issue = (sql: string, params?: readonly unknown[]) => {
    const p = run(sql, params)
    inflight.push(p.catch((e: unknown) => void (failure ??= { error: e })))
    return p
  }
  const settle = async () => {
    await Promise.all(inflight)
    if (failure) throw failure.error
  }
  const tx: TxQueryable = {
    async query<T>(sql: string, params?: readonly unknown[]) {
      try {
        return (await issue(sql, params)) as T[]
      } catch (e) {
        await Promise.all(inflight)
        throw failure ? failure.error : e
      }
    },
    send(sql, params) {
      void issue(sql, params).catch(() => undefined)
    },
    exec,
  }
  return { tx, settle }
}

export interface TxOptions {
  /**
   * REPEATABLE READ READ ONLY: every statement reads the same snapshot (the pull, whose cookie is
   * that snapshot). Default: READ COMMITTED read-write, with row locks where a decision depends on a row.
   */
  snapshot?: boolean
  /**
   * Plan every statement once per connection, as an index-driven plan (Postgres only; the push path,
   * decide.ts). Postgres plans a prepared statement again at every execution while it judges a plan
   * made for the actual values cheaper than its generic one, which is always so for a 1-element
   * `= ANY($1)` or `unnest($1)` on a small table; five of a batch's 13 statements were planned anew
   * each time (~0.4 ms of the backend's time per batch, with one batch in the database at a time).
   * Here the transaction starts with `plan_cache_mode = force_generic_plan`, and with sequential
   * scans, hash and merge joins disabled so that the generic plans (made without the values: 10 rows
   * guessed for each array) are index lookups, never a scan of a table because it is small today.
   */
  genericPlans?: boolean
}

export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres'
  /**
   * BEGIN … COMMIT around `fn`; ROLLBACK when it (or a statement it sent) fails. Inside, use only
   * `tx`. BEGIN and COMMIT are pipelined with the statements around them (no round trip of their own).
   */
  transaction<T>(fn: (tx: TxQueryable) => Promise<T>, opts?: TxOptions): Promise<T>
  close(): Promise<void>
}

/** SQLSTATE of a database error, when there is one. */
export function sqlState(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined
}

/** Unique, check, foreign-key… violations: the database refused the data (class 23). */
export const isConstraintViolation = (e: unknown): boolean => sqlState(e)?.startsWith('23') ?? false

/** Serialization failure or deadlock: safe to run the whole transaction again. */
export const isRetryable = (e: unknown): boolean => ['40001', '40P01'].includes(sqlState(e) ?? '')

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN'])

/** Any failure that comes from the database or the way to it (answered 503, never blamed on the input). */
export function isDatabaseFailure(e: unknown): boolean {
  if (sqlState(e)) return true
  const code = (e as { code?: unknown } | null)?.code
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return true
  const message = e instanceof Error ? e.message : ''
  return /Connection terminated|PGlite is closed|timeout exceeded when trying to connect|Client has encountered a connection error|Cannot use a pool after calling end/i.test(message)
}
