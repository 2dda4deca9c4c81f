/**
 * The cold start without Dexie (issues 8 and 10): the first screen's tables are read with IndexedDB
 * itself (db/raw.ts) while Dexie waits for the first screen (db/lazy.ts); Dexie's live reader then
 * holds them, and what was written meanwhile (by another tab: this one writes through Dexie only
 * once it is loaded) is not lost. Its own file: `holdDb` must run before anything loads Dexie.
 */
import { createPinia, setActivePinia } from 'pinia'
import { describe, expect, it, vi } from 'vitest'
import { db } from '../db/db.ts'
import { holdDb, releaseDb } from '../db/lazy.ts'
import { enqueue } from '../sync/outbox.ts'
import { activateDevice } from '../test/device.ts'
import { booking, otherPlay, parentAuth, toddler, world } from '../test/fixtures.ts'
import { useViewStore } from './view.store.ts'

const now = new Date('2030-01-01T10:00:00Z')

describe('a cold start reads the first screen before Dexie', () => {
  it('is ready from IndexedDB itself; Dexie’s reader takes over and catches the writes it was not told of', async () => {
    await activateDevice(db, parentAuth, world({ bookings: [booking({ id: 'b1', status: 'requested' })] }))
    await db.meta.put({ key: 'cookie', value: 'c1' })
    holdDb()
    setActivePinia(createPinia())
    const v = useViewStore()
    await vi.waitFor(() => expect(v.ready).toBe(true))
    expect(v.booking('b1')?.status).toBe('requested')
    expect(v.loaded('messages')).toBe(false) // the deferred tables come with Dexie's reader

    // Another tab queues a request and pulls a confirmation while this one has not loaded Dexie.
    await enqueue(db, 'booking.request', { bookingId: 'b3', childId: toddler.id, sessionId: otherPlay.id, quantity: 1 }, now)
    await db.transaction('rw', [db.bookings, db.meta], async () => {
      await db.bookings.put(booking({ id: 'b1', status: 'confirmed' }))
      await db.meta.put({ key: 'cookie', value: 'c2' })
    })
    await new Promise((r) => setTimeout(r, 20))
    expect(v.booking('b1')?.status).toBe('requested') // nobody listens yet: the first screen as read
    expect(v.booking('b3')).toBeNull()

    releaseDb()
    await v.settled()
    await vi.waitFor(() => expect(v.loaded('messages')).toBe(true))
    expect(v.booking('b1')?.status).toBe('confirmed') // the cookie moved: everything held read again
    expect(v.booking('b3')?.status).toBe('requested') // the outbox is read again whatever the cookie
    expect(v.pending.map((p) => p.name)).toEqual(['booking.request'])

    // From now on Dexie reports each change.
    await db.bookings.put(booking({ id: 'b1', status: 'cancelled' }))
    await vi.waitFor(() => expect(v.booking('b1')?.status).toBe('cancelled'))
    v.$dispose()
  })
})
