/**
 * Two real server processes on one Postgres (architecture.md, "Scale beyond one machine"): started
 * together in demo mode on a scratch database (the seed is idempotent and serialised by an advisory
 * lock), then
 *  - 40 families, spread over both processes, race for the last 5 places of one session, and every
 *    family's batch reaches BOTH processes at the same moment (a retry through another route):
 *    never oversold, each mutation processed exactly once, and what each phone is told (push answer,
 *    pull results, mirror) agrees;
 *  - pokes cross processes through LISTEN/NOTIFY: a stream open on one process hears a change
 *    committed through the other, both ways.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openPostgres } from '../src/db/postgres.ts'
import type { Db } from '../src/db/db.ts'
import { invariantViolations } from '../src/test/db-checks.ts'
import { bookingLedgerViolations } from './checks.ts'
import { freshId, freshView, Phone, type Transport } from './phone.ts'
import { activateOn, scratchDatabase, startServer, stopAll, systemDatabaseUrl, type ScratchDatabase, type ServerProcess } from './processes.ts'

const FAMILIES = 40
const PLACES = 5
const pad = (n: number) => String(n).padStart(4, '0')

let scratch: ScratchDatabase
let db: Db
let servers: ServerProcess[]
const via = (s: ServerProcess): Transport => (path, init) => fetch(`${s.url}${path}`, init)

beforeAll(async () => {
  scratch = await scratchDatabase(systemDatabaseUrl(), 'sys_multi')
  const env = { DATABASE_URL: scratch.url, DEMO: '1', DEMO_FAMILIES: String(FAMILIES) }
  servers = await Promise.all([startServer(env), startServer(env)])
  db = openPostgres(scratch.url, { max: 2 })
}, 120_000)

afterAll(async () => {
  await Promise.all((servers ?? []).map((s) => s.stop()))
  await stopAll()
  await db?.close()
  await scratch?.drop()
}, 60_000)

/** The family's youngest child (every demo family has one aged 0–12, babysitting's range). */
async function youngestChild(family: string): Promise<string> {
  const [row] = await db.query<{ id: string }>('SELECT id FROM children WHERE family_id = $1 ORDER BY birth_date DESC LIMIT 1', [family])
  if (!row) throw new Error(`no child in ${family}`)
  return row.id
}

describe('two server processes on one Postgres', () => {
  it(`${FAMILIES} families on both processes race for the last ${PLACES} places: never oversold, one outcome each`, async () => {
    const [a, b] = servers as [ServerProcess, ServerProcess]
    const [session] = await db.query<{ id: string; providerId: string }>(
      `UPDATE sessions SET places = $1, places_left = $1
       WHERE id = (SELECT id FROM sessions WHERE service_id = 'svc-babysitting' AND starts_at > now() + interval '3 days' ORDER BY starts_at, id LIMIT 1)
       RETURNING id, provider_id AS "providerId"`, [PLACES])
    if (!session) throw new Error('no babysitting session in the demo data')

    // Signed in one after the other: activations from one address in parallel are limited (rate-limit.ts).
    const phones: Phone[] = []
    for (let i = 0; i < FAMILIES; i++) {
      const home = servers[i % 2] as ServerProcess // half the families signed in on each process
      const phone = new Phone(await activateOn(home.url, `FAM-${pad(i + 1)}`))
      phone.enqueue('booking.request', { bookingId: freshId('mp'), childId: await youngestChild(`fam-${pad(i + 1)}`), sessionId: session.id, quantity: 1 })
      phones.push(phone)
    }

    // Every batch goes to both processes at once: one must process it, the other answer already-processed.
    const answers = await Promise.all(phones.map(async (p) => {
      const [fromA, fromB] = await Promise.all([p.push(via(a)), p.push(via(b))])
      return [...fromA, ...fromB]
    }))
    for (const results of answers) {
      expect(results).toHaveLength(2)
      expect(results.filter((r) => r.status === 'already-processed')).toHaveLength(1)
    }
    const decided = answers.map((rs) => rs.find((r) => r.status !== 'already-processed'))
    expect(decided.filter((r) => r?.status === 'applied')).toHaveLength(PLACES)
    expect(decided.filter((r) => r?.status === 'rejected').map((r) => r?.code)).toEqual(Array(FAMILIES - PLACES).fill('capacity-full'))

    // Each phone, pulling from the OTHER process, hears the same story and drains its outbox.
    await Promise.all(phones.map(async (p, i) => {
      await p.pull(via(servers[(i + 1) % 2] as ServerProcess))
      expect(p.contradictions).toEqual([])
      expect(p.outbox).toEqual([])
      expect(p.lastMutationId).toBe(1)
      const won = decided[i]?.status === 'applied'
      expect(p.outcome(1)).toBe(won ? 'applied' : 'rejected')
      const bookingId = (p.made.get(1)?.args as { bookingId: string }).bookingId
      expect(p.get<{ status: string }>('booking', bookingId)?.status).toBe(won ? 'requested' : undefined)
      expect(p.get<{ placesLeft: number }>('session', session.id)?.placesLeft).toBe(0)
    }))

    const [held] = await db.query<{ n: number; left: number }>(
      `SELECT (SELECT count(*) FROM bookings WHERE session_id = $1) AS n, places_left AS left FROM sessions WHERE id = $1`, [session.id])
    expect(held).toEqual({ n: PLACES, left: 0 })
    expect(await invariantViolations(db)).toEqual([])
    expect(await bookingLedgerViolations(db)).toEqual([])
    // The provider sees exactly the winners, from either process.
    const provider = await activateOn(a.url, `PRV-${session.providerId.slice(4).toUpperCase()}`)
    for (const s of servers) {
      const view = await freshView(via(s), provider)
      expect([...(view.get('booking')?.values() ?? [])].filter((x) => x.sessionId === session.id)).toHaveLength(PLACES)
    }
  })

  it('a poke reaches a stream on one process when a change commits through the other (LISTEN/NOTIFY), both ways', async () => {
    const [a, b] = servers as [ServerProcess, ServerProcess]
    const family = 'fam-0040'
    const child = await youngestChild(family)
    const [session] = await db.query<{ id: string; providerId: string }>(
      `SELECT id, provider_id AS "providerId" FROM sessions
       WHERE service_id = 'svc-babysitting' AND starts_at > now() + interval '7 days' AND places_left > 0 ORDER BY starts_at, id LIMIT 1`)
    if (!session) throw new Error('no open babysitting session')
    const providerToken = await activateOn(b.url, `PRV-${session.providerId.slice(4).toUpperCase()}`)
    const parentToken = await activateOn(a.url, `FAM-${family.slice(4)}`)

    // The provider listens on A; the parent books through B.
    const providerStream = await listen(a, providerToken)
    const parent = new Phone(parentToken)
    const bookingId = freshId('poke')
    parent.enqueue('booking.request', { bookingId, childId: child, sessionId: session.id, quantity: 1 })
    expect((await parent.push(via(b)))[0]?.status).toBe('applied')
    await providerStream.until('event: poke')

    // The parent listens on B; the provider confirms through A.
    const parentStream = await listen(b, parentToken)
    const provider = new Phone(providerToken)
    provider.enqueue('booking.confirm', { bookingId })
    expect((await provider.push(via(a)))[0]?.status).toBe('applied')
    await parentStream.until('event: poke')
    await Promise.all([providerStream.close(), parentStream.close()])
  })
})

/** An SSE stream on /api/sync/poke, read as text; `until` waits (bounded) for a line to appear. */
async function listen(server: ServerProcess, token: string) {
  const abort = new AbortController()
  const res = await fetch(`${server.url}/api/sync/poke?token=${encodeURIComponent(token)}`, { signal: abort.signal })
  expect(res.status).toBe(200)
  const reader = res.body?.getReader()
  if (!reader) throw new Error('no stream')
  let text = ''
  const reading = (async () => {
    for (;;) {
      const r = await reader.read().catch(() => undefined)
      if (!r || r.done) return
      text += new TextDecoder().decode(r.value)
    }
  })()
  const until = async (line: string, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs
    while (!text.includes(line)) {
      if (Date.now() > deadline) throw new Error(`no "${line}" on ${server.url} within ${timeoutMs} ms; got:\n${text}`)
      await new Promise((r) => setTimeout(r, 20))
    }
  }
  await until('event: ready')
  return {
    until,
    async close() {
      abort.abort()
      await reading
    },
  }
}
