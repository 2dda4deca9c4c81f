import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { ConciliappDb, db } from '../db/db.ts'
import { setMeta } from '../db/meta.ts'
import { activateDevice, resetDevice } from '../test/device.ts'
import { parentAuth } from '../test/fixtures.ts'
import { enqueue, NotActivatedError, pendingEntries } from './outbox.ts'

const now = new Date('2030-01-01T10:00:00Z')
const otherTab = new ConciliappDb() // a second connection to the same database, like another tab

describe('outbox', () => {
  beforeEach(() => activateDevice(db, parentAuth))
  afterAll(() => otherTab.close())

  it('numbers mutations 1, 2, 3… in order, with the device clientId', async () => {
    const a = await enqueue(db, 'booking.cancel', { bookingId: 'b1' }, now)
    const b = await enqueue(db, 'booking.cancel', { bookingId: 'b2' }, now)
    const clientId = (await db.meta.get('clientId'))?.value
    expect([a.id, b.id]).toEqual([1, 2])
    expect(a.clientId).toBe(clientId)
    expect((await pendingEntries(db)).map((e) => e.args)).toEqual([{ bookingId: 'b1' }, { bookingId: 'b2' }])
  })

  it('allocates unique, gapless ids under concurrency, across two connections (tabs)', async () => {
    const writes = Array.from({ length: 30 }, (_, i) => enqueue(i % 2 ? otherTab : db, 'booking.cancel', { bookingId: `b${i}` }, now))
    const ids = (await Promise.all(writes)).map((e) => e.id).sort((x, y) => x - y)
    expect(ids).toEqual(Array.from({ length: 30 }, (_, i) => i + 1))
    expect(await db.outbox.count()).toBe(30)
    expect((await db.meta.get('nextMutationId'))?.value).toBe(31)
  })

  it('never reuses an id the server already processed, even if the counter was lost', async () => {
    await setMeta(db, 'lastMutationId', 41)
    await db.meta.delete('nextMutationId')
    expect((await enqueue(db, 'booking.cancel', { bookingId: 'b' }, now)).id).toBe(42)
  })

  it('refuses to queue on a device that is not activated', async () => {
    await resetDevice(db)
    await expect(enqueue(db, 'booking.cancel', { bookingId: 'b' }, now)).rejects.toBeInstanceOf(NotActivatedError)
  })
})
