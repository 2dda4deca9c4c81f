/** The statements screen against a stand-in for the office API (the real one: sync-server's statements.test.ts). */
import { flushPromises } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Statement } from '../../../../shared/office/statements.schema.ts'
import { db } from '../../db/db.ts'
import { activateDevice } from '../../test/device.ts'
import { officerAuth, provider, world } from '../../test/fixtures.ts'
import { mountWithApp } from '../../test/mount.ts'
import OfficeStatementsView from './OfficeStatementsView.vue'


const draft: Statement = {
  id: 'stm-1', status: 'draft', providerId: provider.id, providerName: provider.name, from: '2026-10-01', to: '2026-10-31', rowCount: 2, totalCents: 6000,
  preparedBy: 'cod-officer-1', preparedAt: '2026-11-02T09:00:00.000Z', approvedBy: null, approvedAt: null, paidAt: null, reference: null,
  rows: [
    { bookingId: 'b1', emergencyRequestId: null, childFirstName: 'Giulia', serviceId: 'svc-play', serviceName: 'Spazio gioco', deliveredAt: '2026-10-05T16:00:00.000Z', quantity: 3, voucherCents: 4500 },
    { bookingId: 'b2', emergencyRequestId: null, childFirstName: 'Marco', serviceId: 'svc-play', serviceName: 'Spazio gioco', deliveredAt: '2026-10-06T16:00:00.000Z', quantity: 1, voucherCents: 1500 },
  ],
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
let calls: [string, RequestInit | undefined][]

beforeEach(async () => {
  await activateDevice(db, officerAuth, world({ providers: [provider] }))
  calls = []
  vi.stubGlobal('fetch', async (path: string, init?: RequestInit) => {
    calls.push([path, init])
    const method = init?.method ?? 'GET'
    if (path === '/api/office/statements' && method === 'GET') return json({ statements: [] })
    if (path === '/api/office/statements' && method === 'POST') return json(draft, 201)
    if (path.endsWith('/approve')) {
      return json({ error: { code: 'forbidden', message: 'Non hai i permessi.', messageEn: 'Not allowed.', details: { reason: 'same-officer' } } }, 403)
    }
    return json({ error: { code: 'not-found', message: 'x' } }, 404)
  })
})
afterEach(() => vi.unstubAllGlobals())

describe('OfficeStatementsView', () => {
  it('prepares a statement for the provider and period, shows its rows and total to the cent', async () => {
    const { wrapper } = mountWithApp(OfficeStatementsView)
    await flushPromises()
    expect((wrapper.get('[data-testid="statements-provider"]').element as HTMLSelectElement).value).toBe(provider.id)
    await wrapper.get('form').trigger('submit')
    // The token is read from the device's database first: wait for the request, not for one flush.
    await vi.waitFor(() => expect(wrapper.find('[data-testid="statement-detail"]').exists()).toBe(true))
    const [, init] = calls.find(([p, i]) => p === '/api/office/statements' && i?.method === 'POST')!
    expect(JSON.parse(String(init?.body))).toMatchObject({ providerId: provider.id })
    expect(new Headers(init?.headers).get('authorization')).toBe(`Bearer ${officerAuth.token}`)
    const detail = wrapper.get('[data-testid="statement-detail"]')
    expect(detail.text()).toContain('Giulia')
    expect(wrapper.get('[data-testid="statement-total"]').text()).toBe('€\u00a060,00')
    // Above the table too (on a tablet with large text the table scrolls sideways).
    expect(wrapper.get('[data-testid="statement-summary"]').text()).toBe('2 prestazioni, totale €\u00a060,00')
    expect(wrapper.get('[data-testid="statement-status"]').text()).toBe('Bozza')
    expect(wrapper.get('[data-testid="statements-list"]').text()).toContain(provider.name)
  })

  it('says in words why the preparer cannot approve', async () => {
    const { wrapper } = mountWithApp(OfficeStatementsView)
    await flushPromises()
    await wrapper.get('form').trigger('submit')
    await vi.waitFor(() => expect(wrapper.find('[data-testid="statement-approve"]').exists()).toBe(true))
    await wrapper.get('[data-testid="statement-approve"]').trigger('click')
    await vi.waitFor(() => expect(wrapper.find('[data-testid="statements-error"]').exists()).toBe(true))
    expect(wrapper.get('[data-testid="statements-error"]').text()).toBe('Hai preparato tu questo rendiconto: deve approvarlo un altro funzionario.')
    expect(wrapper.get('[data-testid="statement-status"]').text()).toBe('Bozza')
  })
})
