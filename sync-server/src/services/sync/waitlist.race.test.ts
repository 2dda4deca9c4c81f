/**
 * The waiting list under races (issue 10): a freed place goes to the first family still waiting in
 * the SAME transaction as the cancel that freed it, so nobody who arrives later ever finds it free,
 * and two places freed at once go to the first two in line. Each round: a session with two places,
 * both booked; five families wait in turn; then at once, through two apps (two server processes on one
 * Postgres with TEST_DATABASE_URL): both bookings are cancelled, the first in line leaves, and a family
 * that never waited asks for a place. Whatever the interleaving: that family is refused capacity-full,
 * the two promoted are the first two of the queue still waiting when the leave was decided, and the
 * database's invariants hold (places, vouchers, ledger, waiting list).
 */
import type { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppEnv } from '../../routes/http.ts'
import { invariantViolations } from '../../test/db-checks.ts'
import { SyncClient, uniqueId } from '../../test/sync-client.ts'
import { createTestServer, TEST_NOW, type TestServer } from '../../test/test-server.ts'

const FAMILIES = 8
let t: TestServer
let apps: Hono<AppEnv>[]
let fams: SyncClient[]
beforeAll(async () => {
  t = await createTestServer({ families: FAMILIES })
  apps = t.kind === 'postgres' ? [t.app, (await t.secondApp()).app] : [t.app]
  const clients = await Promise.all(Array.from({ length: FAMILIES }, (_, i) => SyncClient.activate(t.app, `FAM-${String(i + 1).padStart(4, '0')}`)))
  // Each family pushes through one of the apps (alternating), like phones behind a load balancer.
  fams = clients.map((c, i) => new SyncClient(apps[i % apps.length]!, c.token))
}, 60_000)
afterAll(() => t.close())

/** The first child of every demo family is 1–9 years old: babysitting (0–12) fits. */
const childOf = (i: number) => `chd-${String(i + 1).padStart(4, '0')}-1`
const at = (seconds: number) => new Date(Date.parse(TEST_NOW) + seconds * 1000).toISOString()

describe('waiting list: promotion races', () => {
  it.each(['20261207', '20261208', '20261209', '20261210', '20261211', '20261212'])('session of %s', async (day) => {
    const sessionId = `ses-tantetinte-babysitting-${day}`
    const [updated] = await t.db.query<{ id: string }>('UPDATE sessions SET places = 2, places_left = 2 WHERE id = $1 RETURNING id', [sessionId])
    expect(updated?.id).toBe(sessionId)
    const booked = [uniqueId('rb'), uniqueId('rb')]
    for (const i of [0, 1]) {
      expect((await fams[i]!.push('booking.request', { bookingId: booked[i], childId: childOf(i), sessionId, quantity: 1 })).status).toBe('applied')
    }
    // Families 2..6 wait, one second apart: that is their turn.
    const queue: { family: number; entryId: string }[] = []
    for (const family of [2, 3, 4, 5, 6]) {
      t.clock.set(at(queue.length + 1))
      const entryId = uniqueId('wl')
      expect((await fams[family]!.push('waitlist.join', { entryId, childId: childOf(family), sessionId, quantity: 1 })).status).toBe('applied')
      queue.push({ family, entryId })
    }
    t.clock.set(at(60))

    const latecomer = uniqueId('late')
    const [c0, c1, left, late] = await Promise.all([
      fams[0]!.push('booking.cancel', { bookingId: booked[0] }),
      fams[1]!.push('booking.cancel', { bookingId: booked[1] }),
      fams[2]!.push('waitlist.leave', { entryId: queue[0]!.entryId }),
      fams[7]!.push('booking.request', { bookingId: latecomer, childId: childOf(7), sessionId, quantity: 1 }),
    ])
    t.clock.set(TEST_NOW)
    expect([c0.status, c1.status]).toEqual(['applied', 'applied'])
    expect(late, 'a family that never waited does not jump the queue').toMatchObject({ status: 'rejected', code: 'capacity-full' })

    const entries = await t.db.query<{ id: string; status: string; bookingId: string | null }>(
      'SELECT id, status, booking_id AS "bookingId" FROM waitlist_entries WHERE session_id = $1 ORDER BY created_at, id', [sessionId])
    const byId = new Map(entries.map((e) => [e.id, e]))
    // The first in line either left before a place freed (the leave applied) or was promoted first (the leave refused).
    const firstLeft = left.status === 'applied'
    if (!firstLeft) expect(left).toMatchObject({ status: 'rejected', code: 'invalid-state' })
    const line = queue.slice(firstLeft ? 1 : 0)
    expect(line.slice(0, 2).map((q) => byId.get(q.entryId)?.status)).toEqual(['promoted', 'promoted'])
    expect(line.slice(2).map((q) => byId.get(q.entryId)?.status)).toEqual(line.slice(2).map(() => 'waiting'))
    if (firstLeft) expect(byId.get(queue[0]!.entryId)?.status).toBe('left')

    const live = await t.db.query<{ id: string; childId: string }>(
      "SELECT id, child_id AS \"childId\" FROM bookings WHERE session_id = $1 AND status IN ('requested', 'confirmed') ORDER BY id", [sessionId])
    expect(live.map((b) => b.id).sort()).toEqual(line.slice(0, 2).map((q) => q.entryId).sort())
    const [s] = await t.db.query<{ placesLeft: number }>('SELECT places_left AS "placesLeft" FROM sessions WHERE id = $1', [sessionId])
    expect(s?.placesLeft).toBe(0)
    expect(await invariantViolations(t.db)).toEqual([])
    // (A batch that failed as a whole would show here: a deadlock the lock order should have prevented.)
    expect(t.logs.filter((l) => l.includes('failed, deciding its pushes one by one'))).toEqual([])

    // The promoted family's phone hears of it on its next pull: its entry promoted, its booking requested.
    const promoted = line[0]!
    const phone = new SyncClient(t.app, fams[promoted.family]!.token)
    await phone.pull()
    expect(phone.get('waitlistEntry', promoted.entryId)).toMatchObject({ status: 'promoted', bookingId: promoted.entryId })
    expect(phone.get('booking', promoted.entryId)).toMatchObject({ status: 'requested', sessionId })
  })
})
