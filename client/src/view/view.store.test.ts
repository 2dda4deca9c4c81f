import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { db } from '../db/db.ts'
import { enqueue } from '../sync/outbox.ts'
import { activateDevice } from '../test/device.ts'
import { booking, otherPlay, parentAuth, territory, toddler, world } from '../test/fixtures.ts'
import * as derive from './derive.ts'
import { useViewStore } from './view.store.ts'

const now = new Date('2030-01-01T10:00:00Z')

let current: ReturnType<typeof useViewStore> | null = null
async function view() {
  setActivePinia(createPinia())
  const v = (current = useViewStore())
  await vi.waitFor(() => expect(v.ready).toBe(true))
  await v.settled()
  return v
}
const settled = async (v: ReturnType<typeof useViewStore>) => {
  await new Promise((r) => setTimeout(r, 0))
  await v.settled()
}

describe('the view store re-derives what a change touches', () => {
  afterEach(() => {
    current?.$dispose() // its reader stops listening
    current = null
  })
  beforeEach(async () => {
    await activateDevice(db, parentAuth, world({ bookings: [booking({ id: 'b1', status: 'requested' }), booking({ id: 'b2', status: 'confirmed' })] }))
  })

  it('a change to one table keeps every other entity, its lists and its rows as they were', async () => {
    const v = await view()
    const [sessions, services, children, b1] = [v.sessions, v.services, v.children, v.booking('b1')]
    const bookingsBefore = v.bookings
    await db.bookings.put(booking({ id: 'b2', status: 'cancelled' }))
    await vi.waitFor(() => expect(v.booking('b2')?.status).toBe('cancelled'))
    expect(v.bookings).not.toBe(bookingsBefore)
    expect(v.booking('b1')).toBe(b1)
    expect(v.sessions).toBe(sessions)
    expect(v.services).toBe(services)
    expect(v.children).toBe(children)
  })

  it('replays the outbox only when the outbox or a table the replay read changed', async () => {
    await enqueue(db, 'booking.request', { bookingId: 'b3', childId: toddler.id, sessionId: otherPlay.id, quantity: 1 }, now)
    const replays = vi.spyOn(derive, 'replay')
    const v = await view()
    expect(v.booking('b3')?.status).toBe('requested')
    const pending = v.pending
    const runs = replays.mock.calls.length
    await db.territories.put({ ...territory, name: 'Cremona' }) // the request's replay never reads territories
    await vi.waitFor(() => expect(v.territory(territory.id)?.name).toBe('Cremona'))
    await settled(v)
    expect(replays.mock.calls.length).toBe(runs)
    expect(v.pending).toBe(pending)

    await db.sessions.put({ ...otherPlay, placesLeft: 0 }) // it reads the session: the request is now probably refused
    await vi.waitFor(() => expect(v.pending[0]?.outcome).toMatchObject({ ok: false, code: 'capacity-full' }))
    expect(replays.mock.calls.length).toBe(runs + 1)
    expect(v.booking('b3')).toBeNull()
    replays.mockRestore()
  })

  it('a pull that brings the server row and drops the outbox entry shows one booking throughout', async () => {
    await enqueue(db, 'booking.request', { bookingId: 'b3', childId: toddler.id, sessionId: otherPlay.id, quantity: 1 }, now)
    const v = await view()
    const seen: string[] = []
    const probe = setInterval(() => seen.push(`${v.booking('b3')?.status ?? 'none'}/${v.pending.length}`), 0)
    await db.transaction('rw', [db.bookings, db.outbox], async () => {
      await db.bookings.put(booking({ id: 'b3', status: 'confirmed', quantity: 1, sessionId: otherPlay.id }))
      await db.outbox.clear()
    })
    await vi.waitFor(() => expect(v.booking('b3')?.status).toBe('confirmed'))
    clearInterval(probe)
    expect(seen.every((s) => s === 'requested/1' || s === 'confirmed/0')).toBe(true)
    expect(v.pending).toEqual([])
  })
})
