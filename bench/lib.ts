/**
 * Shared plumbing for the benchmarks: a throw-away Postgres database, a real server process on it,
 * and small helpers to activate codes and push. Benchmarks print figures; nothing here asserts.
 */
import { readdirSync, readFileSync } from 'node:fs'
import pg from 'pg'
import { Pool } from 'undici'
import { PROTOCOL_VERSION, type MutationResult } from '../shared/index.ts'
import { scratchDatabase as createScratchDatabase, startServer, type ScratchDatabase, type ServerProcess } from '../sync-server/test/processes.ts'

export type { ServerProcess } from '../sync-server/test/processes.ts'

export const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/postgres'

/** A fresh database on the benchmarks' Postgres, dropped by `drop()`. */
export const scratchDatabase = (prefix: string): Promise<ScratchDatabase> => createScratchDatabase(ADMIN_URL, prefix)

/** Starts `sync-server/src/main.ts` as its own process (the load generator stays out of its event loop). */
export const startServerProcess = (env: Record<string, string>): Promise<ServerProcess> =>
  startServer(env, {
    startTimeoutMs: 90_000,
    // BENCH_SERVER_DIR: run the server of another checkout (a git worktree at another commit) for A/B figures.
    cwd: process.env.BENCH_SERVER_DIR ?? process.cwd(),
    nodeArgs: (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean),
  })

/**
 * The load generator's HTTP client: undici's Pool (keep-alive, one pool per server). Its CPU is taken
 * from the server and the database under test on the same two cores (phones bring their own CPUs), so
 * it must be lean: measured on this machine against a bare node:http server, `fetch` costs ~0.3 ms of
 * CPU per request, node:http's client ~0.09 ms, undici's Pool ~0.04 ms.
 */
const pools = new Map<string, Pool>()
const poolOf = (origin: string) => {
  let pool = pools.get(origin)
  if (!pool) pools.set(origin, (pool = new Pool(origin, { connections: 256 })))
  return pool
}

export async function request(url: string, method: 'GET' | 'POST', body?: unknown, token?: string): Promise<{ status: number; text: string }> {
  const { origin, pathname, search } = new URL(url)
  const headers: Record<string, string> = {}
  if (body !== undefined) headers['content-type'] = 'application/json'
  if (token) headers.authorization = `Bearer ${token}`
  const res = await poolOf(origin).request({ path: pathname + search, method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  return { status: res.statusCode, text: await res.body.text() }
}

/** Closes the load generator's connections (at the end of a bench). */
export async function closeConnections(): Promise<void> {
  await Promise.all([...pools.values()].map((p) => p.close()))
  pools.clear()
}

async function json<T>(what: string, url: string, method: 'GET' | 'POST', body?: unknown, token?: string): Promise<T> {
  const res = await request(url, method, body, token)
  if (res.status !== 200) throw new Error(`${what}: ${res.status} ${res.text}`)
  return JSON.parse(res.text) as T
}

export async function activate(url: string, code: string): Promise<string> {
  return (await json<{ token: string }>(`activate ${code}`, `${url}/api/auth/activate`, 'POST', { code })).token
}

export interface PushMutation {
  id: number
  name: string
  args: unknown
}

export async function push(url: string, token: string, clientId: string, mutations: PushMutation[]): Promise<MutationResult[]> {
  const createdAt = new Date().toISOString()
  const body = { protocolVersion: PROTOCOL_VERSION, clientGroupId: clientId, mutations: mutations.map((m) => ({ ...m, clientId, createdAt })) }
  return (await json<{ results: MutationResult[] }>('push', `${url}/api/sync/push`, 'POST', body, token)).results
}

export interface PullAnswer {
  cookie: string
  changes: { entity: string; key: string; op: string }[]
  lastMutationIds: Record<string, number>
  results: MutationResult[]
}

export async function pull(url: string, token: string, clientGroupId: string, cookie: string | null, resultsAcked?: Record<string, number>): Promise<PullAnswer> {
  const body = { protocolVersion: PROTOCOL_VERSION, clientGroupId, cookie, ...(resultsAcked ? { resultsAcked } : {}) }
  return json<PullAnswer>('pull', `${url}/api/sync/pull`, 'POST', body, token)
}

/** Runs `workers` async loops at once; returns elapsed ms. */
export async function concurrently(workers: number, loop: (worker: number) => Promise<void>): Promise<number> {
  const t0 = performance.now()
  await Promise.all(Array.from({ length: workers }, (_, w) => loop(w)))
  return performance.now() - t0
}

export const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })

export const uuidish = (prefix: string, n: number) => `${prefix}-${n.toString(36).padStart(8, '0')}`

/** Large-capacity sessions on a service every child fits, spread over the providers, so a benchmark measures work, not refusals. */
export async function addBenchSessions(db: pg.Client, count: number, places = 100_000): Promise<string[]> {
  await db.query(`INSERT INTO services (id, program_id, category, name, name_en, unit, age_min_years, age_max_years)
    VALUES ('svc-bench', 'prg-conciliare', 'play-space', 'Bench', 'Bench', 'hour', 0, 18) ON CONFLICT DO NOTHING`)
  const ids = Array.from({ length: count }, (_, i) => `ses-bench-${i}`)
  await db.query(
    `INSERT INTO sessions (id, service_id, provider_id, territory_id, starts_at, ends_at, places, places_left, unit_price_cents, units_max, status)
     SELECT s.id, 'svc-bench', p.id, p.territory_id, now() + interval '30 days', now() + interval '30 days 4 hours', $2, $2, 100, 8, 'open'
     FROM unnest($1::text[]) WITH ORDINALITY AS s(id, n)
     JOIN (SELECT id, territory_id, row_number() OVER (ORDER BY id) - 1 AS k, count(*) OVER () AS total FROM providers WHERE program_id = 'prg-conciliare') p ON p.k = (s.n - 1) % p.total
     ON CONFLICT DO NOTHING`,
    [ids, places],
  )
  return ids
}

/** The demo's past deliveries spend part of each voucher (`npm start` seeds them): top every voucher up so a bench's bookings fit. */
export async function topUpVouchers(db: pg.Client, cents = 1_000_000): Promise<void> {
  await db.query('UPDATE vouchers SET amount_cents = amount_cents + $1, balance_cents = balance_cents + $1', [cents])
}

const CLK_TCK = 100 // USER_HZ on Linux

/** CPU seconds (user + system) a process has used so far, from /proc (0 if it is gone). */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK
  } catch {
    return 0
  }
}

/** CPU seconds used so far by every local `postgres` process (the database server, all backends). */
export function postgresCpuSeconds(): number {
  let total = 0
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue
    try {
      if (readFileSync(`/proc/${d}/comm`, 'utf8').trim() !== 'postgres') continue
    } catch {
      continue
    }
    total += cpuSeconds(Number(d))
  }
  return total
}

/** CPU used meanwhile by this process (the load generator), the server processes and Postgres. */
export function cpuMeter(serverPids: number[]) {
  const self0 = process.cpuUsage()
  const servers0 = serverPids.map(cpuSeconds)
  const pg0 = postgresCpuSeconds()
  return () => {
    const self = process.cpuUsage(self0)
    return {
      loadGenerator: (self.user + self.system) / 1e6,
      server: serverPids.reduce((sum, pid, i) => sum + cpuSeconds(pid) - (servers0[i] ?? 0), 0),
      postgres: postgresCpuSeconds() - pg0,
    }
  }
}

/** Machine-wide CPU seconds by kind since boot, from /proc/stat (user, system, softirq, steal, idle…). */
export function machineCpu(): Record<string, number> {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? ''
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map((v) => Number(v) / CLK_TCK)
  return { user: (user ?? 0) + (nice ?? 0), system: system ?? 0, softirq: (softirq ?? 0) + (irq ?? 0), steal: steal ?? 0, idle: (idle ?? 0) + (iowait ?? 0) }
}

/**
 * CPU used by the Postgres backends connected to database `name` (from /proc, found through
 * pg_stat_activity) between now and the call of the returned function: the database work of the
 * run under test, without other databases' load. Keep the connections open until then.
 */
export async function backendMeter(q: pg.Client, name: string): Promise<() => Promise<number>> {
  const pids = async () => (await q.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [name])).rows.map((r) => r.pid)
  const before = new Map((await pids()).map((pid) => [pid, cpuSeconds(pid)]))
  return async () => (await pids()).reduce((sum, pid) => sum + cpuSeconds(pid) - (before.get(pid) ?? 0), 0)
}

/**
 * Samples pg_stat_activity for database `name` every `everyMs` until the returned function is called:
 * on average, how many of its connections were running, waiting for a row lock, waiting for the
 * server process to send the next statement, flushing WAL at commit, or idle.
 */
export function activitySampler(url: string, name: string, everyMs = 100): () => Promise<Record<string, number>> {
  const client = new pg.Client(url)
  const counts: Record<string, number> = {}
  let samples = 0
  let running = true
  const loop = (async () => {
    await client.connect()
    while (running) {
      const { rows } = await client.query<{ state: string | null; wait_event_type: string | null; wait_event: string | null }>(
        'SELECT state, wait_event_type, wait_event FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name])
      samples++
      for (const r of rows) {
        const kind = r.wait_event_type === 'Lock' ? 'waiting for a row lock'
          : r.wait_event === 'WALSync' || r.wait_event === 'WALWrite' || r.wait_event_type === 'IO' ? 'flushing WAL (commit)'
            : r.state === 'idle in transaction' ? 'in a transaction, waiting for the server'
              : r.state === 'active' && r.wait_event_type === 'LWLock' ? 'waiting for an internal lock'
                : r.state === 'active' ? 'running a statement'
                  : r.state === 'idle' ? 'idle (between transactions)' : `other (${r.state ?? '?'})`
        counts[kind] = (counts[kind] ?? 0) + 1
      }
      await new Promise((r) => setTimeout(r, everyMs))
    }
  })()
  return async () => {
    running = false
    await loop
    await client.end()
    return Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, v / Math.max(1, samples)]).sort((a, b) => (b[1] as number) - (a[1] as number)))
  }
}
