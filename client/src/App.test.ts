/**
 * The shell's focus on navigation: a new page focuses its heading (a screen reader announces it); a
 * choice made on the page that only changes its query (an area in the catalogue) keeps the focus on
 * the control that made it.
 */
import { describe, expect, it, vi } from 'vitest'
import App from './App.vue'
import { db } from './db/db.ts'
import { setMeta } from './db/meta.ts'
import { activateDevice } from './test/device.ts'
import { campWeek, parentAuth, provider, roomy, territory, world } from './test/fixtures.ts'
import { mountWithApp } from './test/mount.ts'

describe('App: focus on navigation', () => {
  it('focuses a new page’s heading, and keeps the focus on a filter chosen on the page', async () => {
    const viadana = { ...territory, id: 'ter-2', name: 'Viadana/Mantova' }
    await activateDevice(db, parentAuth, world({ territories: [territory, viadana], sessions: [roomy, { ...campWeek, territoryId: viadana.id }] }))
    await setMeta(db, 'lastSyncedAt', '2030-01-01T10:00:00.000Z')
    const { wrapper, router } = mountWithApp(App, { attachTo: document.body })
    await router.push('/catalogue')
    await router.push(`/catalogue/providers/${provider.id}`)
    await vi.waitFor(() => expect(document.activeElement?.tagName).toBe('H1'))
    await vi.waitFor(() => expect(wrapper.find('[data-testid="territory-ter-2"]').exists()).toBe(true))
    const area = wrapper.get('[data-testid="territory-ter-2"]')
    ;(area.element as HTMLInputElement).focus()
    await area.setValue(true)
    await vi.waitFor(() => expect(router.currentRoute.value.query.territory).toBe('ter-2'))
    await vi.waitFor(() => expect(wrapper.findAll('[data-testid="session-item"]')).toHaveLength(1))
    expect(document.activeElement).toBe(area.element)
    wrapper.unmount()
  })
})
