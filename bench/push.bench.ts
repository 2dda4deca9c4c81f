/**
 * `npm run bench:push`: applied mutations per second through the real HTTP push path on Postgres,
 * 32 families pushing at once (one mutation per request, each family waiting for its answer before
 * the next, as a phone does), against the raw database doing the bare equivalent (one conditional
 * place update + one insert per transaction) at the same concurrency, in the same run.
 * Goal (issue 3): ratio >= 0.40.
 *
 * The raw baseline runs before AND after the push phase and the ratio uses their mean: the bench
 * machine is shared, and load from other processes moves between phases. "Where the time goes" prints
 * the CPU each party used per mutation (this load generator, the server process(es), this database's
 * Postgres backends), the machine's CPU meanwhile (what other processes took), what the database
 * connections were doing, and the statements and round trips one push costs.
 *
 * BENCH_PROCESSES=2: the families are spread over two server processes on the same database
 * (docs/scaling.md). BENCH_FAMILIES, BENCH_PER_FAMILY: the load; BENCH_WARMUP: pushes per family before
 * measuring. A server runs for days; its steady state is the figure. After 5 warm-up pushes the server
 * spent 0.43 ms of CPU per push, after 50 it spent 0.28: the difference is warm-up (code not yet
 * optimised, and the JIT compiling on threads of its own, whose CPU counts as the server's). Rate limits are off in the servers
 * under test (RATE_LIMITS=0): the 32 "phones" all come from 127.0.0.1, and the per-address limit is
 * a flood guard for one real client address, not a capacity limit.
 */
import pg from 'pg'
import { createApp } from '../sync-server/src/app.ts'
import type { Db, TxQueryable } from '../sync-server/src/db/db.ts'
import { openPostgres } from '../sync-server/src/db/postgres.ts'
import { systemClock } from '../sync-server/src/deps.ts'
import { defaultRateLimits } from '../sync-server/src/env.ts'
import { memoryNotifier } from '../sync-server/src/services/notify/notifier.ts'
import {
  activate, activitySampler, closeConnections, addBenchSessions, topUpVouchers, backendMeter, concurrently, cpuSeconds, fmt, machineCpu, push, request,
  scratchDatabase, startServerProcess, type ServerProcess,
} from './lib.ts'

const FAMILIES = Number(process.env.BENCH_FAMILIES ?? 32)
const PER_FAMILY = Number(process.env.BENCH_PER_FAMILY ?? 200)
const WARMUP = Number(process.env.BENCH_WARMUP ?? 50)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5)
const PROCESSES = Number(process.env.BENCH_PROCESSES ?? 1)
const BATCH = Number(process.env.BENCH_BATCH ?? 10)
// ≥ the pushes per family (warm-up + rounds + batched): a child holds one live booking of a session, so a
// family must never come back to a session (13 is prime to 512: i → 13 i mod 512 repeats only after 512).
const SESSIONS = 512

/** Counts what the push path asks of the database: statements, and bursts of them (one socket write each: round trips). */
function countingDb(db: Db) {
  const counts = { statements: 0, roundTrips: 0 }
  let burst = false
  const mark = (n = 1) => {
    counts.statements += n
    if (burst) return
    burst = true
    counts.roundTrips++
    process.nextTick(() => (burst = false)) // the adapter sends a burst of statements in one write
  }
  const wrapTx = (tx: TxQueryable): TxQueryable => ({
    query: (sql, params) => (mark(), tx.query(sql, params)),
    send: (sql, params) => (mark(), tx.send(sql, params)),
    exec: (sql) => tx.exec(sql),
  })
  const counted: Db = {
    ...db,
    query: (sql, params) => (mark(), db.query(sql, params)),
    transaction: (fn, opts) =>
      db.transaction(async (tx) => {
        // BEGIN: the adapter sends it once it holds a connection, in the same burst (socket write) as
        // the statements the transaction issues before its first wait. (Counted before the connection
        // was checked out, it looked like a round trip of its own: "3.1 round trips" until 2026-11-25,
        // when the socket writes were 2.0 per push.)
        mark()
        const result = await fn(wrapTx(tx))
        counts.statements++ // COMMIT, sent with the last statements
        return result
      }, opts),
  }
  return { db: counted, counts }
}

/** A family the measured pushes never use (one child holds one live booking of a session). */
const ANATOMY_FAMILY = `FAM-${String(FAMILIES + 1).padStart(4, '0')}`

/** One applied booking request at a time through an in-process app: what it asks of the database. */
async function anatomy(url: string, sessions: string[]) {
  const real = openPostgres(url, { max: 2 })
  const { db, counts } = countingDb(real)
  try {
    const app = createApp({ db, clock: systemClock, notifier: memoryNotifier(), staticDir: null, rateLimits: { ...defaultRateLimits(), enabled: false }, demo: true })
    const res = await app.request('/api/auth/activate', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: ANATOMY_FAMILY }) })
    const { token } = (await res.json()) as { token: string }
    const n = 20
    counts.statements = 0
    counts.roundTrips = 0
    for (let i = 1; i <= n; i++) {
      const body = { protocolVersion: 1, clientGroupId: 'anatomy', mutations: [{ clientId: 'anatomy', id: i, name: 'booking.request', createdAt: new Date().toISOString(),
        args: { bookingId: `anatomy-${i}`, childId: `chd-${ANATOMY_FAMILY.slice(4)}-${(i % 2) + 1}`, sessionId: sessions[i % sessions.length], quantity: 1 } }] }
      const r = await app.request('/api/sync/push', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) })
      const { results } = (await r.json()) as { results: { status: string }[] }
      if (results[0]?.status !== 'applied') throw new Error(`anatomy push ${i}: ${JSON.stringify(results)}`)
    }
    return { statements: counts.statements / n, roundTrips: counts.roundTrips / n }
  } finally {
    await real.close()
  }
}

const db = await scratchDatabase('bench_push')
const servers: ServerProcess[] = []
const sql = new pg.Client(db.url)
try {
  for (let p = 0; p < PROCESSES; p++) {
    servers.push(await startServerProcess({ DATABASE_URL: db.url, DEMO: '1', DEMO_FAMILIES: String(FAMILIES + 1), RATE_LIMITS: '0' }))
  }
  const serverOf = (w: number) => servers[w % servers.length]!.url
  await sql.connect()
  const sessions = await addBenchSessions(sql, SESSIONS)
  await topUpVouchers(sql)
  const families = Array.from({ length: FAMILIES }, (_, i) => String(i + 1).padStart(4, '0'))
  const tokens = await Promise.all(families.map((f, w) => activate(serverOf(w), `FAM-${f}`)))
  const pick = (w: number, i: number) => sessions[(w * 7 + i * 13) % SESSIONS]!
  const child = (w: number, i: number) => `chd-${families[w]}-${(i % 2) + 1}`
  const request1 = (w: number, i: number, prefix: string) =>
    push(serverOf(w), tokens[w]!, `bench-${w}`, [{ id: i, name: 'booking.request', args: { bookingId: `${prefix}-${w}-${i}`, childId: child(w, i), sessionId: pick(w, i), quantity: 1 } }])

  // Raw baseline: bare conditional place update + insert per transaction, same concurrency.
  await sql.query(`CREATE TABLE raw_sessions (id text PRIMARY KEY, places_left int NOT NULL CHECK (places_left >= 0));
    CREATE TABLE raw_bookings (id text PRIMARY KEY, session_id text NOT NULL, child_id text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());`)
  await sql.query('INSERT INTO raw_sessions SELECT id, 1000000 FROM unnest($1::text[]) AS id', [sessions])
  const rawPool = new pg.Pool({ connectionString: db.url, max: FAMILIES })
  let rawRound = 0
  /** `perFamily` bare transactions per family, all families at once. */
  const raw = async (perFamily: number) => {
    rawRound++
    let done = 0
    const stop = await backendMeter(sql, db.name)
    const self0 = process.cpuUsage()
    const ms = await concurrently(FAMILIES, async (w) => {
      const c = await rawPool.connect()
      try {
        for (let i = 0; i < perFamily; i++) {
          await c.query('BEGIN')
          const r = await c.query('UPDATE raw_sessions SET places_left = places_left - 1 WHERE id = $1 AND places_left >= 1', [pick(w, i)])
          if (r.rowCount === 1) await c.query('INSERT INTO raw_bookings (id, session_id, child_id) VALUES ($1, $2, $3)', [`r${rawRound}-${w}-${i}`, pick(w, i), child(w, i)])
          await c.query('COMMIT')
          done++
        }
      } finally {
        c.release()
      }
    })
    const self = process.cpuUsage(self0)
    return { rate: done / (ms / 1000), ms, done, cpu: { loadGenerator: (self.user + self.system) / 1e6, postgres: await stop() } }
  }

  // Warm-up: JIT, connection pools, prepared statements.
  await concurrently(FAMILIES, async (w) => {
    for (let i = 1; i <= WARMUP; i++) await request1(w, i, 'w')
  })
  await raw(PER_FAMILY)

  // Measured: ROUNDS slices of pushes, each between two slices of raw transactions. The machine's
  // speed drifts (other tenants, checkpoints); each push slice is compared with the raw slices right
  // before and after it, and the figure is the median of those ratios.
  const slice = Math.ceil(PER_FAMILY / ROUNDS)
  const commits = async () => Number((await sql.query<{ n: string }>('SELECT xact_commit AS n FROM pg_stat_database WHERE datname = current_database()')).rows[0]!.n)
  const walQuery = 'SELECT wal_records::int8 AS records, wal_bytes::int8 AS bytes, wal_sync::int8 AS syncs FROM pg_stat_wal'
  const wal = async () => (await sql.query<{ records: string; bytes: string; syncs: string }>(walQuery)).rows[0]!
  const totals = { applied: 0, other: 0, ms: 0, loadGenerator: 0, server: 0, postgres: 0, machineBusy: 0, commits: 0, walRecords: 0, walBytes: 0, walSyncs: 0 }
  const waitsPerSlice: Record<string, number>[] = []
  // Checkpoints make every write after them log whole pages for a while: counted per phase, they
  // explain a phase that ran slower than the others.
  const checkpoints = async () => Number((await sql.query<{ n: string }>('SELECT checkpoints_timed + checkpoints_req AS n FROM pg_stat_bgwriter')).rows[0]!.n)
  const checkpointsBefore = await checkpoints()
  const raws = [await raw(slice)]
  const ratios: number[] = []
  let next = WARMUP + 1
  for (let r = 0; r < ROUNDS; r++) {
    const first = next
    next += slice
    const [commits0, wal0, machine0] = [await commits(), await wal(), machineCpu()]
    const servers0 = servers.map((s) => cpuSeconds(s.pid()))
    const backends = await backendMeter(sql, db.name)
    const self0 = process.cpuUsage()
    const activity = activitySampler(db.url, db.name)
    let applied = 0
    const ms = await concurrently(FAMILIES, async (w) => {
      for (let i = first; i < first + slice; i++) {
        const [res] = await request1(w, i, 'b')
        if (res?.status === 'applied') applied++
        else totals.other++
      }
    })
    waitsPerSlice.push(await activity())
    const self = process.cpuUsage(self0)
    totals.postgres += await backends()
    totals.server += servers.reduce((sum, s, i) => sum + cpuSeconds(s.pid()) - (servers0[i] ?? 0), 0)
    totals.loadGenerator += (self.user + self.system) / 1e6
    const machine1 = machineCpu()
    totals.machineBusy += (['user', 'system', 'softirq', 'steal'] as const).reduce((sum, k) => sum + (machine1[k]! - machine0[k]!), 0)
    totals.commits += (await commits()) - commits0
    const wal1 = await wal()
    totals.walRecords += Number(wal1.records) - Number(wal0.records)
    totals.walBytes += Number(wal1.bytes) - Number(wal0.bytes)
    totals.walSyncs += Number(wal1.syncs) - Number(wal0.syncs)
    totals.applied += applied
    totals.ms += ms
    raws.push(await raw(slice))
    ratios.push(applied / (ms / 1000) / ((raws[r]!.rate + raws[r + 1]!.rate) / 2))
  }
  const median = (xs: number[]) => {
    const sorted = [...xs].sort((a, b) => a - b)
    const mid = Math.floor(sorted.length / 2)
    return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
  }
  const { applied, other } = totals
  const pushRate = applied / (totals.ms / 1000)
  const rawRate = raws.reduce((sum, x) => sum + x.done, 0) / (raws.reduce((sum, x) => sum + x.ms, 0) / 1000)
  const waits = Object.fromEntries(Object.keys(waitsPerSlice[0] ?? {}).map((k) => [k, waitsPerSlice.reduce((sum, w) => sum + (w[k] ?? 0), 0) / waitsPerSlice.length]))
  await rawPool.end()

  const roundsCheckpoints = (await checkpoints()) - checkpointsBefore
  // A phone back online pushes its whole outbox at once: the same work, BATCH mutations per request
  // (decided as one batch). Shows how much of the single-mutation figure is HTTP per request.
  let batchedApplied = 0
  let batchedAll = 0
  const firstBatchedId = next
  const batchedCommits0 = await commits()
  const batchedServers0 = servers.map((s) => cpuSeconds(s.pid()))
  const batchedMs = await concurrently(FAMILIES, async (w) => {
    for (let start = firstBatchedId; start < firstBatchedId + PER_FAMILY; start += BATCH) {
      const ids = Array.from({ length: Math.min(BATCH, firstBatchedId + PER_FAMILY - start) }, (_, k) => start + k)
      const results = await push(serverOf(w), tokens[w]!, `bench-${w}`, ids.map((i) => ({
        id: i, name: 'booking.request', args: { bookingId: `q-${w}-${i}`, childId: child(w, i), sessionId: pick(w, i), quantity: 1 },
      })))
      batchedApplied += results.filter((r) => r.status === 'applied').length
      batchedAll += results.length
    }
  })
  const batchedCommits = ((await commits()) - batchedCommits0) / Math.max(1, batchedAll)
  const batchedServerCpu = servers.reduce((sum, s, i) => sum + cpuSeconds(s.pid()) - (batchedServers0[i] ?? 0), 0) / Math.max(1, batchedAll)
  const batchedRate = batchedApplied / (batchedMs / 1000)
  const batchedCheckpoints = (await checkpoints()) - checkpointsBefore - roundsCheckpoints

  // The same HTTP round trips doing nothing but one tiny query: transport + routing.
  const healthMs = await concurrently(FAMILIES, async (w) => {
    for (let i = 0; i < PER_FAMILY; i++) JSON.parse((await request(`${serverOf(w)}/api/health`, 'GET')).text)
  })
  const healthRate = (FAMILIES * PER_FAMILY) / (healthMs / 1000)
  // (In-process, with this checkout's code: skipped when the servers under test are another checkout's.)
  const perPush = process.env.BENCH_SERVER_DIR ? null : await anatomy(db.url, sessions)

  const n = applied + other
  const ms = (sec: number) => fmt((sec * 1000) / n, 3)
  const ours = totals.loadGenerator + totals.server + totals.postgres
  const rawCpu = raws.reduce((sum, x) => sum + x.cpu.loadGenerator + x.cpu.postgres, 0) / raws.reduce((sum, x) => sum + x.done, 0)

  console.log(`bench:push — ${FAMILIES} concurrent families × ${slice * ROUNDS} pushes of 1 mutation in ${ROUNDS} rounds (after ${WARMUP} each to warm up), ${PROCESSES} server process${PROCESSES > 1 ? 'es' : ''}, Postgres ${db.url.replace(/\/\/.*@/, '//…@')}`)
  console.log(`  push path     ${fmt(pushRate)} applied mutations/s  (${applied} applied, ${other} not, ${fmt(totals.ms)} ms)`)
  console.log(`  raw database  ${fmt(rawRate)} transactions/s        (slices: ${raws.map((x) => fmt(x.rate)).join(', ')})`)
  console.log(`  RATIO         ${fmt(median(ratios), 2)}   median of the ${ROUNDS} rounds (${ratios.map((x) => fmt(x, 2)).join(', ')}); all rounds together ${fmt(pushRate / rawRate, 2)}   (goal >= 0.40)`)
  console.log(`  batched       ${fmt(batchedRate)} applied mutations/s with ${BATCH} mutations per push (a phone draining its outbox): ratio ${fmt(batchedRate / rawRate, 2)}` +
    ` (${batchedApplied} of ${batchedAll} applied; ${fmt(batchedCommits, 3)} commits and ${fmt(batchedServerCpu * 1000, 3)} ms of server CPU per mutation)`)
  console.log(`  checkpoints   ${roundsCheckpoints} during the rounds, ${batchedCheckpoints} during the batched phase (whole cluster)`)
  console.log('  where the time goes:')
  console.log(`    CPU per applied push: load generator ${ms(totals.loadGenerator)} ms, server${PROCESSES > 1 ? 's' : ''} ${ms(totals.server)} ms, ` +
    `Postgres backends ${ms(totals.postgres)} ms  (raw transaction: ${fmt(rawCpu * 1000, 3)} ms in all)`)
  console.log(`    machine (${fmt(totals.machineBusy, 1)} CPU-s busy of ${fmt((totals.ms / 1000) * 2, 1)} on 2 cores): this run ${fmt((100 * ours) / totals.machineBusy)}%, other processes ${fmt((100 * (totals.machineBusy - ours)) / totals.machineBusy)}%`)
  console.log(`    one push: ${perPush ? `${fmt(perPush.statements, 1)} statements in ${fmt(perPush.roundTrips, 1)} round trips to the database (auth included); ` : ''}` +
    `${fmt(totals.commits / n, 2)} commits per mutation; batches that failed and were decided one by one, in the whole run: ` +
    `${servers.reduce((sum, s) => sum + (s.output().match(/push batch of \d+ failed/g)?.length ?? 0), 0)}`)
  console.log(`    WAL per push (whole cluster, so other databases' writes count too): ${fmt(totals.walRecords / n, 1)} records, ` +
    `${fmt(totals.walBytes / n)} bytes, ${fmt(totals.walSyncs / n, 2)} flushes (below 1: commits flushed together)`)
  console.log(`    database connections, on average: ${Object.entries(waits).map(([k, v]) => `${fmt(v, 1)} ${k}`).join(', ')}`)
  console.log(`    empty HTTP round trips (GET /api/health) alone: ${fmt(healthRate)}/s`)
} finally {
  await closeConnections()
  await sql.end().catch(() => undefined)
  for (const s of servers) await s.stop()
  await db.drop()
}
