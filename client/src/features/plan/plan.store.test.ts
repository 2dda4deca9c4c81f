import { createPinia, setActivePinia } from 'pinia'
import { describe, expect, it, vi } from 'vitest'
import { db } from '../../db/db.ts'
import { activateDevice } from '../../test/device.ts'
import { booking, parentAuth, world } from '../../test/fixtures.ts'
import { usePlanStore } from './plan.store.ts'

describe('plan items', () => {
  it('keep their objects while their booking and what it shows are unchanged: a pulled change re-renders its card only', async () => {
    await activateDevice(db, parentAuth, world({ bookings: [booking({ id: 'b1', status: 'requested' }), booking({ id: 'b2', status: 'requested' })] }))
    setActivePinia(createPinia())
    const plan = usePlanStore()
    await vi.waitFor(() => expect(plan.items.map((i) => i.bookingId).sort()).toEqual(['b1', 'b2']))
    const before = new Map(plan.items.map((i) => [i.bookingId, i]))
    await db.bookings.put(booking({ id: 'b2', status: 'confirmed', operatorId: 'op-1' }))
    await vi.waitFor(() => expect(plan.items.find((i) => i.bookingId === 'b2')?.state).toBe('confirmed'))
    const after = new Map(plan.items.map((i) => [i.bookingId, i]))
    expect(after.get('b1')).toBe(before.get('b1'))
    expect(after.get('b2')).not.toBe(before.get('b2'))
    expect(after.get('b2')?.operatorName).toBe('Chiara Bettoni')
  })
})
