/** Reads without Dexie (raw.ts) answer what Dexie answers, never create the database, and step aside when they cannot. */
import { describe, expect, it } from 'vitest'
import { activateDevice } from '../test/device.ts'
import { booking, parentAuth, world } from '../test/fixtures.ts'
import { db } from './db.ts'
import { countRaw, readMetaRaw, readStores } from './raw.ts'

describe('reads with IndexedDB itself', () => {
  it('the same rows and meta values as Dexie, in one transaction', async () => {
    await activateDevice(db, parentAuth, world({ bookings: [booking({ id: 'b2', status: 'confirmed' }), booking({ id: 'b1', status: 'requested' })] }))
    await db.outbox.add({ id: 1, clientId: 'c', name: 'booking.cancel', args: { bookingId: 'b1' }, createdAt: '2030-01-01T00:00:00Z' })
    const got = await readStores(['bookings', 'sessions', 'outbox'], ['auth', 'cookie', 'lastSyncedAt'])
    expect(got).not.toBeNull()
    expect([...got!.rows.get('bookings')!.entries()]).toEqual((await db.bookings.toArray()).map((b) => [b.id, b]))
    expect([...got!.rows.get('sessions')!.values()]).toEqual(await db.sessions.toArray())
    expect([...got!.rows.get('outbox')!.keys()]).toEqual([1])
    expect(got!.meta.get('auth')).toEqual(parentAuth)
    expect(got!.meta.get('cookie')).toBeNull()
    expect(await readMetaRaw(['auth', 'seenDeclines'])).toEqual({ auth: parentAuth, seenDeclines: undefined })
    expect(await countRaw('outbox')).toBe(1)
  })

  it('a store the installed database lacks: null (Dexie reads instead)', async () => {
    expect(await readStores(['bookings', 'no-such-store'])).toBeNull()
    expect(await countRaw('no-such-store')).toBeNull()
  })

  it('no database yet: null, and none is created (Dexie creates it with its schema)', async () => {
    await db.delete() // the raw connection closes when asked to
    expect(await readStores(['bookings'], ['auth'])).toBeNull()
    expect(await readMetaRaw(['auth'])).toBeNull()
    expect((await indexedDB.databases()).map((d) => d.name)).not.toContain('conciliapp')
    await db.open()
    expect(await db.bookings.count()).toBe(0)
  })
})
