import { flushPromises } from '@vue/test-utils'
import { describe, expect, it, vi } from 'vitest'
import type { Session } from '../../../../shared/index.ts'
import { db } from '../../db/db.ts'
import { setMeta } from '../../db/meta.ts'
import { createSyncEngine } from '../../sync/engine.ts'
import { activateDevice } from '../../test/device.ts'
import { createFakeServer } from '../../test/fake-server.ts'
import { actorOf, booking, otherPlay, parentAuth, providerAuth, pupilVoucher, roomy, toddlerVoucher, world } from '../../test/fixtures.ts'
import { mountWithApp } from '../../test/mount.ts'
import { useViewStore } from '../../view/view.store.ts'
import { useSyncStore } from '../sync/sync.store.ts'
import CatalogueSessionView from './CatalogueSessionView.vue'

const now = new Date('2030-01-01T10:00:00Z')
const foreign: Session = { ...otherPlay, id: 'ses-foreign', providerId: 'prv-2' }
const closed: Session = { ...otherPlay, id: 'ses-closed', status: 'closed' }
/** Two bookings hold a place and €24 each on the roomy session; one was cancelled. */
const mirror = () => world({
  sessions: [{ ...roomy, placesLeft: 3 }, otherPlay, foreign, closed],
  vouchers: [{ ...toddlerVoucher, heldCents: 4800, balanceCents: 25200 }, pupilVoucher],
  bookings: [booking({ id: 'b-req', status: 'requested' }), booking({ id: 'b-conf', status: 'confirmed' }), booking({ id: 'b-canc', status: 'cancelled' })],
})

async function mountSession(sessionId: string) {
  await setMeta(db, 'lastSyncedAt', now.toISOString())
  const m = mountWithApp(CatalogueSessionView, { props: { sessionId } })
  await vi.waitFor(() => expect(useViewStore().ready && useViewStore().session(sessionId)).toBeTruthy())
  await flushPromises()
  return m
}
type W = Awaited<ReturnType<typeof mountSession>>['wrapper']
const find = (w: W, id: string) => w.find(`[data-testid="${id}"]`)

describe('closing a session (provider)', () => {
  it('asks for a reason, says how many bookings it declines, and queues session.close', async () => {
    await activateDevice(db, providerAuth, mirror())
    const { wrapper } = await mountSession(roomy.id)
    expect(wrapper.text()).toContain('2 prenotazioni attive: chiudendo saranno rifiutate con il tuo motivo.')
    await find(wrapper, 'session-close').trigger('click')
    const dialog = find(wrapper, 'session-close-dialog')
    expect(dialog.text()).toContain('Le 2 prenotazioni attive saranno rifiutate con questo motivo')
    const submit = () => find(wrapper, 'session-close-submit')
    expect(submit().attributes('disabled')).toBeDefined()
    await find(wrapper, 'session-close-reason').setValue('   ')
    expect(submit().attributes('disabled')).toBeDefined()
    expect(await db.outbox.count()).toBe(0)

    await find(wrapper, 'session-close-reason').setValue('  Operatrice malata ')
    expect(submit().attributes('disabled')).toBeUndefined()
    await wrapper.find('#session-close-form').trigger('submit')
    await vi.waitFor(async () => expect(await db.outbox.toArray()).toMatchObject([
      { name: 'session.close', args: { sessionId: roomy.id, reason: 'Operatrice malata' } },
    ]))
    await vi.waitFor(() => expect(find(wrapper, 'session-close-pending').exists()).toBe(true))
    expect(find(wrapper, 'session-close').exists()).toBe(false)
    expect(find(wrapper, 'session-close-dialog').exists()).toBe(false)
  })

  it('reaches the server, which closes the session and declines its bookings; the page then shows it closed', async () => {
    const server = createFakeServer(mirror(), { [providerAuth.token]: actorOf(providerAuth) }, () => now.toISOString())
    await activateDevice(db, providerAuth, mirror())
    const page = await mountSession(roomy.id)
    const sync = useSyncStore()
    sync.attach(createSyncEngine({ db, fetch: server.fetch, now: () => now, timers: { set: () => 0, clear: () => {} } }))
    await sync.syncNow()
    await find(page.wrapper, 'session-close').trigger('click')
    await find(page.wrapper, 'session-close-reason').setValue('Sala inagibile')
    await page.wrapper.find('#session-close-form').trigger('submit')
    await vi.waitFor(async () => expect(await db.outbox.count()).toBe(1))
    await sync.syncNow()
    await vi.waitFor(async () => expect(await db.outbox.count()).toBe(0))
    expect(server.state.sessions.get(roomy.id)).toMatchObject({ status: 'closed', placesLeft: 5 })
    expect(server.state.bookings.get('b-req')).toMatchObject({ status: 'declined', declineReason: 'Sala inagibile' })
    expect(server.state.bookings.get('b-conf')).toMatchObject({ status: 'declined', declineReason: 'Sala inagibile' })
    expect(server.state.bookings.get('b-canc')).toMatchObject({ status: 'cancelled' })
    await vi.waitFor(() => expect(page.wrapper.text()).toContain('Questa sessione non è più prenotabile.'))
    expect(find(page.wrapper, 'session-close').exists()).toBe(false)
    expect(find(page.wrapper, 'session-close-pending').exists()).toBe(false)
  })

  it.each([
    ['a parent', parentAuth, roomy.id],
    ['another provider’s session', providerAuth, foreign.id],
    ['a session already closed', providerAuth, closed.id],
  ])('is not offered to %s', async (_label, auth, sessionId) => {
    await activateDevice(db, auth, mirror())
    const { wrapper } = await mountSession(sessionId)
    expect(find(wrapper, 'session-close').exists()).toBe(false)
  })
})
