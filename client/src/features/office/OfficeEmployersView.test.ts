/** The employers screen against a stand-in for the office API (the real one: sync-server's employers.test.ts). */
import { flushPromises } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { EmployersAnswer } from '../../../../shared/office/employers.schema.ts'
import type { ActivateResponse } from '../../../../shared/sync/protocol.ts'
import { db } from '../../db/db.ts'
import { activateDevice } from '../../test/device.ts'
import { world } from '../../test/fixtures.ts'
import { mountWithApp } from '../../test/mount.ts'
import OfficeEmployersView from './OfficeEmployersView.vue'

const officerAuth: ActivateResponse = { token: 'tok-officer-0123456789abcdef', role: 'officer', programId: 'prg-txt', familyId: null, providerId: null, displayName: 'Ufficio' }
const list: EmployersAnswer = {
  voucherCents: 20_000, coveragePercent: 50,
  employers: [{ id: 'emp-1', name: 'WaY Spa', budgetCents: 600_000, assignedCents: 40_000, employees: 1, vouchers: 2 }],
}
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
let calls: [string, RequestInit | undefined][]

beforeEach(async () => {
  await activateDevice(db, officerAuth, world())
  calls = []
  vi.stubGlobal('fetch', async (path: string, init?: RequestInit) => {
    calls.push([path, init])
    const method = init?.method ?? 'GET'
    if (path === '/api/office/employers' && method === 'GET') return json(list)
    if (path === '/api/office/employers/emp-1' && method === 'PUT') {
      const { budgetCents } = JSON.parse(String(init?.body)) as { budgetCents: number }
      if (budgetCents < 40_000) {
        return json({ error: { code: 'invalid-state', message: 'x', details: { reason: 'config-conflicts', conflicts: [{ reason: 'budget-below-assigned', assignedCents: 40_000, count: 2 }] } } }, 409)
      }
      return json({ ...list.employers[0], budgetCents })
    }
    return json({ error: { code: 'not-found', message: 'x' } }, 404)
  })
})
afterEach(() => vi.unstubAllGlobals())

describe('OfficeEmployersView', () => {
  it('changes an employer’s budget in cents; below what its vouchers took it says so with the figures, and the budget stays', async () => {
    const { wrapper } = mountWithApp(OfficeEmployersView)
    await vi.waitFor(() => expect(wrapper.find('[data-testid="employer-budget-emp-1"]').exists()).toBe(true))
    const input = wrapper.get('[data-testid="employer-budget-emp-1"]')
    expect((input.element as HTMLInputElement).value).toBe('6000')
    await input.setValue('300')
    await wrapper.get('[data-testid="employer-budget-form-emp-1"]').trigger('submit')
    await vi.waitFor(() => expect(wrapper.find('[data-testid="employers-below-assigned"]').exists()).toBe(true))
    expect(wrapper.get('[data-testid="employers-below-assigned"]').text()).toContain('(2) valgono €\u00a0400,00')
    expect(wrapper.get('[data-testid="employer"]').text()).toContain('Budget €\u00a06000,00')
    // Said in that employer's card, tied to its field (not at the top of a page of cards).
    const card = wrapper.get('[data-testid="employer"]')
    expect(card.find('[data-testid="employers-below-assigned"]').exists()).toBe(true)
    expect(input.attributes('aria-describedby')).toBe(card.get('[data-testid="employers-below-assigned"]').attributes('id'))
    expect(input.attributes('aria-invalid')).toBe('true')
    await input.setValue('8000.5')
    await wrapper.get('[data-testid="employer-budget-form-emp-1"]').trigger('submit')
    await flushPromises()
    await vi.waitFor(() => expect(wrapper.get('[data-testid="employer"]').text()).toContain('Budget €\u00a08000,50'))
    const puts = calls.filter(([, i]) => i?.method === 'PUT').map(([, i]) => JSON.parse(String(i?.body)) as unknown)
    expect(puts).toEqual([{ budgetCents: 30_000 }, { budgetCents: 800_050 }])
    expect(wrapper.find('[data-testid="employers-below-assigned"]').exists()).toBe(false)
  })
})
