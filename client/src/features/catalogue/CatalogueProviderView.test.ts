import { flushPromises } from '@vue/test-utils'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { db } from '../../db/db.ts'
import { setMeta } from '../../db/meta.ts'
import { activateDevice } from '../../test/device.ts'
import { parentAuth, provider, world } from '../../test/fixtures.ts'
import { mountWithApp } from '../../test/mount.ts'
import CatalogueProviderView from './CatalogueProviderView.vue'

describe('CatalogueProviderView', () => {
  beforeEach(async () => {
    await activateDevice(db, parentAuth, world())
    await setMeta(db, 'lastSyncedAt', '2030-01-01T10:00:00.000Z')
  })

  it('lists the provider’s dates by service and area, without its own name under each', async () => {
    const { wrapper } = mountWithApp(CatalogueProviderView, { props: { providerId: provider.id } })
    await vi.waitFor(() => expect(wrapper.findAll('[data-testid="session-item"]').length).toBeGreaterThan(0))
    await flushPromises()
    expect(wrapper.get('h1').text()).toBe('ALTANA Cooperativa')
    const items = wrapper.findAll('[data-testid="session-item"]')
    expect(items.map((i) => i.get('.session__title').text())).toContain('Centro estivo')
    for (const i of items) {
      expect(i.get('.session__place').text()).toBe('Crema')
      expect(i.text()).not.toContain('ALTANA')
    }
  })
})
