/**
 * Accepting an urgent request on the phone (issue 9): the coordinator chooses among the operators on
 * call whose windows cover the request's whole time, the family's usual operator first; an operator,
 * on their own phone, accepts for themselves.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { Operator } from '../../../../shared/catalogue/catalogue.schema.ts'
import type { EmergencyRequest } from '../../../../shared/emergency/emergency.schema.ts'
import { project } from '../../../../shared/entities/registry.ts'
import { db } from '../../db/db.ts'
import { setMeta } from '../../db/meta.ts'
import { activateDevice } from '../../test/device.ts'
import { provider, providerAuth, world } from '../../test/fixtures.ts'
import { mountWithApp } from '../../test/mount.ts'
import InboxView from '../inbox/InboxView.vue'

/** Next Monday 05:30–14:00 in Rome (UTC+1 in winter, +2 in summer: the windows below allow both). */
function nextMonday(): { startsAt: string; endsAt: string } {
  const d = new Date()
  d.setUTCDate(d.getUTCDate() + ((8 - d.getUTCDay()) % 7 || 7))
  const day = d.toISOString().slice(0, 10)
  return { startsAt: `${day}T06:00:00.000Z`, endsAt: `${day}T10:00:00.000Z` }
}
const when = nextMonday()
const request = (over: Partial<EmergencyRequest> = {}): EmergencyRequest => ({
  id: 'em-1', familyId: 'fam-1', childId: 'ch-1', programId: 'prg-1', territoryId: 'ter-1', ...when,
  deadlineAt: new Date(Date.parse(when.startsAt) - 3_600_000).toISOString(), status: 'open', providerId: null, operatorId: null, operatorName: null,
  acceptedAt: null, address: 'Via Mazzini 3, Crema', note: null, familyName: 'Famiglia Rossi', childFirstName: 'Giulia', childBirthDate: '2027-01-01',
  voucherId: 'v-family', estimatedCents: 7200, heldCents: 7200, stage: 'territory', usualProviderId: null, usualOperatorId: 'op-usual', headStartEndsAt: null,
  seenCount: 0, deliveredAt: null, deliveredHours: null, noShow: false, deliveredBy: null, spentCents: null,
  createdAt: new Date().toISOString(), updatedAt: new Date().toISOString(), ...over,
})
/** As an operator's pull has it: without seenCount and the family's voucher amounts (the registry's omit). */
const seenByOperator = () => project('emergencyRequest', request(), 'operator') as EmergencyRequest
const operator = (id: string, name: string, onCallWindows: string, onCall = true): Operator =>
  ({ id, providerId: provider.id, name, onCall, track: null, qualifications: '', takesMildlyIll: true, onCallWindows })

describe('EmergencyInbox: who goes', () => {
  beforeEach(async () => {
    await setMeta(db, 'lastSyncedAt', '2030-01-01T10:00:00Z')
  })

  it('offers the coordinator only the operators whose windows cover the whole request, the family\'s usual one first', async () => {
    await activateDevice(db, providerAuth, world({
      emergencyRequests: [request()],
      operators: [
        operator('op-a', 'Anna', ''), // on call whenever
        operator('op-short', 'Bea', '1 08:00-09:00'), // not long enough
        operator('op-usual', 'Chiara', '1 00:00-24:00'),
        operator('op-off', 'Dora', '', false),
      ],
    }))
    await setMeta(db, 'lastSyncedAt', '2030-01-01T10:00:00Z')
    const { wrapper } = mountWithApp(InboxView)
    await vi.waitFor(() => expect(wrapper.find('[data-request-id="em-1"] [data-testid="emergency-operator"]').exists()).toBe(true))
    const options = wrapper.findAll('[data-request-id="em-1"] [data-testid="emergency-operator"] option').map((o) => o.text())
    expect(options).toEqual(['Chiara', 'Anna'])
    await wrapper.get('[data-request-id="em-1"] [data-testid="emergency-accept"]').trigger('click')
    await vi.waitFor(async () => expect(await db.outbox.toArray()).toMatchObject([{ name: 'emergency.accept', args: { requestId: 'em-1', operatorId: 'op-usual' } }]))
  })

  it('gives the focus to the request among the ones taken once accepted (its button is gone)', async () => {
    await activateDevice(db, providerAuth, world({ emergencyRequests: [request()], operators: [operator('op-a', 'Anna', '')] }))
    await setMeta(db, 'lastSyncedAt', '2030-01-01T10:00:00Z')
    const { wrapper } = mountWithApp(InboxView, { attachTo: document.body })
    await vi.waitFor(() => expect(wrapper.find('[data-request-id="em-1"] [data-testid="emergency-accept"]').exists()).toBe(true))
    const accept = wrapper.get('[data-request-id="em-1"] [data-testid="emergency-accept"]')
    ;(accept.element as HTMLElement).focus()
    await accept.trigger('click')
    await vi.waitFor(() => expect(wrapper.find('[data-testid="emergency-taken"][data-request-id="em-1"]').exists()).toBe(true))
    await vi.waitFor(() => expect(document.activeElement).toBe(wrapper.get('[data-testid="emergency-taken"][data-request-id="em-1"] h3').element))
    wrapper.unmount()
  })

  it('says so when no operator on call covers the hours', async () => {
    await activateDevice(db, providerAuth, world({ emergencyRequests: [request()], operators: [operator('op-short', 'Bea', '1 08:00-09:00')] }))
    await setMeta(db, 'lastSyncedAt', '2030-01-01T10:00:00Z')
    const { wrapper } = mountWithApp(InboxView)
    await vi.waitFor(() => expect(wrapper.find('[data-testid="emergency-none-covers"]').exists()).toBe(true))
    expect(wrapper.find('[data-testid="emergency-accept"]').exists()).toBe(false)
  })

  it('an operator accepts for themselves on their own phone, told when they are the family\'s usual operator', async () => {
    const operatorAuth = { ...providerAuth, token: 'tok-operator-0123456789abcd', role: 'operator' as const, operatorId: 'op-usual', displayName: 'Chiara' }
    await activateDevice(db, operatorAuth, world({ emergencyRequests: [seenByOperator()], operators: [] })) // no staff list on an operator's phone
    await setMeta(db, 'lastSyncedAt', '2030-01-01T10:00:00Z')
    const { wrapper } = mountWithApp(InboxView)
    await vi.waitFor(() => expect(wrapper.find('[data-request-id="em-1"] [data-testid="emergency-accept"]').exists()).toBe(true))
    expect(wrapper.get('[data-request-id="em-1"]').text()).toContain('ti ha come riferimento abituale')
    await wrapper.get('[data-request-id="em-1"] [data-testid="emergency-accept"]').trigger('click')
    await vi.waitFor(async () => expect(await db.outbox.toArray()).toMatchObject([{ name: 'emergency.accept', args: { requestId: 'em-1' } }]))
    // Shown at once among the ones they go to (the phone has no staff list: the server names them).
    await vi.waitFor(() => expect(wrapper.find('[data-testid="emergency-taken"][data-request-id="em-1"]').exists()).toBe(true))
  })
})

describe('EmergencyInbox: an operator\'s own hours', () => {
  it('an operator whose own windows do not cover the request is told so, with no accept button', async () => {
    const operatorAuth = { ...providerAuth, token: 'tok-operator-0123456789abcd', role: 'operator' as const, operatorId: 'op-me', displayName: 'Bea' }
    await activateDevice(db, operatorAuth, world({ emergencyRequests: [seenByOperator()], operators: [operator('op-me', 'Bea', '1 08:00-09:00')] }))
    await setMeta(db, 'lastSyncedAt', '2030-01-01T10:00:00Z')
    const { wrapper } = mountWithApp(InboxView)
    await vi.waitFor(() => expect(wrapper.find('[data-request-id="em-1"] [data-testid="emergency-not-my-hours"]').exists()).toBe(true))
    expect(wrapper.find('[data-request-id="em-1"] [data-testid="emergency-accept"]').exists()).toBe(false)
  })
})
