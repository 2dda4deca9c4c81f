import { flushPromises } from '@vue/test-utils'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { db } from '../../db/db.ts'
import { getMeta } from '../../db/meta.ts'
import { activateDevice } from '../../test/device.ts'
import { booking, campWeek, camp, lastPlace, otherPlay, parentAuth, play, pupil, roomy, toddler, world } from '../../test/fixtures.ts'
import { mountWithApp } from '../../test/mount.ts'
import { useViewStore } from '../../view/view.store.ts'
import CatalogueBookSheet from './CatalogueBookSheet.vue'

async function mountSheet(session = roomy, service = play) {
  const m = mountWithApp(CatalogueBookSheet, { props: { session, service, children: [toddler, pupil] } })
  await vi.waitFor(() => expect(useViewStore().ready && useViewStore().program).toBeTruthy())
  await flushPromises()
  return m
}
const text = (w: ReturnType<typeof mountWithApp>['wrapper'], id: string) => w.get(`[data-testid="${id}"]`).text().replace(/\s/g, ' ')

describe('CatalogueBookSheet', () => {
  beforeEach(() => activateDevice(db, parentAuth, world()))

  it('shows cost, voucher part, co-pay and what is left BEFORE sending', async () => {
    const { wrapper } = await mountSheet()
    await wrapper.get('[data-testid="book-child"]').setValue(toddler.id)
    await wrapper.get('[data-testid="book-quantity"]').setValue(3)
    await vi.waitFor(() => expect(wrapper.get('[data-testid="book-submit"]').attributes('disabled')).toBeUndefined())
    expect(text(wrapper, 'book-cost')).toBe('€ 36,00')
    expect(text(wrapper, 'book-voucher')).toBe('€ 36,00')
    expect(text(wrapper, 'book-copay')).toBe('€ 0,00')
    expect(text(wrapper, 'book-left-after')).toBe('€ 264,00')
  })

  it('asks where for an at-home service, prefilled from the last address given, and sends it with the request', async () => {
    await activateDevice(db, parentAuth, world({ bookings: [booking({ id: 'old', status: 'delivered', address: 'Via Roma 1, Crema' })] }))
    const plain = await mountSheet()
    expect(plain.wrapper.find('[data-testid="book-address"]').exists()).toBe(false)
    const { wrapper } = await mountSheet(roomy, { ...play, category: 'sick-child-babysitting' })
    await vi.waitFor(() => expect((wrapper.get('[data-testid="book-address"]').element as HTMLInputElement).value).toBe('Via Roma 1, Crema'))
    await wrapper.get('[data-testid="book-address"]').setValue('Via Garibaldi 2, Crema')
    await wrapper.get('[data-testid="book-child"]').setValue(toddler.id)
    await vi.waitFor(() => expect(wrapper.get('[data-testid="book-submit"]').attributes('disabled')).toBeUndefined())
    await wrapper.get('form').trigger('submit')
    await vi.waitFor(async () => expect(await db.outbox.toArray()).toMatchObject([{ name: 'booking.request', args: { address: 'Via Garibaldi 2, Crema' } }]))
  })

  it('is disabled with the reason when the voucher does not cover it', async () => {
    const { wrapper } = await mountSheet(campWeek, camp)
    await wrapper.get('[data-testid="book-child"]').setValue(pupil.id)
    await wrapper.get('[data-testid="book-quantity"]').setValue(1)
    await vi.waitFor(() => expect(wrapper.find('[data-testid="book-reason"]').exists()).toBe(true))
    expect(text(wrapper, 'book-cost')).toBe('€ 90,00')
    // Never a negative "left": what is missing, in words.
    expect(wrapper.find('[data-testid="book-left-after"]').exists()).toBe(false)
    expect(text(wrapper, 'book-missing')).toBe('€ 40,00')
    expect(wrapper.get('[data-testid="book-submit"]').attributes('disabled')).toBeDefined()
    expect(text(wrapper, 'book-reason')).toContain('restano € 50,00, ne servono € 90,00')
  })

  it('flags a child whose age does not fit and refuses a quantity above the maximum', async () => {
    const { wrapper } = await mountSheet()
    expect((wrapper.get('[data-testid="book-child"]').element as HTMLSelectElement).value).toBe(toddler.id) // opens on an eligible child
    expect(wrapper.get(`option[value="${pupil.id}"]`).text()).toContain('età non prevista')
    await wrapper.get('[data-testid="book-child"]').setValue(pupil.id)
    await vi.waitFor(() => expect(text(wrapper, 'book-reason')).toContain("L'età del bambino (9 anni)"))
    await wrapper.get('[data-testid="book-child"]').setValue(toddler.id)
    await wrapper.get('[data-testid="book-quantity"]').setValue(roomy.unitsMax + 1)
    await vi.waitFor(() => expect(text(wrapper, 'book-reason')).toContain(`da 1 a ${roomy.unitsMax}`))
    expect(wrapper.get('[data-testid="book-submit"]').attributes('disabled')).toBeDefined()
  })

  it('sends booking.request with the price it showed: queued in the outbox, no network needed', async () => {
    const fetchSpy = vi.fn(() => Promise.reject(new TypeError('offline')))
    vi.stubGlobal('fetch', fetchSpy)
    const { wrapper } = await mountSheet()
    await wrapper.get('[data-testid="book-child"]').setValue(toddler.id)
    await wrapper.get('[data-testid="book-quantity"]').setValue(2)
    await vi.waitFor(() => expect(wrapper.get('[data-testid="book-submit"]').attributes('disabled')).toBeUndefined())
    await wrapper.get('form').trigger('submit')
    await vi.waitFor(() => expect(wrapper.emitted('booked')).toHaveLength(1))
    const [entry] = await db.outbox.toArray()
    expect(entry).toMatchObject({ id: 1, name: 'booking.request', args: { childId: toddler.id, sessionId: roomy.id, quantity: 2, expectedUnitPriceCents: 1200 } })
    expect(wrapper.emitted('booked')?.[0]).toEqual([(entry?.args as { bookingId: string }).bookingId])
    // The derived view already holds the voucher share and the place.
    await vi.waitFor(() => expect(useViewStore().voucherOfChild(toddler.id)?.heldCents).toBe(2400))
    expect(useViewStore().session(roomy.id)?.placesLeft).toBe(roomy.placesLeft - 1)
    expect(fetchSpy).not.toHaveBeenCalled()
    vi.unstubAllGlobals()
  })

  it('a child who already holds this session changes its quantity instead of booking it twice', async () => {
    vi.stubGlobal('fetch', vi.fn(() => Promise.reject(new TypeError('offline'))))
    const first = await mountSheet()
    await first.wrapper.get('[data-testid="book-quantity"]').setValue(2)
    await vi.waitFor(() => expect(first.wrapper.get('[data-testid="book-submit"]').attributes('disabled')).toBeUndefined())
    await first.wrapper.get('form').trigger('submit')
    await vi.waitFor(() => expect(first.wrapper.emitted('booked')).toHaveLength(1))
    first.wrapper.unmount()

    const { wrapper } = await mountSheet()
    await vi.waitFor(() => expect(text(wrapper, 'book-existing')).toContain('ha già questa sessione'))
    expect(text(wrapper, 'book-submit')).toBe('Cambia la quantità')
    await wrapper.get('[data-testid="book-quantity"]').setValue(2)
    await vi.waitFor(() => expect(text(wrapper, 'book-reason')).toBe('La prenotazione ha già questa quantità.'))
    await wrapper.get('[data-testid="book-quantity"]').setValue(4)
    await vi.waitFor(() => expect(wrapper.get('[data-testid="book-submit"]').attributes('disabled')).toBeUndefined())
    expect(text(wrapper, 'book-left-after')).toBe('€ 252,00') // 300 − 4 × 12: the first share is freed
    await wrapper.get('form').trigger('submit')
    await vi.waitFor(async () => expect((await db.outbox.toArray()).map((e) => e.name)).toEqual(['booking.request', 'booking.changeQuantity']))
    const [request, change] = await db.outbox.toArray()
    expect(change?.args).toEqual({ bookingId: (request?.args as { bookingId: string }).bookingId, quantity: 4 })
    await vi.waitFor(() => expect(useViewStore().voucherOfChild(toddler.id)?.heldCents).toBe(4800))
    vi.unstubAllGlobals()
  })
  it('a recurring plan: picks the days and the last day, lists how many dates, and queues ONE request with the recurrence', async () => {
    const fetchSpy = vi.fn(() => Promise.reject(new TypeError('offline')))
    vi.stubGlobal('fetch', fetchSpy)
    // roomy, lastPlace and otherPlay: the same service and provider at 09:00 on Monday 4, Tuesday 5 and Wednesday 6 March 2030.
    const { wrapper } = await mountSheet()
    await wrapper.get('[data-testid="book-child"]').setValue(toddler.id)
    await wrapper.get('[data-testid="book-repeat"]').setValue(true)
    // The anchor's weekday is chosen, until four weeks on: only the Monday (no other Monday at 09:00).
    expect((wrapper.get('[data-testid="book-repeat-day-1"]').element as HTMLInputElement).checked).toBe(true)
    expect(wrapper.get('[data-testid="book-until"]').element).toHaveProperty('value', '2030-04-01')
    expect(text(wrapper, 'book-series-count')).toBe('Date che chiederai: 1')
    await wrapper.get('[data-testid="book-repeat-day-2"]').setValue(true)
    await wrapper.get('[data-testid="book-repeat-day-3"]').setValue(true)
    expect(text(wrapper, 'book-series-count')).toBe('Date che chiederai: 3')
    await wrapper.get('[data-testid="book-until"]').setValue('2030-03-05')
    expect(text(wrapper, 'book-series-count')).toBe('Date che chiederai: 2')
    // No day: it says why and cannot be sent.
    for (const d of [1, 2, 3]) await wrapper.get(`[data-testid="book-repeat-day-${d}"]`).setValue(false)
    await vi.waitFor(() => expect(text(wrapper, 'book-reason')).toBe('Scegli almeno un giorno.'))
    expect(wrapper.get('[data-testid="book-submit"]').attributes('disabled')).toBeDefined()
    for (const d of [1, 2]) await wrapper.get(`[data-testid="book-repeat-day-${d}"]`).setValue(true)
    await vi.waitFor(() => expect(wrapper.get('[data-testid="book-submit"]').attributes('disabled')).toBeUndefined())
    await wrapper.get('form').trigger('submit')
    await vi.waitFor(() => expect(wrapper.emitted('booked')).toHaveLength(1))
    const entries = await db.outbox.toArray()
    expect(entries).toHaveLength(1)
    const args = entries[0]!.args as { bookingId: string }
    expect(entries[0]).toMatchObject({ name: 'booking.request', args: { childId: toddler.id, sessionId: roomy.id, quantity: 1, recurrence: { weekdays: [1, 2], until: '2030-03-05' } } })
    expect(wrapper.emitted('booked')?.[0]).toEqual([args.bookingId])
    // Remembered on this phone until the server's dates come back (the plan card shows them meanwhile).
    expect((await getMeta(db, 'plans'))?.[args.bookingId]).toEqual({ sessionId: roomy.id, childId: toddler.id, quantity: 1, recurrence: { weekdays: [1, 2], until: '2030-03-05' } })
    // The derived view already holds both dates' places.
    await vi.waitFor(() => expect(useViewStore().session(lastPlace.id)?.placesLeft).toBe(lastPlace.placesLeft - 1))
    expect(useViewStore().session(otherPlay.id)?.placesLeft).toBe(otherPlay.placesLeft)
    expect(fetchSpy).not.toHaveBeenCalled()
    vi.unstubAllGlobals()
  })
})
