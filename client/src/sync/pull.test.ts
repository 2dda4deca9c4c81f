/**
 * The phone keeps the server's first-pull rule: sessions long past that no booking and no queued
 * mutation refers to leave the mirror, so a phone in use for a year does not re-read a year of sessions
 * whenever anything changes.
 */
import { beforeEach, describe, expect, it } from 'vitest'
import { PAST_SESSIONS_KEPT_DAYS } from '../../../shared/index.ts'
import { db } from '../db/db.ts'
import { activateDevice } from '../test/device.ts'
import { createFakeServer } from '../test/fake-server.ts'
import { actorOf, booking, parentAuth, roomy, toddler, world } from '../test/fixtures.ts'
import { createSyncEngine } from './engine.ts'
import { forgetPastSessions } from './pull.ts'

const now = new Date('2030-01-01T10:00:00Z')
const DAY = 86_400_000
/** A copy of `roomy` that ended `days` before now (written with an offset, as sessions may be). */
const endedAgo = (id: string, days: number) => {
  const ends = new Date(now.getTime() - days * DAY)
  return { ...roomy, id, startsAt: new Date(ends.getTime() - 3 * 3_600_000).toISOString().replace('Z', '+00:00'), endsAt: ends.toISOString() }
}

beforeEach(() => activateDevice(db, parentAuth))

describe('forgetPastSessions', () => {
  it('drops sessions long past that nothing refers to; keeps recent ones, booked ones, and queued ones', async () => {
    const long = PAST_SESSIONS_KEPT_DAYS + 3
    await db.sessions.bulkPut([endedAgo('old', long), endedAgo('old-booked', long), endedAgo('old-queued', long), endedAgo('recent', PAST_SESSIONS_KEPT_DAYS - 1), roomy])
    await db.bookings.put(booking({ id: 'b-old', status: 'delivered', sessionId: 'old-booked', childId: toddler.id }))
    await db.outbox.put({ id: 1, clientId: 'c', name: 'booking.request', args: { bookingId: 'q', childId: toddler.id, sessionId: 'old-queued', quantity: 1 }, createdAt: now.toISOString() })
    expect(await db.transaction('rw', db.sessions, db.bookings, db.outbox, () => forgetPastSessions(db, now))).toBe(1)
    expect((await db.sessions.toCollection().primaryKeys()).sort()).toEqual(['old-booked', 'old-queued', 'recent', roomy.id].sort())
  })

  it('runs with every pull: a long-past session the server sends is not kept', async () => {
    const w = world()
    const server = createFakeServer({ ...w, sessions: [...w.sessions, endedAgo('old', PAST_SESSIONS_KEPT_DAYS + 30)] }, { [parentAuth.token]: actorOf(parentAuth) }, () => now.toISOString())
    await createSyncEngine({ db, fetch: server.fetch, now: () => now, timers: { set: () => 0, clear: () => {} }, random: () => 0.5 }).request('start')
    expect(await db.sessions.get('old')).toBeUndefined()
    expect(await db.sessions.count()).toBe(w.sessions.length)
  })
})
