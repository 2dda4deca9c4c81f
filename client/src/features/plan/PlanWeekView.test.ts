import { beforeEach, describe, expect, it, vi } from 'vitest'
import { db } from '../../db/db.ts'
import { setMeta } from '../../db/meta.ts'
import { enqueue } from '../../sync/outbox.ts'
import { activateDevice } from '../../test/device.ts'
import { booking, parentAuth, roomy, world } from '../../test/fixtures.ts'
import { mountWithApp } from '../../test/mount.ts'
import PlanWeekView from './PlanWeekView.vue'
import { romeDay } from './week.ts'

describe('PlanWeekView', () => {
  beforeEach(async () => {
    await activateDevice(db, parentAuth, world({ bookings: [booking({ id: 'b-conf', status: 'confirmed' })] }))
    await setMeta(db, 'lastSyncedAt', '2030-01-01T10:00:00Z')
  })

  it('shows the week of a booking, day by day, with a request still waiting to be sent; ← and → change week', async () => {
    const { wrapper, router } = mountWithApp(PlanWeekView)
    const day = romeDay(roomy.startsAt)
    await router.push({ name: 'plan-week', query: { w: day } })
    await enqueue(db, 'booking.request', { bookingId: 'b-new', childId: 'ch-1', sessionId: roomy.id, quantity: 1 }, new Date('2030-01-01T10:00:00Z'))
    const today = () => wrapper.get(`[data-testid="week-day"][data-day="${day}"]`)
    await vi.waitFor(() => expect(today().findAll('[data-testid="week-item"]')).toHaveLength(2))
    expect(today().text()).toContain('confermata')
    expect(today().text()).toContain('in attesa di invio')
    expect(wrapper.findAll('[data-testid="week-day"]')).toHaveLength(7)

    await wrapper.get('section.page').trigger('keydown', { key: 'ArrowRight' })
    await vi.waitFor(() => expect(router.currentRoute.value.query.w).not.toBe(day))
    await vi.waitFor(() => expect(wrapper.findAll('[data-testid="week-item"]')).toHaveLength(0))
    expect(wrapper.get('[data-testid="week-empty"]').text()).toContain('Niente in programma')
    await wrapper.get('section.page').trigger('keydown', { key: 'ArrowLeft' })
    await vi.waitFor(() => expect(wrapper.findAll('[data-testid="week-item"]')).toHaveLength(2))
  })
})
