/** The monitoring screen against a stand-in for the office API (the real one: sync-server's monitoring.test.ts). */
import { flushPromises } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { MonitoringAnswer } from '../../../../shared/office/monitoring.schema.ts'
import { db } from '../../db/db.ts'
import { activateDevice } from '../../test/device.ts'
import { officerAuth, territory, world } from '../../test/fixtures.ts'
import { mountWithApp } from '../../test/mount.ts'
import OfficeMonitoringView from './OfficeMonitoringView.vue'

const answer: MonitoringAnswer = {
  programId: 'prg-1', from: '2026-10-01', to: '2026-10-31', territoryId: null,
  vouchers: { count: 6, amountCents: 180000, heldCents: 1500, spentCents: 9000, leftCents: 169500 },
  families: 2, children: 3, childrenWithDisability: 1, shiftWorkers: 1,
  services: [{ serviceId: 'svc-play', serviceName: 'Spazio gioco', unit: 'meeting', bookings: 4, delivered: 3, units: 6, voucherCents: 9000 }],
  providers: [{ providerId: 'prv-1', providerName: 'ALTANA', serviceId: 'svc-play', delivered: 3, units: 6, voucherCents: 9000 }],
  accesses: { activations: 5, deviceDays: 12 },
  emergency: { requests: 0, accepted: 0, expired: 0, medianSecondsToAccept: null },
}
let paths: string[]

beforeEach(async () => {
  await activateDevice(db, officerAuth, world({ territories: [territory] }))
  paths = []
  vi.stubGlobal('fetch', async (path: string) => {
    paths.push(path)
    if (path.includes('format=csv')) return new Response('\uFEFFIndicatore;Valore\r\n', { headers: { 'content-type': 'text/csv' } })
    return new Response(JSON.stringify(answer), { headers: { 'content-type': 'application/json' } })
  })
})
afterEach(() => vi.unstubAllGlobals())

describe('OfficeMonitoringView', () => {
  it('shows the figures as tables, charts labelled for screen readers, a CSV, and filters by territory', async () => {
    const { wrapper } = mountWithApp(OfficeMonitoringView)
    await vi.waitFor(() => expect(wrapper.find('[data-testid="monitoring-figures"]').exists()).toBe(true))
    const figures = wrapper.get('[data-testid="monitoring-figures"]').text()
    expect(figures).toContain('Famiglie servite2')
    expect(figures).toContain('di cui con disabilità1')
    expect(figures).toContain('€\u00a090,00')
    expect(wrapper.get('[data-testid="monitoring-services"]').text()).toContain('Spazio gioco')
    expect(paths.some((p) => p.includes('format=csv'))).toBe(false) // fetched when asked
    await wrapper.get('[data-testid="monitoring-csv"]').trigger('click')
    await flushPromises()
    expect(paths.at(-1)).toContain('format=csv')
    await vi.waitFor(() => expect(wrapper.find('[data-testid="chart-services"]').exists()).toBe(true))
    expect(wrapper.get('[data-testid="chart-services"]').attributes()).toMatchObject({ role: 'img', 'aria-label': 'Quota voucher erogata per servizio' })
    await wrapper.get('[data-testid="monitoring-territory"]').setValue(territory.id)
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(paths.at(-1)).toContain(`territoryId=${territory.id}`)
  })
})
