/**
 * Shared plumbing for the benchmarks: a throw-away Postgres database, a real server process on it,
 * and small helpers to activate codes and push. Benchmarks print figures; nothing here asserts.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import pg from 'pg'
import { PROTOCOL_VERSION, type MutationResult } from '../shared/index.ts'

export const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/postgres'

export function dbUrl(name: string): string {
  const u = new URL(ADMIN_URL)
  u.pathname = `/${name}`
  return u.toString()
}

/** Creates a fresh database and returns its URL and a way to drop it. */
export async function scratchDatabase(prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}`
  const admin = new pg.Client(ADMIN_URL)
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  return {
    url: dbUrl(name),
    async drop() {
      const a = new pg.Client(ADMIN_URL)
      await a.connect()
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await a.end()
    },
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number }
      srv.close(() => resolve(port))
    })
    srv.on('error', reject)
  })
}

export interface ServerProcess {
  url: string
  pid: number
  child: ChildProcess
  stop(): Promise<void>
}

/** Starts `sync-server/src/main.ts` as its own process (the load generator stays out of its event loop). */
export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const port = await freePort()
  const child = spawn(process.execPath, ['--import', 'tsx', 'sync-server/src/main.ts'], {
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout?.on('data', (d) => (out += d))
  child.stderr?.on('data', (d) => (out += d))
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 90_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited:\n${out}`)
    try {
      if ((await fetch(`${url}/api/health`)).ok) break
    } catch {
      /* starting */
    }
    if (Date.now() > deadline) throw new Error(`server did not start:\n${out}`)
    await new Promise((r) => setTimeout(r, 200))
  }
  return {
    url,
    pid: child.pid!,
    child,
    async stop() {
      if (child.exitCode !== null) return
      child.kill('SIGTERM')
      await new Promise((r) => child.once('exit', r))
    },
  }
}

export async function activate(url: string, code: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/activate`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }),
  })
  if (!res.ok) throw new Error(`activate ${code}: ${res.status} ${await res.text()}`)
  return ((await res.json()) as { token: string }).token
}

export interface PushMutation {
  id: number
  name: string
  args: unknown
}

export async function push(url: string, token: string, clientId: string, mutations: PushMutation[]): Promise<MutationResult[]> {
  const createdAt = new Date().toISOString()
  const res = await fetch(`${url}/api/sync/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ protocolVersion: PROTOCOL_VERSION, clientGroupId: clientId, mutations: mutations.map((m) => ({ ...m, clientId, createdAt })) }),
  })
  if (!res.ok) throw new Error(`push: ${res.status} ${await res.text()}`)
  return ((await res.json()) as { results: MutationResult[] }).results
}

export async function pull(url: string, token: string, clientGroupId: string, cookie: string | null) {
  const res = await fetch(`${url}/api/sync/pull`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ protocolVersion: PROTOCOL_VERSION, clientGroupId, cookie }),
  })
  if (!res.ok) throw new Error(`pull: ${res.status} ${await res.text()}`)
  return (await res.json()) as { cookie: string; changes: unknown[]; lastMutationIds: Record<string, number> }
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
     JOIN (SELECT id, territory_id, row_number() OVER (ORDER BY id) - 1 AS k, count(*) OVER () AS total FROM providers) p ON p.k = (s.n - 1) % p.total
     ON CONFLICT DO NOTHING`,
    [ids, places],
  )
  return ids
}
