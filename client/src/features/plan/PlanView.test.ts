import { flushPromises } from '@vue/test-utils'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { db } from '../../db/db.ts'
import { getMeta, setMeta } from '../../db/meta.ts'
import { createSyncEngine } from '../../sync/engine.ts'
import { enqueue } from '../../sync/outbox.ts'
import { activateDevice } from '../../test/device.ts'
import { createFakeServer } from '../../test/fake-server.ts'
import { actorOf, booking, lastPlace, otherPlay, parentAuth, roomy, toddler, toddlerVoucher, world } from '../../test/fixtures.ts'
import { mountWithApp } from '../../test/mount.ts'
import { useSyncStore } from '../sync/sync.store.ts'
import { useCatalogueStore } from '../catalogue/catalogue.store.ts'
import PlanView from './PlanView.vue'

const now = new Date('2030-01-01T10:00:00Z')
type W = ReturnType<typeof mountWithApp>['wrapper']
const item = (w: W, bookingId: string) => w.get(`[data-testid="plan-item"][data-booking-id="${bookingId}"]`)
const states = (w: W) => Object.fromEntries(w.findAll('[data-testid="plan-item"]').map((i) => [i.attributes('data-booking-id'), i.attributes('data-state')]))

async function mountPlan() {
  await setMeta(db, 'lastSyncedAt', now.toISOString())
  const m = mountWithApp(PlanView)
  await vi.waitFor(() => expect(m.wrapper.findAll('[data-testid="plan-item"]').length).toBeGreaterThan(0))
  return m
}

describe('PlanView', () => {
  beforeEach(async () => {
    // Consistent with the bookings: two hold a place and €24 each, one delivered spent €24.
    await activateDevice(db, parentAuth, world({
      sessions: [{ ...roomy, placesLeft: 3 }, lastPlace, otherPlay],
      vouchers: [{ ...toddlerVoucher, heldCents: 4800, spentCents: 2400, balanceCents: 22800 }],
      bookings: [
        booking({ id: 'b-req', status: 'requested' }),
        booking({ id: 'b-conf', status: 'confirmed', operatorId: 'op-1' }),
        booking({ id: 'b-decl', status: 'declined', declineReason: 'Nessun operatore libero' }),
        booking({ id: 'b-canc', status: 'cancelled' }),
        booking({ id: 'b-done', status: 'delivered' }),
      ],
    }))
  })

  it('renders every state in words, pending ones included', async () => {
    await enqueue(db, 'booking.request', { bookingId: 'b-pend', childId: toddler.id, sessionId: roomy.id, quantity: 1 }, now)
    const { wrapper } = await mountPlan()
    await vi.waitFor(() => expect(states(wrapper)).toEqual({
      'b-pend': 'pending', 'b-req': 'requested', 'b-conf': 'confirmed', 'b-decl': 'declined', 'b-canc': 'cancelled', 'b-done': 'delivered',
    }))
    expect(item(wrapper, 'b-pend').text()).toContain('in attesa di invio')
    expect(item(wrapper, 'b-req').text()).toContain('inviata, in attesa del fornitore')
    expect(item(wrapper, 'b-conf').text()).toContain('confermata')
    expect(item(wrapper, 'b-conf').text()).toContain('Operatore: Chiara Bettoni')
    expect(item(wrapper, 'b-decl').get('[data-testid="plan-reason"]').text()).toContain('Nessun operatore libero')
    expect(item(wrapper, 'b-canc').text()).toContain('annullata')
    expect(item(wrapper, 'b-done').text()).toContain('erogata')
    expect(item(wrapper, 'b-done').find('[data-testid="plan-cancel"]').exists()).toBe(false)
  })

  it('offers a declined booking other dates of the same service that still have places', async () => {
    const { wrapper } = await mountPlan()
    const declined = item(wrapper, 'b-decl')
    await vi.waitFor(() => expect(declined.find('[data-testid="plan-declined-alternatives"]').exists()).toBe(true))
    expect(declined.text()).toContain('Altre date dello stesso servizio con posti liberi')
    // The declined booking's own session (roomy) is not offered; soonest first.
    // Each keeps the child and quantity (the sheet opens with them) and says its town.
    expect(declined.findAll('[data-testid="plan-alternative"]').map((a) => a.attributes('href'))).toEqual([
      `/sessions/${lastPlace.id}?child=ch-1&qty=2`, `/sessions/${otherPlay.id}?child=ch-1&qty=2`,
    ])
    expect(declined.findAll('[data-testid="plan-alternative-town"]').map((a) => a.text())).toEqual(['Crema', 'Crema'])
    // Seen: the card leaves "to look at" for the history, the tab's badge goes.
    expect(wrapper.find('#plan-attention').exists()).toBe(true)
    await declined.get('[data-testid="plan-seen"]').trigger('click')
    await vi.waitFor(() => expect(wrapper.find('#plan-attention').exists()).toBe(false))
    expect(await getMeta(db, 'seenDeclines')).toEqual(['b-decl'])
    for (const id of ['b-req', 'b-conf', 'b-canc', 'b-done']) {
      expect(item(wrapper, id).find('[data-testid="plan-declined-alternatives"]').exists(), id).toBe(false)
    }
  })

  it('cancels after a confirmation: booking.cancel goes to the outbox and the item shows it at once', async () => {
    const { wrapper } = await mountPlan()
    await item(wrapper, 'b-req').get('[data-testid="plan-cancel"]').trigger('click')
    expect(await db.outbox.count()).toBe(0) // nothing before the confirmation
    await wrapper.get('[data-testid="confirm-accept"]').trigger('click')
    await vi.waitFor(async () => expect(await db.outbox.toArray()).toMatchObject([{ name: 'booking.cancel', args: { bookingId: 'b-req' } }]))
    await vi.waitFor(() => expect(item(wrapper, 'b-req').attributes('data-state')).toBe('cancelled'))
    expect(item(wrapper, 'b-req').text()).toContain('Modifica in attesa di invio')
    expect(item(wrapper, 'b-req').find('[data-testid="plan-probable"]').exists()).toBe(false)
  })

  it('gives the focus to the cancelled booking’s title when the dialog closes (its cancel button is gone)', async () => {
    await setMeta(db, 'lastSyncedAt', now.toISOString())
    const { wrapper } = mountWithApp(PlanView, { attachTo: document.body })
    await vi.waitFor(() => expect(wrapper.findAll('[data-testid="plan-item"]').length).toBeGreaterThan(0))
    const cancel = item(wrapper, 'b-req').get('[data-testid="plan-cancel"]')
    ;(cancel.element as HTMLElement).focus()
    await cancel.trigger('click')
    await wrapper.get('[data-testid="confirm-accept"]').trigger('click')
    await vi.waitFor(() => expect(item(wrapper, 'b-req').attributes('data-state')).toBe('cancelled'))
    await vi.waitFor(() => expect(document.activeElement).toBe(item(wrapper, 'b-req').get('h2').element))
    wrapper.unmount()
  })

  it('left right after a cancellation, it no longer looks for the booking’s title: the next page keeps its focus', async () => {
    await setMeta(db, 'lastSyncedAt', now.toISOString())
    const { wrapper } = mountWithApp(PlanView) // not in the document: the title it looks for is never found there
    await vi.waitFor(() => expect(wrapper.findAll('[data-testid="plan-item"]').length).toBeGreaterThan(0))
    await item(wrapper, 'b-req').get('[data-testid="plan-cancel"]').trigger('click')
    await wrapper.get('[data-testid="confirm-accept"]').trigger('click')
    await vi.waitFor(() => expect(item(wrapper, 'b-req').attributes('data-state')).toBe('cancelled'))
    wrapper.unmount()
    // The page the parent went to shows the same booking.
    const card = document.createElement('article')
    card.dataset.bookingId = 'b-req'
    card.dataset.state = 'cancelled'
    card.innerHTML = '<h2 tabindex="-1">Babysitting</h2>'
    document.body.append(card)
    try {
      await new Promise((r) => setTimeout(r, 200))
      expect(document.activeElement).not.toBe(card.querySelector('h2'))
    } finally {
      card.remove()
    }
  })

  it('turns a pending booking the server refuses into a refused item with reason, balance and alternatives', async () => {
    const server = createFakeServer(world(), { [parentAuth.token]: actorOf(parentAuth) }, () => now.toISOString())
    const { wrapper } = await mountPlan()
    const sync = useSyncStore()
    sync.attach(createSyncEngine({ db, fetch: server.fetch, now: () => now, timers: { set: () => 0, clear: () => {} } }))
    await sync.syncNow() // mirror = server
    // Someone else takes the last place on the server; this phone, offline, still sees it free.
    server.state.sessions.set(lastPlace.id, { ...lastPlace, placesLeft: 0 })
    sync.engine!.setOnline(false)
    const bookingId = await useCatalogueStore().book(lastPlace.id, toddler.id, 1)
    await vi.waitFor(() => expect(item(wrapper, bookingId).attributes('data-state')).toBe('pending'))
    sync.engine!.setOnline(true)
    await sync.syncNow()
    await vi.waitFor(() => expect(item(wrapper, bookingId).attributes('data-state')).toBe('refused'))
    const refused = item(wrapper, bookingId)
    expect(refused.get('[data-testid="plan-reason"]').text()).toBe('Posti esauriti per questa sessione.')
    expect(refused.text()).toContain('non accettata')
    expect(refused.text()).not.toMatch(/server/i)
    expect(refused.text()).toContain('Credito disponibile ora: €\u00a0300,00')
    const alternatives = refused.findAll('[data-testid="plan-alternative"]').map((a) => a.attributes('href'))
    expect(alternatives).toContain(`/sessions/${otherPlay.id}?child=ch-1&qty=1`)
    expect(await db.outbox.count()).toBe(0)
    expect(Object.values((await getMeta(db, 'resultsAcked')) ?? {})).toEqual([1])

    await refused.get('[data-testid="plan-dismiss"]').trigger('click')
    await vi.waitFor(() => expect(wrapper.find(`[data-booking-id="${bookingId}"]`).exists()).toBe(false))
    expect((await db.results.toArray())[0]?.dismissed).toBe(1)
    await flushPromises()
  })
})

describe('PlanView: the provider proposed another time', () => {
  beforeEach(async () => {
    await activateDevice(db, parentAuth, world({
      sessions: [{ ...roomy, placesLeft: 4 }, otherPlay],
      vouchers: [{ ...toddlerVoucher, heldCents: 2400, balanceCents: 27600 }],
      bookings: [
        booking({ id: 'b-prop', status: 'requested', proposedSessionId: otherPlay.id, proposalStatus: 'proposed', proposalNote: 'Mercoledì abbiamo posto', proposedAt: '2030-01-01T09:00:00Z' }),
        booking({ id: 'b-prop2', status: 'requested', childId: 'ch-1', sessionId: lastPlace.id, proposedSessionId: otherPlay.id, proposalStatus: 'proposed', proposedAt: '2030-01-01T09:00:00Z' }),
      ],
    }))
  })

  it('shows when, the cost and the provider’s words; accepting moves the booking at once (offline) and queues the answer', async () => {
    const { wrapper } = await mountPlan()
    // The proposal's section is a lazy chunk (after the first screen: view/tasks.ts).
    await vi.waitFor(() => expect(item(wrapper, 'b-prop').find('[data-testid="plan-proposal-when"]').exists()).toBe(true))
    const card = item(wrapper, 'b-prop')
    expect(card.get('[data-testid="plan-proposal-when"]').text()).toMatch(/mer 6 mar/)
    expect(card.get('[data-testid="plan-proposal"]').text()).toContain('Mercoledì abbiamo posto')
    await card.get('[data-testid="plan-proposal-accept"]').trigger('click')
    await vi.waitFor(async () => expect(await db.outbox.toArray()).toMatchObject([{ name: 'booking.acceptProposal', args: { bookingId: 'b-prop' } }]))
    await vi.waitFor(() => expect(item(wrapper, 'b-prop').find('[data-testid="plan-proposal"]').exists()).toBe(false))
    expect(item(wrapper, 'b-prop').attributes('data-state')).toMatch(/confirmed|pending/)
  })

  it('declining keeps the original request and says so', async () => {
    const { wrapper } = await mountPlan()
    await vi.waitFor(() => expect(item(wrapper, 'b-prop2').find('[data-testid="plan-proposal-decline"]').exists()).toBe(true))
    await item(wrapper, 'b-prop2').get('[data-testid="plan-proposal-decline"]').trigger('click')
    await vi.waitFor(async () => expect(await db.outbox.toArray()).toMatchObject([{ name: 'booking.declineProposal', args: { bookingId: 'b-prop2' } }]))
    await vi.waitFor(() => expect(item(wrapper, 'b-prop2').get('[data-testid="plan-proposal-answered"]').text()).toContain('richiesta originale'))
  })
})
