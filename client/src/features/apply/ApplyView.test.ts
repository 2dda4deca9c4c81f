/**
 * A family's application in the app: the draft kept on the phone across a reload (and offline), sent
 * online with the server's protocol number, then the family's own score and rank; a family not
 * funded is offered the free consultation. Against a fake server speaking the shared schemas.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { FamilyCall } from '../../../../shared/office/apply.schema.ts'
import { db } from '../../db/db.ts'
import { getMeta } from '../../db/meta.ts'
import { activateDevice } from '../../test/device.ts'
import { parentAuth, world } from '../../test/fixtures.ts'
import { mountWithApp } from '../../test/mount.ts'
import ApplyView from './ApplyView.vue'

const OPEN: FamilyCall = {
  id: 'call-1', name: 'Secondo avviso', opensAt: '2030-01-01T08:00:00.000Z', closesAt: '2030-02-01T17:00:00.000Z', voucherCents: 30_000,
  points: { perChild: 10, disabledChild: 8, dsaChild: 4, householdFragility: 5, shiftWorker: 3 }, state: 'open', application: null,
}
let calls: FamilyCall[]
let posted: unknown[]
beforeEach(async () => {
  await activateDevice(db, parentAuth, world())
  calls = [OPEN]
  posted = []
  vi.stubGlobal('fetch', async (path: string, init?: RequestInit) => {
    if (init?.method === 'POST') {
      posted.push(JSON.parse(String(init.body)))
      calls = [{ ...OPEN, application: { applicationId: 'app-1', protocol: 'B01-00007', submittedAt: '2030-01-10T09:30:00.000Z', result: null, consultation: false } }]
      return new Response(JSON.stringify({ applicationId: 'app-1', protocol: 'B01-00007', submittedAt: '2030-01-10T09:30:00.000Z' }), { status: 201 })
    }
    return new Response(JSON.stringify({ calls }), { status: 200, headers: { 'content-type': 'application/json' } })
  })
})
afterEach(() => vi.unstubAllGlobals())

const mountReady = async () => {
  const { wrapper } = mountWithApp(ApplyView)
  await vi.waitFor(() => expect(wrapper.find('[data-testid="apply-child-ch-1"]').exists()).toBe(true))
  return wrapper
}

describe('ApplyView', () => {
  it('keeps the draft on the phone across a reload', async () => {
    const first = await mountReady()
    await first.get('[data-testid="apply-child-ch-1"]').setValue(true)
    await first.get('[data-testid="apply-disability-ch-1"]').setValue(true)
    await first.get('[data-testid="apply-isee"]').setValue('12.500,00')
    await vi.waitFor(async () => expect((await getMeta(db, 'applicationDrafts'))?.['call-1']?.isee).toBe('12.500,00'))
    expect(first.find('[data-testid="apply-saved"]').exists()).toBe(true)
    first.unmount()
    // A reload without the network: the call as last fetched and the draft come back from the phone.
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch')
    })
    const again = await mountReady()
    expect((again.get('[data-testid="apply-child-ch-1"]').element as HTMLInputElement).checked).toBe(true)
    expect((again.get('[data-testid="apply-disability-ch-1"]').element as HTMLInputElement).checked).toBe(true)
    expect((again.get('[data-testid="apply-isee"]').element as HTMLInputElement).value).toBe('12.500,00')
    await vi.waitFor(() => expect(again.find('[data-testid="apply-offline"]').exists()).toBe(true))
  })

  it('sends the application online and shows the protocol number and time', async () => {
    const wrapper = await mountReady()
    await wrapper.get('[data-testid="apply-child-ch-2"]').setValue(true)
    await wrapper.get('[data-testid="apply-shift"]').setValue(true)
    await wrapper.get('[data-testid="apply-form-call-1"]').trigger('submit')
    await vi.waitFor(() => expect(wrapper.find('[data-testid="apply-protocol"]').exists()).toBe(true))
    expect(posted).toEqual([{ shiftWorker: true, householdFragility: false, children: [{ childId: 'ch-2', disability: false, dsa: false }] }])
    expect(wrapper.get('[data-testid="apply-protocol"]').text()).toContain('B01-00007')
    expect(wrapper.get('[data-testid="apply-protocol"]').text()).toContain('10 gen')
    expect((await getMeta(db, 'applicationDrafts'))?.['call-1']).toBeUndefined()
  })

  it('shows the family its own rank and score, and offers the free consultation when not funded', async () => {
    calls = [{
      ...OPEN, state: 'assigned',
      application: {
        applicationId: 'app-1', protocol: 'B01-00007', submittedAt: '2030-01-10T09:30:00.000Z', consultation: true,
        result: { rank: 12, applicants: 40, score: 13, breakdown: { perChild: 10, disabledChild: 0, dsaChild: 0, householdFragility: 0, shiftWorker: 3 }, funded: false, voucherCents: 0 },
      },
    }]
    const { wrapper } = mountWithApp(ApplyView)
    await vi.waitFor(() => expect(wrapper.find('[data-testid="apply-result"]').exists()).toBe(true))
    expect(wrapper.get('[data-testid="apply-result"]').text()).toBe('Posizione 12 su 40 in graduatoria, con 13 punti.')
    expect(wrapper.text()).toContain('Lavoro su turni')
    expect(wrapper.get('[data-testid="apply-consultation"]').text()).toContain('consulenza gratuita')
    expect(wrapper.find('[data-testid="apply-form-call-1"]').exists()).toBe(false)
  })
})
