/** The provider's session form: creates with Rome wall-clock times; an edit never goes below the places booked. */
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { db } from '../../db/db.ts'
import { setMeta } from '../../db/meta.ts'
import { activateDevice } from '../../test/device.ts'
import { booking, camp, play, providerAuth, roomy, toddlerVoucher, world } from '../../test/fixtures.ts'
import { mountWithApp } from '../../test/mount.ts'
import SessionsFormView from './SessionsFormView.vue'
import { isoToRome, romeToIso } from './wall-clock.ts'

describe('wall clock', () => {
  it('turns Rome time into instants across the DST change, and back', () => {
    expect(romeToIso('2030-01-15', '09:00')).toBe('2030-01-15T08:00:00.000Z')
    expect(romeToIso('2030-07-15', '09:00')).toBe('2030-07-15T07:00:00.000Z')
    expect(isoToRome('2030-07-15T07:00:00.000Z')).toEqual({ date: '2030-07-15', time: '09:00' })
  })
})

describe('SessionsFormView', () => {
  beforeEach(async () => {
    await activateDevice(db, providerAuth, world({
      sessions: [{ ...roomy, providerId: 'prv-1', places: 5, placesLeft: 4 }],
      vouchers: [{ ...toddlerVoucher, heldCents: 2400, balanceCents: 27600 }],
      bookings: [booking({ id: 'b1', status: 'requested' })],
    }))
    await setMeta(db, 'lastSyncedAt', '2030-01-01T10:00:00Z')
  })

  it('creates a session: session.create queued with Rome times and the price in cents', async () => {
    const { wrapper, router } = mountWithApp(SessionsFormView)
    await vi.waitFor(() => expect(wrapper.find('[data-testid="sf-service"]').exists()).toBe(true))
    await wrapper.get('[data-testid="sf-submit"]').trigger('submit')
    await wrapper.get('form').trigger('submit')
    expect(wrapper.text()).toContain('Scegli il servizio.')
    await wrapper.get('[data-testid="sf-service"]').setValue(play.id)
    await wrapper.get('[data-testid="sf-date"]').setValue('2031-02-03')
    await wrapper.get('[data-testid="sf-start"]').setValue('14:30')
    await wrapper.get('[data-testid="sf-end"]').setValue('18:00')
    await wrapper.get('[data-testid="sf-places"]').setValue(3)
    await wrapper.get('[data-testid="sf-price"]').setValue('12,5')
    const push = vi.spyOn(router, 'push')
    await wrapper.get('form').trigger('submit')
    await vi.waitFor(async () => expect(await db.outbox.toArray()).toMatchObject([{
      name: 'session.create',
      args: { serviceId: play.id, startsAt: '2031-02-03T13:30:00.000Z', endsAt: '2031-02-03T17:00:00.000Z', places: 3, unitPriceCents: 1250, unitsMax: 4 },
    }]))
    expect(push).toHaveBeenCalledWith({ name: 'my-sessions' })
  })

  it('edits: the times are locked once booked, places not below those booked, only what changed is sent', async () => {
    const { wrapper } = mountWithApp(SessionsFormView, { props: { sessionId: roomy.id } })
    await vi.waitFor(() => expect(wrapper.find('[data-testid="sf-places"]').exists()).toBe(true))
    expect(wrapper.get('fieldset').attributes('disabled')).toBeDefined()
    await wrapper.get('[data-testid="sf-places"]').setValue(0)
    await wrapper.get('form').trigger('submit')
    expect(wrapper.text()).toContain('Da 1 a 500 posti.')
    await wrapper.get('[data-testid="sf-places"]').setValue(8)
    await wrapper.get('form').trigger('submit')
    await vi.waitFor(async () => expect(await db.outbox.toArray()).toMatchObject([{ name: 'session.update', args: { sessionId: roomy.id, places: 8 } }]))
    const [entry] = await db.outbox.toArray()
    expect(entry?.args).toEqual({ sessionId: roomy.id, places: 8 })
  })

  it('offers only the services the office accredited, and refuses a price above the ceiling on the screen', async () => {
    await activateDevice(db, providerAuth, world({
      sessions: [], accreditations: [{ id: 'acc-1', programId: 'prg-1', providerId: 'prv-1', serviceId: play.id, maxUnitPriceCents: 1400 }],
    }))
    const { wrapper } = mountWithApp(SessionsFormView)
    await vi.waitFor(() => expect(wrapper.find('[data-testid="sf-service"]').exists()).toBe(true))
    const options = wrapper.findAll('[data-testid="sf-service"] option').map((o) => o.attributes('value'))
    expect(options).toContain(play.id)
    expect(options).not.toContain(camp.id)
    await wrapper.get('[data-testid="sf-service"]').setValue(play.id)
    expect(wrapper.text()).toContain('Prezzo massimo accreditato dal programma: €\u00a014,00.')
    await wrapper.get('[data-testid="sf-date"]').setValue('2031-02-03')
    await wrapper.get('[data-testid="sf-price"]').setValue('15,00')
    await wrapper.get('form').trigger('submit')
    expect(wrapper.text()).toContain('Oltre il prezzo accreditato dal programma: al massimo €\u00a014,00.')
    expect(await db.outbox.count()).toBe(0)
  })
})
