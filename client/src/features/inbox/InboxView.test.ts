import { beforeEach, describe, expect, it, vi } from 'vitest'
import { db } from '../../db/db.ts'
import { setMeta } from '../../db/meta.ts'
import { activateDevice } from '../../test/device.ts'
import { booking, lastPlace, operator, otherPlay, play, providerAuth, roomy, toddlerVoucher, world } from '../../test/fixtures.ts'
import { mountWithApp } from '../../test/mount.ts'
import InboxItem from './InboxItem.vue'
import InboxView from './InboxView.vue'

const entry = (status: 'requested' | 'confirmed') => ({
  booking: booking({ id: 'b1', status, quantity: 2, totalCents: 2400 }), service: play, startsAt: roomy.startsAt, endsAt: roomy.endsAt,
  operatorName: null, changePending: false,
})

describe('InboxItem', () => {
  beforeEach(() => activateDevice(db, providerAuth))

  it('shows child, service, date, quantity and cost, and emits confirm with the chosen operator', async () => {
    const { wrapper } = mountWithApp(InboxItem, { props: { entry: entry('requested'), operators: [operator], unit: 'ora' } })
    const text = wrapper.text()
    expect(text).toContain('Giulia')
    expect(text).toContain('Spazio gioco')
    expect(text).toContain('2 × ora')
    expect(text).toContain('€\u00a024,00')
    expect(wrapper.attributes()).toMatchObject({ 'data-booking-id': 'b1', 'data-status': 'requested' })
    await wrapper.get('[data-testid="inbox-operator"]').setValue(operator.id)
    await wrapper.get('[data-testid="inbox-confirm"]').trigger('click')
    expect(wrapper.emitted('confirm')).toEqual([['b1', operator.id]])
  })

  it('says who and where: the family, the child’s age (months under two), and for an at-home service the address or how to get it', async () => {
    const { wrapper } = mountWithApp(InboxItem, { props: { entry: entry('requested'), operators: [], unit: 'ora' } })
    expect(wrapper.get('[data-testid="inbox-who"]').text()).toContain('Famiglia Rossi · 4 anni')
    expect(wrapper.find('[data-testid="inbox-where"]').exists()).toBe(false) // a play space is not at home
    const home = { ...play, category: 'sick-child-babysitting' as const }
    const baby = (over: Partial<ReturnType<typeof booking>>) => ({ ...entry('requested'), service: home, booking: booking({ id: 'b1', status: 'requested', ...over }) })
    const at = mountWithApp(InboxItem, { props: { entry: baby({ childAgeMonths: 8, address: 'Via Roma 1, Crema' }), operators: [], unit: 'ora' } }).wrapper
    expect(at.get('[data-testid="inbox-who"]').text()).toContain('8 mesi')
    expect(at.get('[data-testid="inbox-where"]').text()).toContain('Via Roma 1, Crema')
    const none = mountWithApp(InboxItem, { props: { entry: baby({ address: null }), operators: [], unit: 'ora' } }).wrapper
    expect(none.get('[data-testid="inbox-where"]').text()).toContain('chiedilo nei messaggi')
  })

  it('emits decline; a confirmed order can still be declined but not confirmed again', async () => {
    const { wrapper } = mountWithApp(InboxItem, { props: { entry: entry('confirmed'), operators: [operator], unit: 'ora' } })
    expect(wrapper.find('[data-testid="inbox-confirm"]').exists()).toBe(false)
    await wrapper.get('[data-testid="inbox-decline"]').trigger('click')
    expect(wrapper.emitted('decline')).toEqual([['b1']])
  })
})

describe('InboxView', () => {
  beforeEach(async () => {
    await activateDevice(db, providerAuth, world({
      sessions: [{ ...roomy, placesLeft: 3 }, lastPlace, otherPlay],
      vouchers: [{ ...toddlerVoucher, heldCents: 4800, balanceCents: 25200 }],
      bookings: [booking({ id: 'b1', status: 'requested' }), booking({ id: 'b2', status: 'requested', quantity: 2 })],
    }))
    await setMeta(db, 'lastSyncedAt', '2030-01-01T10:00:00Z')
  })

  it('confirms in place: the order shows confirmed at once and booking.confirm is queued', async () => {
    const { wrapper } = mountWithApp(InboxView)
    await vi.waitFor(() => expect(wrapper.findAll('[data-testid="inbox-item"]')).toHaveLength(2))
    await wrapper.get('[data-booking-id="b1"] [data-testid="inbox-confirm"]').trigger('click')
    await vi.waitFor(() => expect(wrapper.get('[data-booking-id="b1"]').attributes('data-status')).toBe('confirmed'))
    expect(await db.outbox.toArray()).toMatchObject([{ name: 'booking.confirm', args: { bookingId: 'b1' } }])
  })

  it('gives the focus to the order’s name after confirming or declining it (its buttons are gone)', async () => {
    const { wrapper } = mountWithApp(InboxView, { attachTo: document.body })
    await vi.waitFor(() => expect(wrapper.findAll('[data-testid="inbox-item"]')).toHaveLength(2))
    const confirm = wrapper.get('[data-booking-id="b1"] [data-testid="inbox-confirm"]')
    ;(confirm.element as HTMLElement).focus()
    await confirm.trigger('click')
    await vi.waitFor(() => expect(document.activeElement).toBe(wrapper.get('[data-booking-id="b1"] h2').element))
    const decline = wrapper.get('[data-booking-id="b2"] [data-testid="inbox-decline"]')
    ;(decline.element as HTMLElement).focus()
    await decline.trigger('click')
    await wrapper.get('[data-testid="decline-reason"]').setValue('Nessun operatore libero')
    ;(wrapper.get('[data-testid="decline-submit"]').element as HTMLElement).focus()
    await wrapper.get('#decline-form').trigger('submit')
    await vi.waitFor(() => expect(wrapper.get('[data-booking-id="b2"]').attributes('data-status')).toBe('declined'))
    await vi.waitFor(() => expect(document.activeElement).toBe(wrapper.get('[data-booking-id="b2"] h2').element))
    wrapper.unmount()
  })

  it('proposes another time: the provider’s other sessions of the service with places; the proposal is queued and shown', async () => {
    const { wrapper } = mountWithApp(InboxView)
    await vi.waitFor(() => expect(wrapper.findAll('[data-testid="inbox-item"]')).toHaveLength(2))
    await wrapper.get('[data-booking-id="b1"] [data-testid="inbox-propose"]').trigger('click')
    await vi.waitFor(() => expect(wrapper.find('[data-testid="propose-dialog"]').exists()).toBe(true))
    const options = wrapper.findAll('[data-testid="propose-session"]')
    expect(options.map((o) => (o.element as HTMLInputElement).value)).toEqual([lastPlace.id, otherPlay.id])
    await options[1]!.setValue(true)
    await wrapper.get('[data-testid="propose-note"]').setValue('Mercoledì abbiamo posto')
    await wrapper.get('#propose-form').trigger('submit')
    await vi.waitFor(async () => expect(await db.outbox.toArray()).toMatchObject([{ name: 'booking.propose', args: { bookingId: 'b1', sessionId: otherPlay.id, note: 'Mercoledì abbiamo posto' } }]))
    await vi.waitFor(() => expect(wrapper.get('[data-booking-id="b1"] [data-testid="inbox-proposal"]').attributes('data-proposal')).toBe('proposed'))
  })

  it('declines only with a reason, which is sent with booking.decline', async () => {
    const { wrapper } = mountWithApp(InboxView)
    await vi.waitFor(() => expect(wrapper.findAll('[data-testid="inbox-item"]')).toHaveLength(2))
    await wrapper.get('[data-booking-id="b2"] [data-testid="inbox-decline"]').trigger('click')
    expect(wrapper.get('[data-testid="decline-submit"]').attributes('disabled')).toBeDefined()
    await wrapper.get('[data-testid="decline-reason"]').setValue('   ')
    expect(wrapper.get('[data-testid="decline-submit"]').attributes('disabled')).toBeDefined()
    await wrapper.get('[data-testid="decline-reason"]').setValue('Nessun operatore libero')
    await wrapper.get('#decline-form').trigger('submit')
    await vi.waitFor(async () => expect(await db.outbox.toArray()).toMatchObject([{ name: 'booking.decline', args: { bookingId: 'b2', reason: 'Nessun operatore libero' } }]))
    await vi.waitFor(() => expect(wrapper.get('[data-booking-id="b2"]').attributes('data-status')).toBe('declined'))
  })
})
