/**
 * `npm run bench:push`: applied mutations per second through the real HTTP push path on Postgres,
 * 32 families pushing at once (one mutation per request, each family waiting for its answer before
 * the next, as a phone does), against the raw database doing the bare equivalent (one conditional
 * place update + one insert per transaction) at the same concurrency, in the same run.
 * Goal (issue 3): ratio >= 0.40.
 */
import pg from 'pg'
import { activate, addBenchSessions, concurrently, fmt, push, scratchDatabase, startServerProcess } from './lib.ts'

const FAMILIES = Number(process.env.BENCH_FAMILIES ?? 32)
const PER_FAMILY = Number(process.env.BENCH_PER_FAMILY ?? 100)
const SESSIONS = 64

const db = await scratchDatabase('bench_push')
const server = await startServerProcess({ DATABASE_URL: db.url, DEMO: '1', DEMO_FAMILIES: String(FAMILIES) })
const sql = new pg.Client(db.url)
try {
  await sql.connect()
  const sessions = await addBenchSessions(sql, SESSIONS)
  const families = Array.from({ length: FAMILIES }, (_, i) => String(i + 1).padStart(4, '0'))
  const tokens = await Promise.all(families.map((f) => activate(server.url, `FAM-${f}`)))
  const pick = (w: number, i: number) => sessions[(w * 7 + i * 13) % SESSIONS]!
  const child = (w: number, i: number) => `chd-${families[w]}-${(i % 2) + 1}`

  // Warm-up: JIT, connection pool, plan caches.
  await concurrently(FAMILIES, async (w) => {
    for (let i = 1; i <= 5; i++) {
      await push(server.url, tokens[w]!, `bench-${w}`, [
        { id: i, name: 'booking.request', args: { bookingId: `w-${w}-${i}`, childId: child(w, i), sessionId: pick(w, i), quantity: 1 } },
      ])
    }
  })
  const stats0 = (await sql.query<{ xact_commit: string }>('SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()')).rows

  let applied = 0
  let other = 0
  const pushMs = await concurrently(FAMILIES, async (w) => {
    for (let i = 6; i < 6 + PER_FAMILY; i++) {
      const [r] = await push(server.url, tokens[w]!, `bench-${w}`, [
        { id: i, name: 'booking.request', args: { bookingId: `b-${w}-${i}`, childId: child(w, i), sessionId: pick(w, i), quantity: 1 } },
      ])
      if (r?.status === 'applied') applied++
      else other++
    }
  })
  const stats1 = (await sql.query<{ xact_commit: string }>('SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()')).rows
  const pushRate = applied / (pushMs / 1000)

  // The same HTTP round trips doing nothing: how much is transport + JSON + auth-less routing.
  const healthMs = await concurrently(FAMILIES, async () => {
    for (let i = 0; i < PER_FAMILY; i++) await (await fetch(`${server.url}/api/health`)).json()
  })
  const healthRate = (FAMILIES * PER_FAMILY) / (healthMs / 1000)

  // Raw baseline: bare conditional place update + insert per transaction, same concurrency.
  await sql.query(`CREATE TABLE raw_sessions (id text PRIMARY KEY, places_left int NOT NULL CHECK (places_left >= 0));
    CREATE TABLE raw_bookings (id text PRIMARY KEY, session_id text NOT NULL, child_id text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());`)
  await sql.query('INSERT INTO raw_sessions SELECT id, 100000 FROM unnest($1::text[]) AS id', [sessions])
  const pool = new pg.Pool({ connectionString: db.url, max: FAMILIES })
  let rawDone = 0
  const rawMs = await concurrently(FAMILIES, async (w) => {
    const c = await pool.connect()
    try {
      for (let i = 0; i < PER_FAMILY; i++) {
        await c.query('BEGIN')
        const r = await c.query('UPDATE raw_sessions SET places_left = places_left - 1 WHERE id = $1 AND places_left >= 1', [pick(w, i)])
        if (r.rowCount === 1) await c.query('INSERT INTO raw_bookings (id, session_id, child_id) VALUES ($1, $2, $3)', [`r-${w}-${i}`, pick(w, i), child(w, i)])
        await c.query('COMMIT')
        rawDone++
      }
    } finally {
      c.release()
    }
  })
  await pool.end()
  const rawRate = rawDone / (rawMs / 1000)
  const txPerMutation = (Number(stats1[0]!.xact_commit) - Number(stats0[0]!.xact_commit)) / (applied + other)

  console.log(`bench:push — ${FAMILIES} concurrent families × ${PER_FAMILY} pushes of 1 mutation, Postgres ${db.url.replace(/\/\/.*@/, '//…@')}`)
  console.log(`  push path     ${fmt(pushRate)} applied mutations/s  (${applied} applied, ${other} not, ${fmt(pushMs)} ms)`)
  console.log(`  raw database  ${fmt(rawRate)} transactions/s        (${rawDone} in ${fmt(rawMs)} ms)`)
  console.log(`  RATIO         ${fmt(pushRate / rawRate, 2)}   (goal >= 0.40)`)
  console.log(`  where the time goes: empty HTTP round trips alone run at ${fmt(healthRate)}/s;`)
  console.log(`    ${fmt(txPerMutation, 2)} database transactions committed per mutation (incl. auth and the server's own reads)`)
} finally {
  await sql.end().catch(() => undefined)
  await server.stop()
  await db.drop()
}
