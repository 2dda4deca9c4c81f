/**
 * The booking's message thread through the real sync engine against the fake server: written offline
 * (queued, shown as waiting), sent when back online, then received by the provider's phone; the
 * booking itself shows no pending change for it; a draft survives leaving the page. The operator
 * assigned to a booking reads and answers its thread; the coordinator sees which operator wrote.
 */
import { mount } from '@vue/test-utils'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { db, forgetDrafts } from '../../db/db.ts'
import { i18n } from '../../i18n/index.ts'
import { setMeta } from '../../db/meta.ts'
import { createSyncEngine } from '../../sync/engine.ts'
import { activateDevice } from '../../test/device.ts'
import { createFakeServer, type FakeServer } from '../../test/fake-server.ts'
import { actorOf, booking, parentAuth, providerAuth, world } from '../../test/fixtures.ts'
import type { ActivateResponse } from '../../../../shared/index.ts'
import { mountWithApp } from '../../test/mount.ts'
import InboxView from '../inbox/InboxView.vue'
import PlanView from '../plan/PlanView.vue'
import { useSyncStore } from '../sync/sync.store.ts'
import { useMessagesStore } from './messages.store.ts'

const now = new Date('2030-01-01T10:00:00Z')
const timers = { set: () => 0, clear: () => {} }
let server: FakeServer

async function mountAs(auth: ActivateResponse, component: typeof PlanView | typeof InboxView, attached = false) {
  await activateDevice(db, auth)
  await setMeta(db, 'lastSyncedAt', now.toISOString())
  const m = mountWithApp(component, attached ? { attachTo: document.body } : {})
  const sync = useSyncStore()
  sync.attach(createSyncEngine({ db, fetch: server.fetch, now: () => now, timers }))
  await sync.syncNow()
  return { ...m, sync }
}

/** Opens a thread as a click on its summary does. */
async function openThread(details: ReturnType<ReturnType<typeof mountWithApp>['wrapper']['get']>) {
  ;(details.element as HTMLDetailsElement).open = true
  await details.trigger('toggle')
  // The open thread's body loads on demand (MessagesThreadBody.vue).
  await vi.waitFor(() => expect(details.find('[data-testid="thread-input"]').exists()).toBe(true))
}

describe('the booking’s message thread', () => {
  beforeEach(() => {
    server = createFakeServer(world({ bookings: [booking({ id: 'b-req', status: 'requested' })] }), {
      [parentAuth.token]: actorOf(parentAuth), [providerAuth.token]: actorOf(providerAuth),
    }, () => now.toISOString())
  })

  it('is written offline, shown as waiting, sent when back online and read by the provider', async () => {
    const { wrapper, sync } = await mountAs(parentAuth, PlanView)
    const card = () => wrapper.get('[data-testid="plan-item"][data-booking-id="b-req"]')
    await vi.waitFor(() => expect(card().find('[data-testid="thread"]').exists()).toBe(true))
    expect(card().get('[data-testid="thread"] summary').text()).toBe('Messaggi')
    expect(card().find('[data-testid="thread-input"]').exists()).toBe(false) // rendered only when open
    await openThread(card().get('[data-testid="thread"]'))

    sync.engine!.setOnline(false)
    await card().get('[data-testid="thread-input"]').setValue('Ha la febbre: tachipirina alle 12')
    await card().get('form').trigger('submit')
    await vi.waitFor(() => expect(card().findAll('[data-testid="thread-message"]')).toHaveLength(1))
    const mine = card().get('[data-testid="thread-message"]')
    expect(mine.attributes('data-state')).toBe('pending')
    expect(mine.text()).toContain('Tu')
    expect(mine.text()).toContain('in attesa di invio')
    expect(card().text()).not.toContain('Modifica in attesa di invio') // a message is not a change of the booking
    expect(card().find('[data-testid="plan-cancel"]').exists()).toBe(true)
    expect((card().get('[data-testid="thread-input"]').element as HTMLTextAreaElement).value).toBe('')
    expect(server.state.messages.size).toBe(0)

    sync.engine!.setOnline(true)
    await sync.syncNow()
    await vi.waitFor(() => expect(card().get('[data-testid="thread-message"]').attributes('data-state')).toBe('sent'))
    expect([...server.state.messages.values()]).toMatchObject([{ bookingId: 'b-req', authorRole: 'parent', familyId: 'fam-1', providerId: 'prv-1' }])
    expect(await db.outbox.count()).toBe(0)
    wrapper.unmount()

    const provider = await mountAs(providerAuth, InboxView)
    const order = () => provider.wrapper.get('[data-testid="inbox-item"][data-booking-id="b-req"]')
    await vi.waitFor(() => expect(order().get('[data-testid="thread"] summary').text()).toBe('Messaggi (1) 1 nuovo'))
    await openThread(order().get('[data-testid="thread"]'))
    await vi.waitFor(() => expect(order().findAll('[data-testid="thread-message"]')).toHaveLength(1))
    expect(order().get('[data-testid="thread-message"]').text()).toContain('Famiglia')
    expect(order().get('[data-testid="thread-message"]').text()).toContain('tachipirina')
  })

  it('keeps the focus in the box after sending (the send button is disabled again)', async () => {
    const { wrapper } = await mountAs(parentAuth, PlanView, true)
    const card = () => wrapper.get('[data-testid="plan-item"][data-booking-id="b-req"]')
    await vi.waitFor(() => expect(card().find('[data-testid="thread"]').exists()).toBe(true))
    await openThread(card().get('[data-testid="thread"]'))
    await card().get('[data-testid="thread-input"]').setValue('A che ora arrivate?')
    const send = card().get('[data-testid="thread-send"]')
    ;(send.element as HTMLElement).focus()
    await card().get('form').trigger('submit')
    await vi.waitFor(() => expect(card().findAll('[data-testid="thread-message"]')).toHaveLength(1))
    expect(send.attributes('disabled')).toBeDefined()
    expect(document.activeElement).toBe(card().get('[data-testid="thread-input"]').element)
    wrapper.unmount()
  })

  it('keeps a draft when the page is left and comes back', async () => {
    const { wrapper, pinia, router } = await mountAs(parentAuth, PlanView)
    await vi.waitFor(() => expect(wrapper.find('[data-testid="thread"]').exists()).toBe(true))
    await openThread(wrapper.get('[data-testid="thread"]'))
    await wrapper.get('[data-testid="thread-input"]').setValue('Suonate al citofono Rossi')
    expect(useMessagesStore().draftOf('b-req')).toBe('Suonate al citofono Rossi')
    wrapper.unmount()
    const again = mount(PlanView, { global: { plugins: [pinia, i18n, router], stubs: { teleport: true } } })
    // A thread with a draft opens by itself.
    await vi.waitFor(() => expect(again.find('[data-testid="thread-input"]').exists()).toBe(true))
    expect((again.get('[data-testid="thread-input"]').element as HTMLTextAreaElement).value).toBe('Suonate al citofono Rossi')
    again.unmount()
    // A reload (a fresh app: new stores) keeps it too; a wiped device forgets it.
    const reloaded = mountWithApp(PlanView)
    await vi.waitFor(() => expect(reloaded.wrapper.find('[data-testid="thread-input"]').exists()).toBe(true))
    expect((reloaded.wrapper.get('[data-testid="thread-input"]').element as HTMLTextAreaElement).value).toBe('Suonate al citofono Rossi')
    reloaded.wrapper.unmount()
    forgetDrafts()
    expect(localStorage.getItem('conciliapp.draft.messages')).toBeNull()
  })

  it('marks the provider’s replies unread on this device until the thread is opened, and remembers it', async () => {
    server = createFakeServer(world({
      bookings: [booking({ id: 'b-req', status: 'requested' })],
      messages: [{ id: 'm-prv', bookingId: 'b-req', familyId: 'fam-1', providerId: 'prv-1', authorRole: 'provider', operatorId: null, writtenBy: 'person:cod-prv-1', body: 'Arriva Chiara alle 8', createdAt: '2030-01-01T09:00:00Z' }],
    }), { [parentAuth.token]: actorOf(parentAuth) }, () => now.toISOString())
    const { wrapper } = await mountAs(parentAuth, PlanView)
    const card = () => wrapper.get('[data-testid="plan-item"][data-booking-id="b-req"]')
    await vi.waitFor(() => expect(card().get('[data-testid="thread-unread"]').text()).toBe('1 nuovo'))
    await openThread(card().get('[data-testid="thread"]'))
    await vi.waitFor(() => expect(card().find('[data-testid="thread-unread"]').exists()).toBe(false))
    wrapper.unmount()
    // Again (a reload): still read.
    const again = mountWithApp(PlanView)
    await vi.waitFor(() => expect(again.wrapper.find('[data-testid="plan-item"][data-booking-id="b-req"] [data-testid="thread"]').exists()).toBe(true))
    await vi.waitFor(async () => expect((await db.meta.get('messagesSeen'))?.value).toEqual({ 'b-req': '2030-01-01T09:00:00Z' }))
    expect(again.wrapper.find('[data-testid="thread-unread"]').exists()).toBe(false)
  })

  it('is read and answered by the operator assigned (unread marks too); the coordinator sees which operator wrote', async () => {
    const operatorAuth: ActivateResponse = { ...providerAuth, token: 'tok-operator-0123456789abcd', role: 'operator', operatorId: 'op-1', displayName: 'Chiara Bettoni' }
    server = createFakeServer(world({
      bookings: [booking({ id: 'b-op', status: 'confirmed', operatorId: 'op-1', operatorName: 'Chiara Bettoni' })],
      messages: [{ id: 'm-fam', bookingId: 'b-op', familyId: 'fam-1', providerId: 'prv-1', authorRole: 'parent', operatorId: 'op-1', writtenBy: 'person:cod-fam-1', body: 'Citofono Rossi', createdAt: '2030-01-01T09:00:00Z' }],
    }), {
      [operatorAuth.token]: { ...actorOf(operatorAuth), operatorId: 'op-1' }, [providerAuth.token]: actorOf(providerAuth),
    }, () => now.toISOString())
    const op = await mountAs(operatorAuth, InboxView)
    const order = () => op.wrapper.get('[data-testid="inbox-item"][data-booking-id="b-op"]')
    await vi.waitFor(() => expect(order().get('[data-testid="thread-unread"]').text()).toBe('1 nuovo'))
    expect(op.wrapper.findAll('[role="tab"]').map((x) => x.attributes('data-tab'))).toEqual(['confirmed', 'others']) // nothing to confirm
    await openThread(order().get('[data-testid="thread"]'))
    await vi.waitFor(() => expect(order().find('[data-testid="thread-unread"]').exists()).toBe(false))
    expect(order().get('[data-testid="thread-message"]').text()).toContain('Famiglia')
    await order().get('[data-testid="thread-input"]').setValue('Arrivo alle 8')
    await order().get('form').trigger('submit')
    await op.sync.syncNow()
    await vi.waitFor(() => expect(order().findAll('[data-testid="thread-message"][data-state="sent"]')).toHaveLength(2))
    expect(order().findAll('[data-testid="thread-message"]')[1]!.text()).toContain('Tu')
    expect([...server.state.messages.values()].find((m) => m.body === 'Arrivo alle 8')).toMatchObject({ authorRole: 'provider', writtenBy: 'operator:op-1', operatorId: 'op-1' })
    op.wrapper.unmount()

    const coordinator = await mountAs(providerAuth, InboxView)
    await coordinator.wrapper.get('[role="tab"][data-tab="confirmed"]').trigger('click')
    const card = () => coordinator.wrapper.get('[data-testid="inbox-item"][data-booking-id="b-op"]')
    await vi.waitFor(() => expect(card().find('[data-testid="thread"]').exists()).toBe(true))
    await openThread(card().get('[data-testid="thread"]'))
    await vi.waitFor(() => expect(card().findAll('[data-testid="thread-message"]')).toHaveLength(2))
    const answer = card().findAll('[data-testid="thread-message"]')[1]!
    expect(answer.text()).toContain('Chiara Bettoni')
    expect(answer.classes()).not.toContain('thread__message--mine')
  })
})
