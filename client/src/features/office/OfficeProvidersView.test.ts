/** The providers screen against a stand-in for the office API (the real one: sync-server's program.test.ts). */
import { flushPromises } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ProviderEntry } from '../../../../shared/office/program.schema.ts'
import { db } from '../../db/db.ts'
import { activateDevice } from '../../test/device.ts'
import { world } from '../../test/fixtures.ts'
import { mountWithApp } from '../../test/mount.ts'
import { officerAuth, programConfig } from '../../test/office.ts'
import OfficeProvidersView from './OfficeProvidersView.vue'
import { useProgramStore } from './program.store.ts'

const config = programConfig
const altana: ProviderEntry = {
  id: 'prv-1', name: 'ALTANA', shortName: 'ALTANA', territoryId: 'ter-1', kind: 'cooperative', suspendedAt: null, suspensionReason: null,
  services: [{ serviceId: 'svc-play', maxUnitPriceCents: 2000 }], openOrders: 3,
}
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
let gets: string[]
let release: () => void

beforeEach(async () => {
  await activateDevice(db, officerAuth, world())
  gets = []
  let gate = Promise.resolve()
  release = () => undefined
  gate = new Promise((r) => (release = r))
  vi.stubGlobal('fetch', async (path: string, init?: RequestInit) => {
    if ((init?.method ?? 'GET') === 'GET') {
      gets.push(path)
      await gate
      return json(path === '/api/office/program' ? config : { providers: [altana] })
    }
    // Every change is refused with the conflicts a program change can have: the same words as the program's screen.
    return json({ error: { code: 'invalid-state', message: 'x', details: { reason: 'config-conflicts', conflicts: [
      { reason: 'budget-below-assigned', assignedCents: 180_000 }, { reason: 'sessions-above-price', serviceId: 'svc-play', count: 2, maxUnitPriceCents: 1500 },
      { reason: 'in-use', table: 'sessions', count: 4 },
    ] } } }, 409)
  })
})
afterEach(() => vi.unstubAllGlobals())

describe('OfficeProvidersView', () => {
  it('loads the program and the providers in one command, once however often asked, busy until both are here', async () => {
    const { wrapper } = mountWithApp(OfficeProvidersView)
    const store = useProgramStore()
    const again = store.loadProviders()
    await vi.waitFor(() => expect(gets).toHaveLength(2))
    await flushPromises()
    expect(store.busy).toBe(true)
    expect([...gets].sort()).toEqual(['/api/office/program', '/api/office/providers'])
    release()
    await again
    await flushPromises()
    expect(store.busy).toBe(false)
    expect(wrapper.findAll('[data-testid="provider"]')).toHaveLength(1)
    expect(gets).toHaveLength(2)
  })

  it('links each provider to its activity log (filtered by it), named for a screen reader', async () => {
    const { wrapper, router } = mountWithApp(OfficeProvidersView)
    release()
    await vi.waitFor(() => expect(wrapper.find('[data-testid="provider-audit"]').exists()).toBe(true))
    const link = wrapper.get('[data-testid="provider"] [data-testid="provider-audit"]')
    expect(link.text()).toBe('Registro attività di questo fornitore: ALTANA')
    expect(link.get('.sr-only').text()).toBe(': ALTANA')
    expect(link.attributes('href')).toBe('/office/audit?entity=provider&entityId=prv-1')
    await link.trigger('click')
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/office/audit?entity=provider&entityId=prv-1'))
  })

  it('says a refusal’s conflicts in the program screen’s words (the budget with its amount, not €0)', async () => {
    release()
    const { wrapper } = mountWithApp(OfficeProvidersView)
    await vi.waitFor(() => expect(wrapper.find('[data-testid="provider-edit"]').exists()).toBe(true))
    await wrapper.get('[data-testid="provider-edit"]').trigger('click')
    await wrapper.get('[data-testid="edit-save"]').trigger('click')
    await wrapper.get('form.edit').trigger('submit')
    await flushPromises()
    expect(wrapper.get('[data-testid="providers-conflicts"]').findAll('li').map((li) => li.text())).toEqual([
      'Il budget è inferiore ai voucher già assegnati (€\u00a01800,00).',
      'Spazio gioco: 2 sessioni aperte costano più del nuovo tetto (€\u00a015,00).',
      'Ancora usato da 4 sessioni.',
    ])
  })
})
