/** The program configuration screen against a stand-in for the office API (the real one: sync-server's program.test.ts). */
import { flushPromises } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { db } from '../../db/db.ts'
import { activateDevice } from '../../test/device.ts'
import { world } from '../../test/fixtures.ts'
import { mountWithApp } from '../../test/mount.ts'
import { officerAuth, programConfig } from '../../test/office.ts'
import OfficeProgramView from './OfficeProgramView.vue'

const config = programConfig

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
let calls: [string, RequestInit | undefined][]
let refuse: boolean

beforeEach(async () => {
  await activateDevice(db, officerAuth, world())
  calls = []
  refuse = false
  vi.stubGlobal('fetch', async (path: string, init?: RequestInit) => {
    calls.push([path, init])
    const method = init?.method ?? 'GET'
    if (path === '/api/office/program' && method === 'GET') return json(config)
    if (path === '/api/office/program' && method === 'PUT') {
      if (refuse) {
        return json({ error: { code: 'invalid-state', message: 'x', details: { reason: 'config-conflicts', conflicts: [
          { reason: 'budget-below-assigned', assignedCents: 180_000 }, { reason: 'bookings-outside-age', serviceId: 'svc-play', count: 2 },
          { reason: 'sessions-open', serviceId: 'svc-play', count: 1 },
        ] } } }, 409)
      }
      const body = JSON.parse(String(init?.body)) as Record<string, unknown>
      return json({ ...config, ...body, facts: config.facts })
    }
    if (path === '/api/office/territories/ter-1' && method === 'DELETE') {
      return json({ error: { code: 'invalid-state', message: 'x', details: { reason: 'config-conflicts', conflicts: [
        { reason: 'in-use', table: 'providers', count: 2 }, { reason: 'in-use', table: 'sessions', count: 40 },
      ] } } }, 409)
    }
    if (path === '/api/office/services/svc-play' && method === 'DELETE') return json({ ...config, services: [] })
    return json({ error: { code: 'not-found', message: 'x' } }, 404)
  })
})
afterEach(() => vi.unstubAllGlobals())

/** The configuration is on the screen (the signed-in token is read first, then the program is fetched). */
const loaded = (wrapper: ReturnType<typeof mountWithApp>['wrapper']) =>
  vi.waitFor(() => expect(wrapper.find('[data-testid="program-form"]').exists()).toBe(true))

describe('OfficeProgramView', () => {
  it('shows the configuration with the family’s share, and saves a new cancellation window in cents and hours', async () => {
    const { wrapper } = mountWithApp(OfficeProgramView)
    await loaded(wrapper)
    expect(wrapper.get('[data-testid="program-facts"]').text()).toContain('6 voucher')
    expect(wrapper.text()).toContain('oggi il 20% di ogni prezzo')
    await wrapper.get('[data-testid="pg-cancel"]').setValue('48')
    await wrapper.get('[data-testid="pg-budget"]').setValue('150000.5')
    await wrapper.get('[data-testid="pg-s-dis-svc-play"]').setValue(false)
    await wrapper.get('[data-testid="program-form"]').trigger('submit')
    await flushPromises()
    const [, init] = calls.find(([p, i]) => p === '/api/office/program' && i?.method === 'PUT')!
    expect(JSON.parse(String(init?.body))).toMatchObject({
      cancellationWindowHours: 48, budgetCents: 15_000_050, voucherAmountCents: 30_000,
      services: [{ id: 'svc-play', acceptsDisability: false }], territories: [{ id: 'ter-1', name: 'Crema' }],
    })
    expect(wrapper.get('[data-testid="program-saved"]').text()).toContain('Configurazione salvata')
  })

  it('sets the payment delay providers see (0–365 days): a wrong value is said at the field and nothing is sent', async () => {
    const { wrapper } = mountWithApp(OfficeProgramView)
    await loaded(wrapper)
    const days = wrapper.get('[data-testid="pg-pay-days"]')
    expect((days.element as HTMLInputElement).value).toBe('60')
    expect(wrapper.get('label[for="pg-pay-days"]').text()).toContain('giorni dall’approvazione')
    await days.setValue('400')
    await wrapper.get('[data-testid="program-form"]').trigger('submit')
    await flushPromises()
    expect(calls.some(([p, i]) => p === '/api/office/program' && i?.method === 'PUT')).toBe(false)
    expect(wrapper.get('[data-testid="pg-pay-days-error"]').text()).toContain('tra 0 e 365')
    expect(days.attributes('aria-invalid')).toBe('true')
    expect(days.attributes('aria-describedby')).toContain('pg-pay-days-error')
    await days.setValue('90')
    await wrapper.get('[data-testid="program-form"]').trigger('submit')
    await flushPromises()
    const [, init] = calls.find(([p, i]) => p === '/api/office/program' && i?.method === 'PUT')!
    expect(JSON.parse(String(init?.body))).toMatchObject({ paymentDaysAfterApproval: 90 })
    expect(wrapper.find('[data-testid="pg-pay-days-error"]').exists()).toBe(false)
    expect((wrapper.get('[data-testid="pg-pay-days"]').element as HTMLInputElement).value).toBe('90')
  })

  it('lists every conflict of a refused change in words, one or many, and keeps what was typed', async () => {
    refuse = true
    const { wrapper } = mountWithApp(OfficeProgramView)
    await loaded(wrapper)
    await wrapper.get('[data-testid="pg-budget"]').setValue('10')
    await wrapper.get('[data-testid="program-form"]').trigger('submit')
    await flushPromises()
    const alert = wrapper.get('[data-testid="program-conflicts"]')
    expect(alert.attributes('role')).toBe('alert')
    expect(alert.findAll('li').map((li) => li.text())).toEqual([
      'Il budget è inferiore ai voucher già assegnati (€\u00a01800,00).',
      'Spazio gioco: 2 prenotazioni in corso sono di bambini fuori dalla nuova fascia d’età.',
      'Spazio gioco: il fornitore ha una sessione aperta di questo servizio.', // one, not '1 sessioni aperte'
    ])
    expect((wrapper.get('[data-testid="pg-budget"]').element as HTMLInputElement).value).toBe('10')
  })

  it('refuses an inverted age range on the screen, sending nothing', async () => {
    const { wrapper } = mountWithApp(OfficeProgramView)
    await loaded(wrapper)
    await wrapper.get('[data-testid="pg-s-min-svc-play"]').setValue('9')
    await wrapper.get('[data-testid="program-form"]').trigger('submit')
    await flushPromises()
    expect(calls.some(([, i]) => i?.method === 'PUT')).toBe(false)
    expect(wrapper.text()).toContain('Controlla i campi')
  })

  it('deletes a saved service after asking; a territory in use is refused with what uses it, in words; a new one just leaves the form', async () => {
    const { wrapper } = mountWithApp(OfficeProgramView, { attachTo: document.body })
    await loaded(wrapper)
    await wrapper.get('[data-testid="pg-del-service-svc-play"]').trigger('click')
    await vi.waitFor(() => expect(document.querySelector('[data-testid="pg-delete-confirm"]')).not.toBeNull())
    ;(document.querySelector('[data-testid="pg-delete-confirm"]') as HTMLButtonElement).click()
    await flushPromises()
    expect(calls.some(([p, i]) => p === '/api/office/services/svc-play' && i?.method === 'DELETE')).toBe(true)
    await vi.waitFor(() => expect(wrapper.find('[data-testid="pg-service-svc-play"]').exists()).toBe(false))

    await wrapper.get('[data-testid="pg-del-ter-ter-1"]').trigger('click')
    await vi.waitFor(() => expect(document.querySelector('[data-testid="pg-delete-confirm"]')).not.toBeNull())
    ;(document.querySelector('[data-testid="pg-delete-confirm"]') as HTMLButtonElement).click()
    await flushPromises()
    const alert = wrapper.get('[data-testid="program-conflicts"]')
    expect(alert.text()).toContain('Non è stato eliminato: è ancora in uso')
    expect(alert.text()).toContain('Ancora usato da 2 fornitori.')
    expect(alert.text()).toContain('Ancora usato da 40 sessioni.')
    expect(document.activeElement).toBe(alert.element) // the reasons are where the officer's focus goes
    expect(wrapper.find('[data-testid="pg-del-ter-ter-1"]').exists()).toBe(true)

    await wrapper.get('[data-testid="pg-add-territory"]').trigger('click')
    await wrapper.get('[data-testid="pg-del-ter-new"]').trigger('click')
    expect(wrapper.find('[data-testid="pg-del-ter-new"]').exists()).toBe(false)
    expect(calls.filter(([, i]) => i?.method === 'DELETE')).toHaveLength(2)
    wrapper.unmount()
  })
})
