/**
 * The parent's card of one urgent request: an accepted request may be cancelled until its time begins;
 * from then on the card says so and offers no cancel (the server refuses it: emergency.mutators.ts), and
 * it changes by itself at the start while the card is open.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { EmergencyRequest } from '../../../../shared/emergency/emergency.schema.ts'
import { mountWithApp } from '../../test/mount.ts'
import EmergencyStatusCard from './EmergencyStatusCard.vue'

const START = Date.parse('2026-11-26T04:30:00.000Z')
const request = (over: Partial<EmergencyRequest> = {}): EmergencyRequest => ({
  id: 'em-1', familyId: 'fam-1', childId: 'ch-1', programId: 'prg-1', territoryId: 'ter-1',
  startsAt: new Date(START).toISOString(), endsAt: new Date(START + 8 * 3_600_000).toISOString(),
  deadlineAt: new Date(START - 3_600_000).toISOString(), status: 'accepted', providerId: 'prv-1', operatorId: 'op-1', operatorName: 'Chiara Bettoni',
  acceptedAt: new Date(START - 2 * 3_600_000).toISOString(), address: 'Via Mazzini 3, Crema', note: null, familyName: 'Famiglia Rossi',
  childFirstName: 'Giulia', childBirthDate: '2024-01-01', voucherId: 'v-1', estimatedCents: 14400, heldCents: 14400, stage: 'territory',
  usualProviderId: null, usualOperatorId: null, headStartEndsAt: null, seenCount: 1, deliveredAt: null, deliveredHours: null, noShow: false,
  deliveredBy: null, spentCents: null, createdAt: new Date(START - 3 * 3_600_000).toISOString(), updatedAt: new Date(START - 2 * 3_600_000).toISOString(), ...over,
})
const mount = (over: Partial<EmergencyRequest> = {}) => {
  const r = request(over)
  return mountWithApp(EmergencyStatusCard, { props: { item: { request: r, status: r.status, notSent: false, probableRefusal: null } } }).wrapper
}
afterEach(() => vi.useRealTimers())

describe('EmergencyStatusCard', () => {
  it('offers to cancel an accepted request before its start, and stops offering it when the start comes', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] })
    vi.setSystemTime(START - 60_000)
    const wrapper = mount()
    expect(wrapper.find('[data-testid="emergency-cancel"]').exists()).toBe(true)
    expect(wrapper.find('[data-testid="emergency-started"]').exists()).toBe(false)
    await vi.advanceTimersByTimeAsync(61_000)
    expect(wrapper.find('[data-testid="emergency-cancel"]').exists()).toBe(false)
    expect(wrapper.get('[data-testid="emergency-started"]').text()).toContain('non si può più annullare')
  })

  it('says who comes and how to reach them: a tap calls the operator’s work phone', () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(START - 2 * 3_600_000)
    const call = mount({ contactPhone: '+39 347 300 0100' }).get('[data-testid="emergency-call"]')
    expect(call.attributes('href')).toBe('tel:+393473000100')
    expect(call.text()).toContain('Chiama Chiara Bettoni')
    expect(call.text()).toContain('+39 347 300 0100')
    expect(mount({ contactPhone: null }).find('[data-testid="emergency-call"]').exists()).toBe(false)
    expect(mount({ status: 'open', contactPhone: '+39 347 300 0100' }).find('[data-testid="emergency-call"]').exists()).toBe(false)
  })

  it('an open request past its start can still be withdrawn (nobody is coming)', () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(START + 60_000)
    const wrapper = mount({ status: 'open', providerId: null, operatorId: null, operatorName: null, acceptedAt: null, deadlineAt: new Date(START + 3_600_000).toISOString() })
    expect(wrapper.find('[data-testid="emergency-cancel"]').exists()).toBe(true)
    expect(wrapper.find('[data-testid="emergency-started"]').exists()).toBe(false)
  })
})
