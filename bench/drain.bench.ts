/**
 * `npm run bench:drain`: a phone comes back online with 1,000 queued mutations. It drains them the
 * way the client sync engine does (client/src/sync/engine.ts): push the first PUSH_BATCH (100,
 * client/src/sync/push.ts) of the outbox, pull (acknowledging the refusals it stored), repeat until
 * the pull reports every mutation processed. Goal (issue 3): all have results in under 2 s on the
 * local machine; also printed: the server process's memory meanwhile (VmRSS sampled every 5 ms, and
 * VmHWM, the process's peak since it started).
 *
 * The queue is a realistic mix for one family with two children: mostly booking requests that apply
 * and cancels of earlier ones; some refused — requests for a session that is full (capacity-full,
 * with alternatives), for one that does not exist (not-found), cancels of a booking already
 * cancelled (invalid-state), a second request of a session for a child who still holds one
 * (invalid-state already-booked, since issue 10) — and a few child upserts: renames, each copied onto
 * the child's bookings. A rename keeps the child's birth date (since issue 10 a child with a voucher has
 * its birth date changed by the office only: a phone's upsert with another one is refused
 * birth-date-by-office) and names its change (`changeId`, as the phone does). The refusals are
 * counted by code against what the mix expects, so a rule that starts refusing more shows where.
 * Server as its own process on a scratch Postgres, rate limits on (as in production).
 */
import { readFileSync } from 'node:fs'
import pg from 'pg'
import { PUSH_BATCH } from '../client/src/sync/push.ts'
import { activate, closeConnections, addBenchSessions, fmt, pull, push, scratchDatabase, startServerProcess, type PushMutation } from './lib.ts'

const QUEUED = Number(process.env.BENCH_QUEUED ?? 1000)

function memory(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0)
  return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 }
}

type Expected = Record<'capacity-full' | 'not-found' | 'invalid-state', number>

/**
 * The outbox: QUEUED mutations, ids 1…QUEUED, for family FAM-0001 (children chd-0001-1/2, whose
 * seeded birth dates are `birthDates`); and the refusals it must get, by code.
 */
function outbox(sessions: string[], fullSession: string, birthDates: ReadonlyMap<string, string>): { mutations: PushMutation[]; expected: Expected } {
  const mutations: PushMutation[] = []
  const requested: string[] = []
  const cancelled: string[] = []
  /** child/session → the live booking of that pair: a second request for the pair is refused (already-booked). */
  const live = new Map<string, string>()
  const pairOf = new Map<string, string>()
  const expected: Expected = { 'capacity-full': 0, 'not-found': 0, 'invalid-state': 0 }
  for (let id = 1; id <= QUEUED; id++) {
    const roll = (id * 37) % 100
    const child = `chd-0001-${(id % 2) + 1}`
    if (roll < 55 || requested.length === 0) {
      const bookingId = `drain-${id}`
      const sessionId = sessions[id % sessions.length] as string
      const pair = `${child}/${sessionId}`
      if (live.has(pair)) {
        expected['invalid-state']++ // already-booked
      } else {
        live.set(pair, bookingId)
        pairOf.set(bookingId, pair)
        requested.push(bookingId)
      }
      mutations.push({ id, name: 'booking.request', args: { bookingId, childId: child, sessionId, quantity: 1 } })
    } else if (roll < 80) {
      const bookingId = requested.shift() as string
      live.delete(pairOf.get(bookingId) as string)
      cancelled.push(bookingId)
      mutations.push({ id, name: 'booking.cancel', args: { bookingId } })
    } else if (roll < 85) {
      expected['capacity-full']++
      mutations.push({ id, name: 'booking.request', args: { bookingId: `drain-full-${id}`, childId: child, sessionId: fullSession, quantity: 1 } })
    } else if (roll < 90) {
      expected['not-found']++
      mutations.push({ id, name: 'booking.request', args: { bookingId: `drain-nf-${id}`, childId: child, sessionId: 'ses-does-not-exist', quantity: 1 } })
    } else if (roll < 95 && cancelled.length > 0) {
      expected['invalid-state']++ // already cancelled
      mutations.push({ id, name: 'booking.cancel', args: { bookingId: cancelled[id % cancelled.length] } })
    } else {
      const childId = `chd-0001-${(id % 2) + 1}`
      mutations.push({ id, name: 'child.upsert', args: { childId, changeId: `drain-change-${id}`, firstName: `Nome${id}`, birthDate: birthDates.get(childId) } })
    }
  }
  return { mutations, expected }
}

const db = await scratchDatabase('bench_drain')
const server = await startServerProcess({ DATABASE_URL: db.url, DEMO: '1', DEMO_FAMILIES: '3' })
const sql = new pg.Client(db.url)
try {
  await sql.connect()
  // 320 sessions: a child's requests spread over them, so few are second requests of a session the
  // child still holds (62 of the 550 requests; with 32 sessions 283 would be, since issue 10 refuses them).
  const sessions = await addBenchSessions(sql, 320)
  // A session of the same service with no place left: requests for it are refused capacity-full.
  const [full] = (await sql.query<{ id: string }>(
    `INSERT INTO sessions (id, service_id, provider_id, territory_id, starts_at, ends_at, places, places_left, unit_price_cents, units_max, status)
     SELECT 'ses-bench-full', service_id, provider_id, territory_id, starts_at, ends_at, 1, 0, unit_price_cents, units_max, status
     FROM sessions WHERE id = $1 RETURNING id`, [sessions[0]])).rows
  const token = await activate(server.url, 'FAM-0001')
  const clientId = 'drain-phone'
  // The phone had synced before going offline: it holds a cookie.
  let cookie: string | null = (await pull(server.url, token, clientId, null)).cookie
  const children = await sql.query<{ id: string; birth: string }>(`SELECT id, to_char(birth_date, 'YYYY-MM-DD') AS birth FROM children WHERE family_id = 'fam-0001'`)
  const { mutations, expected } = outbox(sessions, full?.id ?? 'ses-bench-full', new Map(children.rows.map((c) => [c.id, c.birth])))

  const before = memory(server.pid())
  let peak = before.rss
  const sampler = setInterval(() => {
    peak = Math.max(peak, memory(server.pid()).rss)
  }, 5)
  let acked: Record<string, number> = {}
  let last = 0
  let pushes = 0
  let pulls = 0
  let refused = 0
  let pushMs = 0
  let pullMs = 0
  const refusedBy = new Map<string, number>()
  let changes = 0
  const t0 = performance.now()
  while (last < QUEUED) {
    const batch = mutations.filter((m) => m.id > last).slice(0, PUSH_BATCH)
    const tPush = performance.now()
    const results = await push(server.url, token, clientId, batch)
    pushMs += performance.now() - tPush
    pushes++
    for (const r of results) {
      if (r.status !== 'rejected') continue
      refused++
      const code = r.code ?? 'no code'
      refusedBy.set(code, (refusedBy.get(code) ?? 0) + 1)
    }
    const tPull = performance.now()
    const answer = await pull(server.url, token, clientId, cookie, acked)
    pullMs += performance.now() - tPull
    pulls++
    cookie = answer.cookie
    changes += answer.changes.length
    acked = { ...acked }
    for (const r of answer.results) acked[r.clientId] = Math.max(acked[r.clientId] ?? 0, r.id)
    last = answer.lastMutationIds[clientId] ?? last
  }
  const ms = performance.now() - t0
  clearInterval(sampler)
  const after = memory(server.pid())
  peak = Math.max(peak, after.rss)

  console.log(`bench:drain — one phone, ${QUEUED} queued mutations, pushed ${PUSH_BATCH} at a time with a pull after each push (as client/src/sync/engine.ts)`)
  console.log(`  all ${QUEUED} have results after ${fmt(ms)} ms   (goal < 2,000 ms)`)
  const expectedRefusals = Object.values(expected).reduce((a, b) => a + b, 0)
  const byCode = (m: ReadonlyMap<string, number> | Expected) => [...(m instanceof Map ? m : Object.entries(m))].map(([k, n]) => `${n} ${k}`).join(', ')
  console.log(`    ${pushes} pushes (${fmt(pushMs)} ms) + ${pulls} pulls (${fmt(pullMs)} ms); ${QUEUED - refused} applied, ${refused} refused (${byCode(refusedBy)}); ${changes} changes pulled`)
  const asExpected = Object.entries(expected).every(([code, n]) => refusedBy.get(code) === n || (n === 0 && !refusedBy.has(code))) && refused === expectedRefusals
  console.log(asExpected
    ? `    refusals as the mix expects (${expectedRefusals})`
    : `    REFUSALS NOT AS EXPECTED: the mix expects ${expectedRefusals} (${byCode(expected)}): the figure above is not the bench's work`)
  // A batch that fails as a whole is decided again one mutation per transaction (push-queue.ts): slow, and a bug.
  console.log(`    batches that failed and were decided one by one: ${server.output().match(/push batch of \d+ failed/g)?.length ?? 0}`)
  console.log(`    ${fmt((QUEUED / ms) * 1000)} mutations/s for one phone (decided in order; a push of 100 is one batch transaction)`)
  console.log(`  server memory: RSS ${fmt(before.rss, 1)} MB before, peak ${fmt(peak, 1)} MB during the drain (sampled every 5 ms); ` +
    `VmHWM ${fmt(after.hwm, 1)} MB (peak since start-up, incl. migrations and demo seed)`)
} finally {
  await closeConnections()
  await sql.end().catch(() => undefined)
  await server.stop()
  await db.drop()
}
