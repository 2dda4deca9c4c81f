import { beforeEach, describe, expect, it } from 'vitest'
import { db } from '../db/db.ts'
import { getMeta } from '../db/meta.ts'
import { WIPED_KEY } from '../db/wiped.ts'
import { activateDevice } from '../test/device.ts'
import { createFakeServer, type FakeServer } from '../test/fake-server.ts'
import { actorOf, campWeek, lastPlace, otherPlay, parentAuth, roomy, toddler, world } from '../test/fixtures.ts'
import { createSyncEngine, type Timers } from './engine.ts'
import { enqueue } from './outbox.ts'

const now = () => new Date('2030-01-01T10:00:00Z')
let server: FakeServer
let scheduled: { fn: () => void; ms: number }[]
const timers: Timers = { set: (fn, ms) => scheduled.push({ fn, ms }), clear: () => {} }
const engine = () => createSyncEngine({ db, fetch: server.fetch, now, timers, random: () => 0.5 })
const request = (bookingId: string, sessionId = roomy.id, quantity = 2) =>
  enqueue(db, 'booking.request', { bookingId, childId: toddler.id, sessionId, quantity, expectedUnitPriceCents: 1200 }, now())

beforeEach(async () => {
  server = createFakeServer(world(), { [parentAuth.token]: actorOf(parentAuth) }, () => now().toISOString())
  scheduled = []
  await activateDevice(db, parentAuth)
})

describe('sync engine: push then pull', () => {
  it('fills the mirror on the first pull', async () => {
    await engine().request('start')
    expect(await db.sessions.count()).toBe(4)
    expect(await db.children.count()).toBe(2)
    expect(await getMeta(db, 'lastSyncedAt')).toBe(now().toISOString())
  })

  it('removes an outbox entry only once a pull reports lastMutationId >= id', async () => {
    await engine().request('start')
    await request('b1')
    server.fail('/api/sync/pull', 503) // push goes through, the pull that would acknowledge fails
    const e = engine()
    await e.request('mutation')
    expect(server.lastMutationIds).toEqual({ [(await getMeta(db, 'clientId'))!]: 1 })
    expect(await db.outbox.count()).toBe(1) // applied on the server, but not yet acknowledged by a pull
    expect(await db.bookings.get('b1')).toBeUndefined()
    await e.request('manual')
    expect(await db.outbox.count()).toBe(0)
    expect(await db.bookings.get('b1')).toMatchObject({ status: 'requested' }) // same transaction: no flicker
    const pushes = server.requests.filter((r) => r.path === '/api/sync/push')
    expect(pushes).toHaveLength(2) // the resend was answered already-processed, not applied twice
    expect(server.state.vouchers.get('v-1')?.heldCents).toBe(2400)
  })

  it('stores a refusal with the original mutation, acknowledges it, and the server stops resending it', async () => {
    // Another family took the last place (one child books a session once, so not this family's child).
    server = createFakeServer(world({ sessions: [roomy, { ...lastPlace, placesLeft: 0 }, otherPlay, campWeek] }), { [parentAuth.token]: actorOf(parentAuth) }, () => now().toISOString())
    await engine().request('start')
    await request('b-late', lastPlace.id, 1)
    await engine().request('mutation')
    const [stored] = await db.results.toArray()
    expect(stored).toMatchObject({ code: 'capacity-full', name: 'booking.request', args: { bookingId: 'b-late' }, dismissed: 0 })
    expect(Array.isArray(stored?.details?.alternatives)).toBe(true)
    expect(await db.outbox.count()).toBe(0)
    const clientId = (await getMeta(db, 'clientId'))!
    expect(await getMeta(db, 'resultsAcked')).toEqual({ [clientId]: 1 })
    await engine().request('manual') // sends the ack
    expect(server.results).toHaveLength(0)
  })

  it('keeps the outbox and backs off with jitter on network errors and 5xx, then succeeds', async () => {
    await request('b1')
    const e = engine()
    server.server.offline = true
    await e.request('mutation')
    server.server.offline = false
    server.fail('*', 503)
    await e.request('retry')
    expect(await db.outbox.count()).toBe(1)
    expect(scheduled.map((s) => s.ms)).toEqual([750, 1500]) // 1 s then 2 s steps, half fixed + half random(0.5)
    expect(e.state).toMatchObject({ attempt: 2 })
    expect((await getMeta(db, 'lastError'))?.code).toBe('unavailable')
    scheduled.at(-1)!.fn() // the retry timer fires
    await e.request('manual')
    expect(await db.outbox.count()).toBe(0)
    expect(e.state).toMatchObject({ attempt: 0, retryAt: null })
    expect(await getMeta(db, 'lastError')).toBeNull()
  })

  it('waits at least as long as a rate limit says (Retry-After), keeping the outbox', async () => {
    await request('b1')
    const e = engine()
    server.fail('*', 429, { error: { code: 'rate-limited', message: 'slow down' } }, { 'retry-after': '120' })
    await e.request('mutation')
    expect(scheduled.at(-1)!.ms).toBe(120_000) // not the 750 ms first backoff step
    expect(await db.outbox.count()).toBe(1)
    expect((await getMeta(db, 'lastError'))?.code).toBe('rate-limited')
  })

  it('caps the backoff at about a minute', async () => {
    const e = engine()
    for (let i = 0; i < 10; i++) {
      server.fail('*', 500)
      await e.request('manual')
    }
    expect(Math.max(...scheduled.map((s) => s.ms))).toBeLessThanOrEqual(60_000)
    expect(scheduled.at(-1)!.ms).toBeGreaterThanOrEqual(30_000)
  })

  it('on 401 marks the device signed out and keeps the outbox', async () => {
    await request('b1')
    server.fail('/api/sync/push', 401, { error: { code: 'unauthorized', message: 'revoked' } })
    const e = engine()
    await e.request('mutation')
    expect(await getMeta(db, 'authRevoked')).toBe(true)
    expect(e.state.blocked).toBe('unauthorized')
    expect(await db.outbox.count()).toBe(1)
    await e.request('interval') // no more attempts until activated again
    expect(server.requests.filter((r) => r.path === '/api/sync/push')).toHaveLength(1)
  })

  it('on 401 revoked (by the family, the office, an erasure) wipes everything of the family from the device', async () => {
    await activateDevice(db, parentAuth, world())
    await request('b1')
    expect(await db.children.count()).toBeGreaterThan(0)
    server.fail('/api/sync/push', 401, { error: { code: 'unauthorized', message: 'revoked', details: { reason: 'revoked' } } })
    const e = engine()
    await e.request('mutation')
    expect(e.state.blocked).toBe('unauthorized')
    expect(await db.outbox.count()).toBe(0)
    for (const table of [db.children, db.vouchers, db.bookings, db.results]) expect(await table.count()).toBe(0)
    expect(await getMeta(db, 'auth')).toBeUndefined()
    expect(await getMeta(db, 'authRevoked')).toBe(true)
    expect(localStorage.getItem(WIPED_KEY)).not.toBeNull() // the activation screen says why, after a reload too
  })

  it('on version-skew blocks syncing, keeps the outbox and says so', async () => {
    await request('b1')
    server.fail('/api/sync/push', 409, { error: { code: 'version-skew', message: 'update' } })
    const e = engine()
    await e.request('mutation')
    expect(e.state.blocked).toBe('version-skew')
    expect((await getMeta(db, 'lastError'))?.code).toBe('version-skew')
    expect(await db.outbox.count()).toBe(1)
    await e.request('online')
    expect(server.requests).toHaveLength(1)
  })

  it('on a 400 validation of the envelope keeps the outbox and surfaces the error', async () => {
    await request('b1')
    server.fail('/api/sync/push', 400, { error: { code: 'validation', message: 'bad envelope', details: { path: 'mutations.0' } } })
    await engine().request('mutation')
    expect(await db.outbox.count()).toBe(1)
    expect(await getMeta(db, 'lastError')).toMatchObject({ code: 'validation', details: { path: 'mutations.0' } })
    expect(scheduled.at(-1)?.ms).toBe(60_000)
  })

  it('does not try while the browser says it is offline, and syncs when it comes back', async () => {
    await request('b1')
    const e = engine()
    e.setOnline(false)
    await e.request('mutation')
    expect(server.requests).toHaveLength(0)
    e.setOnline(true)
    await e.request('visible')
    expect(await db.outbox.count()).toBe(0)
  })
})
