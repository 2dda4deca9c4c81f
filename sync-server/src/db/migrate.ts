/**
 * Numbered plain-SQL migrations (`migrations/NNNN_name.sql`), applied in order at start-up and
 * recorded in `schema_migrations`; never edited once landed. All pending files run in ONE transaction
 * holding an advisory lock, so two processes starting at once on one Postgres cannot both apply them
 * (the second waits, then finds nothing left to do). A file numbered before the latest applied one
 * is an error: it would mean someone inserted a migration into the past.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Db } from './db.ts'

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url))
const MIGRATION_LOCK = 72_731_101 // arbitrary, constant: "conciliapp migrations"

export interface Migration {
  version: number
  name: string
  sql: string
}

export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.sql')).sort()
  const migrations = files.map((file) => {
    const m = /^(\d{4})_([a-z0-9_]+)\.sql$/.exec(file)
    if (!m) throw new Error(`migration file name must be NNNN_name.sql: ${file}`)
    return { version: Number(m[1]), name: m[2] ?? file, sql: readFileSync(`${dir}/${file}`, 'utf8') }
  })
  // Numbers only go up, each used once. Gaps are allowed: numbers are handed out ahead to work done in
  // parallel (a branch may carry 0009 before 0005 lands); one landing late is still refused by
  // `migrate` below (numbered before the latest applied).
  migrations.forEach((m, i) => {
    const before = migrations[i - 1]
    if (before && m.version <= before.version) throw new Error(`migration number used twice: ${m.version}_${m.name}`)
  })
  return migrations
}

/** Applies what is pending; returns the names applied now. */
export async function migrate(db: Db, migrations = loadMigrations()): Promise<string[]> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK])
    await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`)
    const rows = await tx.query<{ version: number }>('SELECT version FROM schema_migrations')
    const applied = new Set(rows.map((r) => r.version))
    const latest = Math.max(0, ...applied)
    const pending = migrations.filter((m) => !applied.has(m.version))
    const misplaced = pending.find((m) => m.version < latest)
    if (misplaced) throw new Error(`migration ${misplaced.version}_${misplaced.name} is numbered before the latest applied (${latest})`)
    for (const m of pending) {
      await tx.exec(m.sql)
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name])
    }
    return pending.map((m) => `${String(m.version).padStart(4, '0')}_${m.name}`)
  })
}
