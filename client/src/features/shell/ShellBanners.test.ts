import { beforeEach, describe, expect, it, vi } from 'vitest'
import { db } from '../../db/db.ts'
import type { StoredResult } from '../../db/db.types.ts'
import { setMeta } from '../../db/meta.ts'
import { activateDevice } from '../../test/device.ts'
import { booking, parentAuth, world } from '../../test/fixtures.ts'
import { mountWithApp } from '../../test/mount.ts'
import { usePlanStore } from '../plan/plan.store.ts'
import ShellBanners from './ShellBanners.vue'

// A cancellation refused (the booking had moved on) (a notice in the plan), kept until dismissed there.
const lateCancel: StoredResult = {
  key: 'c-1:7', clientId: 'c-1', mutationId: 7, name: 'booking.cancel', args: { bookingId: 'b-conf' },
  code: 'invalid-state', message: null, details: null, receivedAt: '2030-01-01T09:00:00.000Z', dismissed: 0,
}

async function mountAt(path: string) {
  const m = mountWithApp(ShellBanners)
  await m.router.push(path)
  return m
}

describe('ShellBanners: what the plan holds for the family to see', () => {
  beforeEach(async () => {
    await activateDevice(db, parentAuth, world({
      bookings: [booking({ id: 'b-conf', status: 'confirmed' }), booking({ id: 'b-decl', status: 'declined', declineReason: 'Nessun operatore libero' })],
    }))
    await setMeta(db, 'lastSyncedAt', '2030-01-01T10:00:00.000Z')
  })

  it('is one announcement, not two alarms: what was refused and declined, and what to do', async () => {
    await db.results.put(lateCancel)
    const { wrapper } = await mountAt('/home')
    await vi.waitFor(() => expect(wrapper.find('[data-testid="attention-declined"]').exists()).toBe(true))
    await vi.waitFor(() => expect(wrapper.find('[data-testid="attention-refused"]').exists()).toBe(true))
    expect(wrapper.findAll('.alert--danger')).toHaveLength(1)
    expect(wrapper.findAll('[role="status"], [role="alert"]')).toHaveLength(1)
    const banner = wrapper.get('[data-testid="attention-banner"]')
    expect(banner.attributes('role')).toBe('status')
    expect(banner.text()).toContain('Una richiesta non accettata')
    expect(banner.text()).toContain('Una prenotazione rifiutata dal fornitore')
    expect(banner.text()).toContain('cosa fare')
    expect(banner.get('a').attributes('href')).toBe('/plan')
  })

  it('stays until the decline is seen in the plan, and is not shown on the plan itself', async () => {
    const { wrapper, router } = await mountAt('/catalogue')
    await vi.waitFor(() => expect(wrapper.find('[data-testid="attention-declined"]').exists()).toBe(true))
    expect(wrapper.find('[data-testid="attention-refused"]').exists()).toBe(false)
    await router.push('/plan')
    await vi.waitFor(() => expect(wrapper.find('[data-testid="attention-banner"]').exists()).toBe(false))
    await router.push('/home')
    await vi.waitFor(() => expect(wrapper.find('[data-testid="attention-banner"]').exists()).toBe(true))
    await usePlanStore().markSeen('b-decl')
    await vi.waitFor(() => expect(wrapper.find('[data-testid="attention-banner"]').exists()).toBe(false))
  })
})
