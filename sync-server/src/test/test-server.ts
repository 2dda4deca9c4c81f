/**
 * A fresh app on a fresh database for one test file: PGlite in memory by default; with
 * TEST_DATABASE_URL, a real Postgres with a unique schema (search_path) dropped afterwards.
 * The clock is fixed (and movable) so the demo sessions are the same on every run.
 */
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Hono } from 'hono'
import { createApp } from '../app.ts'
import type { Db } from '../db/db.ts'
import { loadMigrations, migrate } from '../db/migrate.ts'
import { openPglite } from '../db/pglite.ts'
import { openPostgres } from '../db/postgres.ts'
import type { AppDeps, Clock } from '../deps.ts'
import { testDatabaseUrl } from '../env.ts'
import { snapshotDb, type DbSnapshot } from './db-snapshot.ts'
import { memoryNotifier, type Notifier } from '../services/notify/notifier.ts'
import { seedDemo, type DemoSummary } from '../services/seed/demo-seed.ts'
import type { AppEnv } from '../routes/http.ts'

/** Sunday 22 Nov 2026, 08:00 in Rome: the demo sessions run from Monday 23 Nov to 20 Dec. */
export const TEST_NOW = '2026-11-22T07:00:00.000Z'

export class TestClock implements Clock {
  constructor(private t = Date.parse(TEST_NOW)) {}
  now = (): Date => new Date(this.t)
  set(iso: string): void {
    this.t = Date.parse(iso)
  }
}

const CACHE_DIR = fileURLToPath(new URL('../../../node_modules/.cache/conciliapp-test/', import.meta.url))

/**
 * A fresh in-memory PGlite, already migrated. initdb costs 1–2 s of CPU per database, so the first
 * test file writes a migrated dump (keyed by the migrations' content, written atomically) and the
 * others load it in a few hundred ms. `npm ci` clears node_modules/.cache, and with it the template.
 */
async function migratedPglite(): Promise<Db> {
  const key = createHash('sha256').update(loadMigrations().map((m) => `${m.version}:${m.sql}`).join('\n')).digest('hex').slice(0, 16)
  const file = join(CACHE_DIR, `pglite-${key}.tar`)
  if (existsSync(file)) return openPglite(undefined, { loadDataDir: new Blob([readFileSync(file)]) })
  const db = await openPglite()
  await migrate(db)
  mkdirSync(CACHE_DIR, { recursive: true })
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`
  writeFileSync(tmp, Buffer.from(await (await db.dump()).arrayBuffer()))
  renameSync(tmp, file)
  return db
}

export interface TestServer {
  app: Hono<AppEnv>
  db: Db
  deps: AppDeps
  clock: TestClock
  demo: DemoSummary
  kind: 'pglite' | 'postgres'
  /** What the app logged (e.g. a push batch that failed and was decided one by one). */
  logs: string[]
  /** Another app with its own connection pool and notifier on the same database: a second process. */
  secondApp(notifier?: Notifier): Promise<{ app: Hono<AppEnv>; db: Db; close(): Promise<void> }>
  /**
   * The database's rows as they are now; `restore()` puts them back (db-snapshot.ts). A property
   * test restores before every run, so a run never depends on what the earlier ones wrote.
   */
  snapshot(): Promise<DbSnapshot>
  close(): Promise<void>
}

export interface TestServerOptions {
  families?: number
  seed?: boolean
  /** The demo's two months of delivered bookings (demo-past.ts). */
  past?: boolean
  notifier?: Notifier
  heartbeatMs?: number
  staticDir?: string
}

export async function createTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const url = testDatabaseUrl()
  const schema = `test_${randomBytes(6).toString('hex')}`
  let admin: Db | null = null
  let db: Db
  if (url) {
    admin = openPostgres(url, { max: 1 })
    await admin.exec(`CREATE SCHEMA ${schema}`)
    db = openPostgres(url, { searchPath: schema, max: 20 })
  } else {
    db = await migratedPglite()
  }
  await migrate(db) // a no-op on the template; applies anything newer
  const clock = new TestClock()
  const notifier = opts.notifier ?? memoryNotifier()
  const logs: string[] = []
  // Demo mode: the test server holds the demo seed and its codes.
  const deps: AppDeps = { db, clock, notifier, heartbeatMs: opts.heartbeatMs, staticDir: opts.staticDir ?? null, log: (line) => void logs.push(line), demo: true }
  const demo = opts.seed === false ? { codes: [], inserted: 0 } : await seedDemo(deps, opts.families ?? 3, { past: opts.past })
  const extra: (() => Promise<void>)[] = []
  const snapshots: DbSnapshot[] = []
  return {
    app: createApp(deps),
    db,
    deps,
    logs,
    clock,
    demo,
    kind: db.kind,
    async secondApp(notifier2 = memoryNotifier()) {
      if (!url) throw new Error('secondApp needs TEST_DATABASE_URL')
      const db2 = openPostgres(url, { searchPath: schema, max: 20 })
      const close = async () => {
        await notifier2.close()
        await db2.close()
      }
      extra.push(close)
      return { app: createApp({ ...deps, db: db2, notifier: notifier2 }), db: db2, close }
    },
    async snapshot() {
      const snap = await snapshotDb(db)
      snapshots.push(snap)
      return snap
    },
    async close() {
      for (const c of extra) await c().catch(() => undefined)
      for (const s of snapshots) await s.drop().catch(() => undefined)
      await notifier.close().catch(() => undefined)
      await db.close().catch(() => undefined) // a test may have closed it already
      if (admin) {
        await admin.exec(`DROP SCHEMA ${schema} CASCADE`)
        await admin.close()
      }
    },
  }
}
