import { beforeEach, describe, expect, it, vi } from 'vitest'
import { db } from '../../db/db.ts'
import { enqueue } from '../../sync/outbox.ts'
import { activateDevice } from '../../test/device.ts'
import { parentAuth } from '../../test/fixtures.ts'
import { mountWithApp } from '../../test/mount.ts'
import PwaUpdateBanner from './PwaUpdateBanner.vue'
import { usePwaStore } from './pwa.store.ts'

describe('PwaUpdateBanner', () => {
  beforeEach(() => activateDevice(db, parentAuth))

  it('waits for the outbox to drain before reloading into the new version', async () => {
    await enqueue(db, 'booking.cancel', { bookingId: 'b1' }, new Date())
    const { wrapper } = mountWithApp(PwaUpdateBanner)
    const pwa = usePwaStore()
    const update = vi.fn(async () => {})
    pwa.setUpdater(update)
    pwa.needRefresh = true
    await vi.waitFor(() => expect(wrapper.get('[data-testid="update-banner"]').text()).toContain('Prima inviamo la richiesta in attesa'))
    await wrapper.get('[data-testid="update-apply"]').trigger('click')
    await vi.waitFor(() => expect(wrapper.text()).toContain('L’aggiornamento partirà appena'))
    expect(update).not.toHaveBeenCalled()
    await db.outbox.clear() // the next pull acknowledged it
    await vi.waitFor(() => expect(update).toHaveBeenCalledWith(true))
  })

  it('updates at once when nothing is waiting', async () => {
    const { wrapper } = mountWithApp(PwaUpdateBanner)
    const pwa = usePwaStore()
    const update = vi.fn(async () => {})
    pwa.setUpdater(update)
    pwa.needRefresh = true
    await vi.waitFor(() => expect(wrapper.find('[data-testid="update-banner"]').exists()).toBe(true))
    await vi.waitFor(() => expect(pwa.canUpdate).toBe(true))
    await wrapper.get('[data-testid="update-apply"]').trigger('click')
    expect(update).toHaveBeenCalledWith(true)
  })
})
