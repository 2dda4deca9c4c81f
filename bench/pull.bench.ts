/**
 * `npm run bench:pull`: how long a pull takes for a family with 10 new changes since its cookie, with
 * 10 thousand and with 1 million bookings in the database. Goal (issue 3): the larger within 1.5× of
 * the smaller — a pull costs the changes since the cookie, not the size of the database.
 *
 * One scratch database, one server process (demo seed: the program, its providers and sessions, a few
 * families). Other families' history is bulk-loaded with INSERT … SELECT generate_series: families,
 * children, vouchers, a year of past sessions, and bookings on them (delivered, cancelled, liquidated),
 * each with the row_versions rows the server would have written (family:/orders:/catalog: spaces),
 * all consistent with the schema's keys and CHECKs. Foreign-key triggers are skipped while loading
 * (session_replication_role = replica): the rows are consistent by construction, and a million FK
 * lookups would only slow the load.
 *
 * The measured family FAM-0001 pulls (cookie C), then makes 10 changes through the real push path
 * (2 booking requests: 2 bookings, 2 vouchers, 2 sessions; 4 child upserts), then the same pull with
 * cookie C is timed many times (a pull writes nothing, so every run answers the same 10 changes).
 * BENCH_BOOKINGS_SMALL / BENCH_BOOKINGS_LARGE / BENCH_PULLS change the sizes.
 */
import { ENTITY_NAMES, receives } from '../shared/entities/registry.ts'
import { gzipSync } from 'node:zlib'
import pg from 'pg'
import { activate, closeConnections, fmt, pull, push, scratchDatabase, startServerProcess } from './lib.ts'

const SMALL = Number(process.env.BENCH_BOOKINGS_SMALL ?? 10_000)
const LARGE = Number(process.env.BENCH_BOOKINGS_LARGE ?? 1_000_000)
const PULLS = Number(process.env.BENCH_PULLS ?? 300)
const BOOKINGS_PER_FAMILY = 20
const PAST_SESSIONS = 5_000

/** Adds families, children, vouchers, past sessions and bookings until there are `total` bulk bookings. */
async function bulkLoad(sql: pg.Client, from: number, to: number): Promise<void> {
  if (to <= from) return
  const famFrom = Math.floor(from / BOOKINGS_PER_FAMILY)
  const famTo = Math.ceil(to / BOOKINGS_PER_FAMILY)
  await sql.query('BEGIN')
  await sql.query('SET LOCAL session_replication_role = replica')
  // Families n: bfam-n with one child bchd-n and its voucher (all spent or returned: balance = amount).
  await sql.query(`INSERT INTO families (id, program_id, name) SELECT 'bfam-' || n, 'prg-conciliare', 'Famiglia ' || n
    FROM generate_series($1::int, $2::int - 1) n ON CONFLICT DO NOTHING`, [famFrom, famTo])
  await sql.query(`INSERT INTO children (id, family_id, first_name, birth_date)
    SELECT 'bchd-' || n, 'bfam-' || n, 'Bimbo', date '2016-01-01' + (n % 2000) FROM generate_series($1::int, $2::int - 1) n ON CONFLICT DO NOTHING`, [famFrom, famTo])
  await sql.query(`INSERT INTO vouchers (id, child_id, family_id, program_id, amount_cents, balance_cents, held_cents, spent_cents)
    SELECT 'bvch-' || n, 'bchd-' || n, 'bfam-' || n, 'prg-conciliare', 30000, 30000, 0, 0 FROM generate_series($1::int, $2::int - 1) n ON CONFLICT DO NOTHING`, [famFrom, famTo])
  await sql.query(`INSERT INTO row_versions (space, entity, key, deleted${legacy})
    SELECT 'family:bfam-' || n, e.entity, e.prefix || n, false${legacyValue} FROM generate_series($1::int, $2::int - 1) n,
      (VALUES ('family', 'bfam-'), ('child', 'bchd-'), ('voucher', 'bvch-')) e(entity, prefix) ON CONFLICT DO NOTHING`, [famFrom, famTo])
  // Bookings k on past session k % PAST_SESSIONS: mostly delivered, some cancelled or liquidated, paid privately.
  await sql.query(`INSERT INTO bookings (id, child_id, family_id, session_id, service_id, provider_id, quantity, status,
      unit_price_cents, total_cents, voucher_cents, copay_cents, child_first_name, created_at, updated_at, delivered_at, delivered_quantity)
    SELECT 'bbk-' || k, 'bchd-' || (k / ${BOOKINGS_PER_FAMILY}), 'bfam-' || (k / ${BOOKINGS_PER_FAMILY}), s.id, s.service_id, s.provider_id, 1,
      (ARRAY['delivered', 'delivered', 'delivered', 'cancelled', 'liquidated'])[1 + k % 5], 1000, 1000, 0, 1000, 'Bimbo',
      s.starts_at - interval '7 days', s.starts_at, CASE WHEN k % 5 IN (3) THEN NULL ELSE s.ends_at END,
      -- A delivered booking says how much was delivered (migration 0008's CHECK): all of it.
      CASE WHEN k % 5 IN (3) THEN NULL ELSE 1 END
    FROM generate_series($1::int, $2::int - 1) k JOIN sessions s ON s.id = 'bses-' || (k % ${PAST_SESSIONS})`, [from, to])
  await sql.query(`INSERT INTO row_versions (space, entity, key, deleted${legacy})
    SELECT sp.space, 'booking', 'bbk-' || k, false${legacyValue} FROM generate_series($1::int, $2::int - 1) k
      JOIN sessions s ON s.id = 'bses-' || (k % ${PAST_SESSIONS}),
      LATERAL (VALUES ('family:bfam-' || (k / ${BOOKINGS_PER_FAMILY})), ('orders:' || s.provider_id)) sp(space)`, [from, to])
  await sql.query('COMMIT')
  // Every table the load grew, as autovacuum would after such a load: without fresh statistics the
  // server's prepared statements keep plans made for the small tables (children read by a sequential
  // scan of 50,000 rows, 3-7 ms a pull: the "large" figure measured the stale plan, not the pull).
  for (const table of ['families', 'children', 'vouchers', 'sessions', 'bookings', 'row_versions']) await sql.query(`VACUUM ANALYZE ${table}`)
}

/** A year of past sessions spread over the demo providers and services, with their row versions. */
async function pastSessions(sql: pg.Client): Promise<void> {
  await sql.query(`INSERT INTO sessions (id, service_id, provider_id, territory_id, starts_at, ends_at, places, places_left, unit_price_cents, units_max, status)
    SELECT 'bses-' || n, t.service_id, t.provider_id, t.territory_id, now() - interval '400 days' + n * interval '100 minutes',
      now() - interval '400 days' + n * interval '100 minutes' + interval '2 hours', 100000, 100000, 1000, 8, 'closed'
    FROM generate_series(0, ${PAST_SESSIONS - 1}) n
    JOIN (SELECT service_id, provider_id, territory_id, row_number() OVER (ORDER BY service_id, provider_id, territory_id) - 1 AS k, count(*) OVER () AS c
          FROM (SELECT DISTINCT service_id, provider_id, territory_id FROM sessions) d) t ON t.k = n % t.c`)
  await sql.query(`INSERT INTO row_versions (space, entity, key, deleted${legacy})
    SELECT 'catalog:' || provider_id, 'session', id, false${legacyValue} FROM sessions WHERE id LIKE 'bses-%'`)
}

/**
 * BENCH_SERVER_DIR may point at a checkout from before migration 0002 (per-space version counters):
 * bulk rows then get version 1, older than any cookie the measured family will hold.
 */
let legacy = ''
let legacyValue = ''

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN
}

const db = await scratchDatabase('bench_pull')
const server = await startServerProcess({ DATABASE_URL: db.url, DEMO: '1', DEMO_FAMILIES: '3', RATE_LIMITS: '0' })
const sql = new pg.Client(db.url)
try {
  await sql.connect()
  const hasXid = (await sql.query("SELECT 1 FROM information_schema.columns WHERE table_name = 'row_versions' AND column_name = 'xid'")).rowCount === 1
  if (!hasXid) [legacy, legacyValue] = [', version', ', 1']
  await pastSessions(sql)
  const token = await activate(server.url, 'FAM-0001')
  // Per child of FAM-0001, open sessions of services that fit its age.
  const fitting = (await sql.query<{ child: string; session: string }>(
    `SELECT c.id AS child, s.id AS session FROM children c, sessions s JOIN services v ON v.id = s.service_id
     WHERE c.family_id = 'fam-0001' AND s.status = 'open' AND s.starts_at > now() + interval '2 days' AND s.places_left > 4
       AND date_part('year', age(s.starts_at, c.birth_date)) BETWEEN v.age_min_years AND v.age_max_years
     ORDER BY c.id, s.starts_at`)).rows
  const children = [...new Set(fitting.map((r) => r.child))].slice(0, 2)
  const birthOf = new Map((await sql.query<{ id: string; birth: string }>(
    "SELECT id, to_char(birth_date, 'YYYY-MM-DD') AS birth FROM children WHERE family_id = 'fam-0001'")).rows.map((r) => [r.id, r.birth]))
  const sessionFor = (child: string, k: number) => {
    const list = fitting.filter((r) => r.child === child)
    return list[k % list.length]?.session
  }
  let round = 0

  async function measure(label: string) {
    round++
    const clientGroupId = `pull-bench-${round}`
    const base = await pull(server.url, token, clientGroupId, null)
    // 10 changes: 2 requests (2 bookings, 2 vouchers, 2 sessions) and 4 child upserts.
    const mutations = [
      ...children.map((childId, k) => ({ name: 'booking.request', args: { bookingId: `pb-${round}-${k}`, childId, sessionId: sessionFor(childId, round + k) } })),
      ...children.map((childId) => ({ name: 'child.upsert', args: { childId, firstName: `Nome${round}`, birthDate: birthOf.get(childId) } })),
      ...[1, 2].map((k) => ({ name: 'child.upsert', args: { childId: `chd-pull-${round}-${k}`, firstName: 'Nuovo', birthDate: '2021-03-03' } })),
    ]
    const results = await push(server.url, token, clientGroupId, mutations.map((m, i) => ({ id: i + 1, ...m, args: { ...m.args, ...(m.name === 'booking.request' ? { quantity: 1 } : {}) } })))
    const refused = results.filter((r) => r.status !== 'applied')
    if (refused.length > 0) throw new Error(`setup pushes refused: ${JSON.stringify(refused)}`)
    const first = await pull(server.url, token, clientGroupId, base.cookie)
    const times: number[] = []
    for (let i = 0; i < 30; i++) await pull(server.url, token, clientGroupId, base.cookie) // warm-up
    for (let i = 0; i < PULLS; i++) {
      const t0 = performance.now()
      await pull(server.url, token, clientGroupId, base.cookie)
      times.push(performance.now() - t0)
    }
    // What the database does for the "changed since the cookie" query (pull.service.ts), with this cookie.
    const snapshot = (JSON.parse(Buffer.from(base.cookie, 'base64url').toString('utf8')) as { s: string }).s
    const scope = (await sql.query<{ space: string }>(
      `SELECT 'program:prg-conciliare' AS space UNION ALL SELECT 'catalog:' || id FROM providers UNION ALL SELECT 'family:fam-0001'`)).rows.map((r) => r.space)
    const plan = !hasXid ? [] : (await sql.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF) SELECT entity, key, deleted FROM row_versions
       WHERE space = ANY($1::text[]) AND entity = ANY($3::text[])
         AND xid >= pg_snapshot_xmin($2::pg_snapshot) AND NOT pg_visible_in_snapshot(xid, $2::pg_snapshot)`,
      [scope, snapshot, ENTITY_NAMES.filter((e) => receives(e, 'parent'))])).rows.map((r) => r['QUERY PLAN'])
    const [{ n: bookings }] = (await sql.query<{ n: string }>('SELECT count(*) AS n FROM bookings')).rows as [{ n: string }]
    const [{ n: versions }] = (await sql.query<{ n: string }>('SELECT count(*) AS n FROM row_versions')).rows as [{ n: string }]
    const out = { label, bookings: Number(bookings), versions: Number(versions), changes: first.changes.length, median: quantile(times, 0.5), p95: quantile(times, 0.95) }
    const node = plan.find((l) => /Scan/.test(l))?.trim() ?? '?'
    const buffers = plan.find((l) => /Buffers/.test(l))?.trim() ?? ''
    console.log(`  ${label.padEnd(6)} ${fmt(out.bookings).padStart(9)} bookings, ${fmt(out.versions).padStart(9)} row versions: ` +
      `${out.changes} changes; median ${fmt(out.median, 2)} ms, p95 ${fmt(out.p95, 2)} ms over ${PULLS} pulls ` +
      `(a first pull: ${base.changes.length} rows, ${fmt(Buffer.byteLength(JSON.stringify(base)) / 1024)} KiB of JSON, ` +
      `${fmt(gzipSync(JSON.stringify(base)).length / 1024)} KiB gzipped as a browser gets it)`)
    console.log(`         changed-since-cookie query: ${node}; ${buffers}`)
    return out
  }

  console.log(`bench:pull — a family with 10 new changes since its cookie, HTTP pull on Postgres ${db.url.replace(/\/\/.*@/, '//…@')}`)
  let t0 = performance.now()
  await bulkLoad(sql, 0, SMALL)
  console.log(`  (loaded ${fmt(SMALL)} bookings in ${fmt((performance.now() - t0) / 1000, 1)} s)`)
  const small = await measure('small')
  t0 = performance.now()
  const STEP = 250_000
  for (let from = SMALL; from < LARGE; from += STEP) await bulkLoad(sql, from, Math.min(LARGE, from + STEP))
  console.log(`  (loaded up to ${fmt(LARGE)} bookings in ${fmt((performance.now() - t0) / 1000, 1)} s)`)
  const large = await measure('large')
  console.log(`  RATIO large/small: median ${fmt(large.median / small.median, 2)}, p95 ${fmt(large.p95 / small.p95, 2)}   (goal <= 1.5)`)
} finally {
  await closeConnections()
  await sql.end().catch(() => undefined)
  await server.stop()
  await db.drop()
}
