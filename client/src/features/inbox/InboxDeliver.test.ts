/** Recording a delivery on the phone: offered once the session has started; partial or no-show; queued offline. */
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { db } from '../../db/db.ts'
import { setMeta } from '../../db/meta.ts'
import { activateDevice } from '../../test/device.ts'
import { booking, providerAuth, roomy, toddlerVoucher, world } from '../../test/fixtures.ts'
import { mountWithApp } from '../../test/mount.ts'
import InboxView from './InboxView.vue'

const hour = 3_600_000
const running = { ...roomy, id: 'ses-now', startsAt: new Date(Date.now() - hour).toISOString(), endsAt: new Date(Date.now() + hour).toISOString(), placesLeft: 3 }

describe('InboxView: recording a delivery', () => {
  beforeEach(async () => {
    await activateDevice(db, providerAuth, world({
      sessions: [{ ...roomy, placesLeft: 4 }, running],
      vouchers: [{ ...toddlerVoucher, heldCents: 6000, balanceCents: 24000 }],
      bookings: [
        booking({ id: 'b1', status: 'confirmed', sessionId: running.id, quantity: 3, totalCents: 3600, voucherCents: 3600 }),
        booking({ id: 'b2', status: 'confirmed', quantity: 2 }), // its session has not started
      ],
    }))
    await setMeta(db, 'lastSyncedAt', '2030-01-01T10:00:00Z')
  })

  it('offers delivery only once the session has started, and records the hours actually delivered', async () => {
    const { wrapper } = mountWithApp(InboxView)
    await wrapper.get('[role="tab"]:nth-child(2)').trigger('click')
    await vi.waitFor(() => expect(wrapper.findAll('[data-testid="inbox-item"]')).toHaveLength(2))
    expect(wrapper.find('[data-booking-id="b2"] [data-testid="inbox-deliver"]').exists()).toBe(false)
    await wrapper.get('[data-booking-id="b1"] [data-testid="inbox-deliver"]').trigger('click')
    const quantity = wrapper.get('[data-testid="deliver-quantity"]')
    expect((quantity.element as HTMLInputElement).value).toBe('3')
    await quantity.setValue('4') // more than booked: not accepted
    expect(wrapper.get('[data-testid="deliver-submit"]').attributes('disabled')).toBeDefined()
    await quantity.setValue('2')
    await wrapper.get('#deliver-form').trigger('submit')
    await vi.waitFor(async () => expect(await db.outbox.toArray()).toMatchObject([{ name: 'booking.deliver', args: { bookingId: 'b1', deliveredQuantity: 2 } }]))
    await vi.waitFor(() => expect(wrapper.get('[data-booking-id="b1"]').attributes('data-status')).toBe('delivered'))
    expect(wrapper.get('[data-booking-id="b1"] [data-testid="inbox-delivered"]').text()).toContain('2 di 3')
  })

  it('records a no-show', async () => {
    const { wrapper } = mountWithApp(InboxView)
    await wrapper.get('[role="tab"]:nth-child(2)').trigger('click')
    await vi.waitFor(() => expect(wrapper.find('[data-booking-id="b1"] [data-testid="inbox-deliver"]').exists()).toBe(true))
    await wrapper.get('[data-booking-id="b1"] [data-testid="inbox-deliver"]').trigger('click')
    await wrapper.get('[data-testid="deliver-noshow"]').setValue(true)
    await wrapper.get('#deliver-form').trigger('submit')
    await vi.waitFor(async () => expect(await db.outbox.toArray()).toMatchObject([{ name: 'booking.deliver', args: { bookingId: 'b1', noShow: true } }]))
  })
})
