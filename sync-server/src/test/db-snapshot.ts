/**
 * A copy of a test database's rows, put back on demand: property tests take one after their setup
 * and restore it before every run, so each run (and each of fast-check's shrinking replays) starts
 * from the same world instead of the rows earlier runs left behind. A counterexample then fails on
 * its own, whatever ran before it.
 *
 * Works the same on PGlite and on Postgres (the schema on the search_path): every table of the
 * current schema is copied into a side schema; `restore()` empties them all (DELETE: for a few
 * hundred rows several times cheaper than TRUNCATE on Postgres, which makes new files) and copies
 * the rows back in one transaction, in foreign-key order, with the tables' own triggers off (the
 * office rollups and waiting counts are restored as rows, not recounted), and puts every sequence
 * back where it was. The app and its connections stay; in-memory state outside the database (a
 * test's phones and mirrors, the app's token cache) is the caller's to renew.
 */
import type { Db } from '../db/db.ts'

export interface DbSnapshot {
  restore(): Promise<void>
  /** Drops the side schema (a Postgres test schema is dropped with it anyway). */
  drop(): Promise<void>
}

const q = (name: string) => `"${name.replaceAll('"', '""')}"`

/** `perTable`: turn each table's triggers off and on even as a superuser (the other path, for its test). */
export async function snapshotDb(db: Db, opts: { perTable?: boolean } = {}): Promise<DbSnapshot> {
  const [{ schema } = { schema: 'public' }] = await db.query<{ schema: string }>('SELECT current_schema() AS schema')
  const side = `${schema}_snap_${Math.random().toString(36).slice(2, 8)}`
  const tables = (await db.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind = 'r' AND NOT c.relispartition ORDER BY c.relname`, [schema])).map((r) => r.name)
  // Referenced tables before the tables that reference them (a table referencing itself is one INSERT).
  const refs = await db.query<{ child: string; parent: string }>(
    `SELECT cc.relname AS child, pc.relname AS parent FROM pg_constraint k
       JOIN pg_class cc ON cc.oid = k.conrelid JOIN pg_namespace n ON n.oid = cc.relnamespace
       JOIN pg_class pc ON pc.oid = k.confrelid
      WHERE k.contype = 'f' AND n.nspname = $1 AND cc.relname <> pc.relname`, [schema])
  const ordered: string[] = []
  const visiting = new Set<string>()
  const visit = (t: string) => {
    if (ordered.includes(t)) return
    if (visiting.has(t)) throw new Error(`snapshotDb: foreign keys form a cycle through ${t}`)
    visiting.add(t)
    for (const r of refs) if (r.child === t) visit(r.parent)
    visiting.delete(t)
    ordered.push(t)
  }
  for (const t of tables) visit(t)

  const columns = new Map<string, string>()
  for (const t of tables) {
    const cols = await db.query<{ name: string }>(
      `SELECT attname AS name FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = '' ORDER BY attnum`,
      [`${q(schema)}.${q(t)}`])
    columns.set(t, cols.map((c) => q(c.name)).join(', '))
  }
  const sequences = await db.query<{ name: string; last: string | number | null; start: string | number }>(
    'SELECT sequencename AS name, last_value AS last, start_value AS start FROM pg_sequences WHERE schemaname = $1', [schema])

  await db.exec([
    `CREATE SCHEMA ${q(side)}`,
    ...tables.map((t) => `CREATE ${db.kind === 'postgres' ? 'UNLOGGED ' : ''}TABLE ${q(side)}.${q(t)} AS SELECT ${columns.get(t)} FROM ${q(schema)}.${q(t)}`),
  ].join(';\n'))

  // The tables' triggers must not fire while rows are put back. A superuser (PGlite's; the usual test
  // role) turns them all off for the transaction (session_replication_role: foreign-key checks too,
  // the rows being the ones that held together before); another role turns each table's own off and
  // on again, which costs a catalogue change per table, after the deferred foreign-key checks ran
  // (ALTER TABLE refuses while a table has trigger events pending).
  const [{ isSuper } = { isSuper: false }] = await db.query<{ isSuper: boolean }>('SELECT rolsuper AS "isSuper" FROM pg_roles WHERE rolname = current_user')
  const superuser = isSuper && !opts.perTable
  const triggers = (on: boolean) => (superuser ? [] : tables.map((t) => `ALTER TABLE ${q(schema)}.${q(t)} ${on ? 'ENABLE' : 'DISABLE'} TRIGGER USER`))
  const script = [
    superuser ? 'SET LOCAL session_replication_role = replica' : '',
    ...triggers(false),
    ...[...ordered].reverse().map((t) => `DELETE FROM ${q(schema)}.${q(t)}`),
    ...ordered.map((t) => `INSERT INTO ${q(schema)}.${q(t)} (${columns.get(t)}) OVERRIDING SYSTEM VALUE SELECT ${columns.get(t)} FROM ${q(side)}.${q(t)}`),
    superuser ? '' : 'SET CONSTRAINTS ALL IMMEDIATE',
    ...triggers(true),
    ...sequences.map((s) =>
      s.last === null
        ? `SELECT setval('${q(schema)}.${q(s.name)}', ${Number(s.start)}, false)`
        : `SELECT setval('${q(schema)}.${q(s.name)}', ${Number(s.last)}, true)`),
  ].filter(Boolean).join(';\n')

  return {
    async restore() {
      await db.transaction((tx) => tx.exec(script))
    },
    async drop() {
      await db.exec(`DROP SCHEMA IF EXISTS ${q(side)} CASCADE`)
    },
  }
}
