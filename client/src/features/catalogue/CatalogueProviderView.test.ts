import { flushPromises } from '@vue/test-utils'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { db } from '../../db/db.ts'
import { setMeta } from '../../db/meta.ts'
import { activateDevice } from '../../test/device.ts'
import { campWeek, parentAuth, provider, roomy, territory, world } from '../../test/fixtures.ts'
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

  it('filters by area with choices that wrap, kept in the address so Back finds it set', async () => {
    const viadana = { ...territory, id: 'ter-2', name: 'Viadana/Mantova' }
    await activateDevice(db, parentAuth, world({ territories: [territory, viadana], sessions: [roomy, { ...campWeek, territoryId: viadana.id }] }))
    const { wrapper, router } = mountWithApp(CatalogueProviderView, { props: { providerId: provider.id } })
    await router.push(`/catalogue/providers/${provider.id}`)
    await vi.waitFor(() => expect(wrapper.findAll('[data-testid="session-item"]')).toHaveLength(2))
    const filter = wrapper.get('[data-testid="territory-filter"]')
    expect(filter.element.tagName).toBe('FIELDSET') // not a closed <select>, which cannot wrap
    expect(filter.get('legend').text()).toBe('Zona')
    expect(filter.get('[data-testid="territory-ter-2"]').element.closest('label')!.innerHTML).toContain('Viadana/<wbr>Mantova')
    await filter.get('[data-testid="territory-ter-2"]').setValue(true)
    await vi.waitFor(() => expect(router.currentRoute.value.query.territory).toBe('ter-2'))
    await vi.waitFor(() => expect(wrapper.findAll('[data-testid="session-item"]')).toHaveLength(1))
    expect(wrapper.get('.session__place').text()).toBe('Viadana/Mantova')
    // Back on the page with its address: the same area chosen.
    const again = mountWithApp(CatalogueProviderView, { props: { providerId: provider.id } })
    await again.router.push(`/catalogue/providers/${provider.id}?territory=ter-2`)
    await vi.waitFor(() => expect(again.wrapper.findAll('[data-testid="session-item"]')).toHaveLength(1))
    expect((again.wrapper.get('[data-testid="territory-ter-2"]').element as HTMLInputElement).checked).toBe(true)
    await again.wrapper.get('[data-testid="territory-all"]').setValue(true)
    await vi.waitFor(() => expect(again.router.currentRoute.value.query.territory).toBeUndefined())
    await vi.waitFor(() => expect(again.wrapper.findAll('[data-testid="session-item"]')).toHaveLength(2))
  })
})
