import { beforeEach, describe, expect, it, vi } from 'vitest'
import { db } from '../../db/db.ts'
import { setMeta } from '../../db/meta.ts'
import { createSyncEngine } from '../../sync/engine.ts'
import { enqueue } from '../../sync/outbox.ts'
import { activateDevice } from '../../test/device.ts'
import { createFakeServer } from '../../test/fake-server.ts'
import { actorOf, parentAuth, world } from '../../test/fixtures.ts'
import { mountWithApp } from '../../test/mount.ts'
import SyncIndicator from './SyncIndicator.vue'
import { useSyncStore } from './sync.store.ts'

const now = new Date('2030-01-01T10:00:00Z')

describe('SyncIndicator', () => {
  beforeEach(() => activateDevice(db, parentAuth))

  it('goes offline → pending → synced, with the pending count, and syncs on demand', async () => {
    const server = createFakeServer(world(), { [parentAuth.token]: actorOf(parentAuth) }, () => now.toISOString())
    const { wrapper } = mountWithApp(SyncIndicator)
    const engine = createSyncEngine({ db, fetch: server.fetch, now: () => now, timers: { set: () => 0, clear: () => {} } })
    useSyncStore().attach(engine)
    const el = () => wrapper.get('[data-testid="sync-indicator"]')
    engine.setOnline(false)
    await enqueue(db, 'booking.cancel', { bookingId: 'nope' }, now)
    await enqueue(db, 'booking.cancel', { bookingId: 'nope2' }, now)
    await vi.waitFor(() => expect(el().attributes()).toMatchObject({ 'data-state': 'offline', 'data-pending': '2' }))
    expect(el().text()).toContain('Offline · 2 in attesa di invio')
    engine.setOnline(true) // back online: the queued mutations are pushed (refused: no such booking) and acknowledged
    await vi.waitFor(() => expect(el().attributes('data-pending')).toBe('0'))
    await vi.waitFor(() => expect(el().attributes('data-state')).toBe('synced'))
    expect(el().text()).toMatch(/Sincronizzato alle \d\d:\d\d/)
    await wrapper.get('[data-testid="sync-now"]').trigger('click')
    await vi.waitFor(() => expect(server.requests.filter((r) => r.path === '/api/sync/pull').length).toBeGreaterThanOrEqual(2))
  })

  it('shows pending when online with queued mutations; a 503 is a calm "retrying", a refused push an error', async () => {
    const { wrapper } = mountWithApp(SyncIndicator)
    await setMeta(db, 'lastSyncedAt', now.toISOString())
    await enqueue(db, 'booking.cancel', { bookingId: 'x' }, now)
    const el = () => wrapper.get('[data-testid="sync-indicator"]')
    await vi.waitFor(() => expect(el().attributes()).toMatchObject({ 'data-state': 'pending', 'data-pending': '1' }))
    await setMeta(db, 'lastError', { code: 'unavailable', message: 'down', at: now.toISOString() })
    await vi.waitFor(() => expect(el().attributes('data-state')).toBe('retrying'))
    expect(el().text()).toContain('Riproviamo tra poco · 1 in attesa di invio')
    expect(el().text()).not.toMatch(/non riuscit|server/i)
    await setMeta(db, 'lastError', { code: 'payload-too-large', message: 'big', at: now.toISOString() })
    await vi.waitFor(() => expect(el().attributes('data-state')).toBe('error'))
  })
})
