/**
 * Recording an emergency's delivery on the provider's phone (issue 9): offered on the cooperative's
 * accepted request once it has started, the hours actually delivered (at most those asked) or a
 * no-show, queued offline and shown at once; an operator sees only the ones assigned to them.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { EmergencyRequest } from '../../../../shared/emergency/emergency.schema.ts'
import { project } from '../../../../shared/entities/registry.ts'
import { db } from '../../db/db.ts'
import { setMeta } from '../../db/meta.ts'
import { activateDevice } from '../../test/device.ts'
import { provider, providerAuth, world } from '../../test/fixtures.ts'
import { mountWithApp } from '../../test/mount.ts'
import InboxView from '../inbox/InboxView.vue'

const hour = 3_600_000
const at = (h: number) => new Date(Math.floor(Date.now() / hour) * hour + h * hour).toISOString()
/** The family's voucher is not on a provider's phone (the registry's spaces). */
const request = (over: Partial<EmergencyRequest>): EmergencyRequest => ({
  id: 'em-1', familyId: 'fam-1', childId: 'ch-1', programId: 'prg-1', territoryId: 'ter-1', startsAt: at(-1), endsAt: at(3), deadlineAt: at(-2),
  status: 'accepted', providerId: provider.id, operatorId: 'op-1', operatorName: 'Chiara Bettoni', acceptedAt: at(-2), address: 'Via Mazzini 3, Crema',
  note: 'Febbre', familyName: 'Famiglia Rossi', childFirstName: 'Giulia', childBirthDate: '2027-01-01', voucherId: 'v-family', estimatedCents: 7200, heldCents: 7200,
  stage: 'territory', usualProviderId: null, usualOperatorId: null, headStartEndsAt: null, seenCount: 0,
  deliveredAt: null, deliveredHours: null, noShow: false, deliveredBy: null, spentCents: null, createdAt: at(-3), updatedAt: at(-2), ...over,
})

describe('EmergencyInbox: recording an emergency\'s delivery', () => {
  beforeEach(async () => {
    await setMeta(db, 'lastSyncedAt', '2030-01-01T10:00:00Z')
  })

  it('offers it once the request has started and records the hours actually delivered (at most those asked)', async () => {
    await activateDevice(db, providerAuth, world({
      emergencyRequests: [request({}), request({ id: 'em-later', startsAt: at(5), endsAt: at(8), deadlineAt: at(4), childFirstName: 'Marco' })],
    }))
    await setMeta(db, 'lastSyncedAt', '2030-01-01T10:00:00Z')
    const { wrapper } = mountWithApp(InboxView)
    await vi.waitFor(() => expect(wrapper.findAll('[data-testid="emergency-taken"]')).toHaveLength(2))
    expect(wrapper.find('[data-request-id="em-later"] [data-testid="emergency-deliver"]').exists()).toBe(false)
    expect(wrapper.get('[data-request-id="em-later"]').text()).toContain('Potrai registrare l’erogazione dalle')
    await wrapper.get('[data-request-id="em-1"] [data-testid="emergency-deliver"]').trigger('click')
    expect(wrapper.get('[data-testid="deliver-dialog"]').text()).toContain('Il servizio a casa si è svolto?')
    const hours = wrapper.get('[data-testid="deliver-quantity"]')
    expect((hours.element as HTMLInputElement).value).toBe('4')
    await hours.setValue('5')
    expect(wrapper.get('[data-testid="deliver-submit"]').attributes('disabled')).toBeDefined()
    await hours.setValue('2')
    await wrapper.get('#deliver-form').trigger('submit')
    await vi.waitFor(async () => expect(await db.outbox.toArray()).toMatchObject([{ name: 'emergency.deliver', args: { requestId: 'em-1', deliveredHours: 2 } }]))
    const [queued] = await db.outbox.toArray()
    expect(Date.parse((queued!.args as { deliveredAt: string }).deliveredAt)).toBeGreaterThanOrEqual(Date.parse(at(-1)))
    // Shown at once (the derived view replays it): delivered, waiting to be sent.
    await vi.waitFor(() => expect(wrapper.get('[data-request-id="em-1"]').attributes('data-status')).toBe('delivered'))
    expect(wrapper.get('[data-request-id="em-1"] [data-testid="emergency-delivered"]').text()).toContain('2 di 4')
    expect(wrapper.get('[data-request-id="em-1"]').text()).toContain('Erogazione in attesa di invio')
  })

  it('an operator records a no-show on the request assigned to them, and sees no one else\'s', async () => {
    const operatorAuth = { ...providerAuth, token: 'tok-operator-0123456789abcd', role: 'operator' as const, operatorId: 'op-1', displayName: 'Chiara Bettoni' }
    await activateDevice(db, operatorAuth, world({
      // As an operator's pull has them: without the family's voucher amounts (the registry's omit).
      emergencyRequests: [request({}), request({ id: 'em-other', operatorId: 'op-2', operatorName: 'Paolo' })]
        .map((r) => project('emergencyRequest', r, 'operator') as EmergencyRequest),
    }))
    await setMeta(db, 'lastSyncedAt', '2030-01-01T10:00:00Z')
    const { wrapper } = mountWithApp(InboxView)
    await vi.waitFor(() => expect(wrapper.findAll('[data-testid="emergency-taken"]')).toHaveLength(1))
    await wrapper.get('[data-request-id="em-1"] [data-testid="emergency-deliver"]').trigger('click')
    await wrapper.get('[data-testid="deliver-noshow"]').setValue(true)
    await wrapper.get('#deliver-form').trigger('submit')
    await vi.waitFor(async () => expect(await db.outbox.toArray()).toMatchObject([{ name: 'emergency.deliver', args: { requestId: 'em-1', noShow: true } }]))
    await vi.waitFor(() => expect(wrapper.get('[data-request-id="em-1"] [data-testid="emergency-delivered"]').text()).toContain('Assenza'))
    expect(wrapper.text()).not.toContain('NaN')
  })
})
