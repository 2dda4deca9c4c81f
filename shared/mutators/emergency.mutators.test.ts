import { describe, expect, it } from 'vitest'
import { memoryStore } from './memory-store.ts'
import { advanceEmergency } from './emergency.mutators.ts'
import { runMutation } from './mutators.ts'
import { fixtureState, NOW, otherParent, parent, provider, provider2, provider3 } from '../test/fixtures.ts'
import type { MutationContext } from './store.ts'

const setup = () => {
  const state = fixtureState()
  return { state, store: memoryStore(state) }
}
/** A shift: 13:30–22:00 Rome (UTC+1) the day of NOW. */
const shift = (over: Record<string, unknown> = {}) => ({
  requestId: 'e1', childId: 'c1', startsAt: '2026-11-21T12:30:00.000Z', endsAt: '2026-11-21T21:00:00.000Z', address: 'Via Roma 1', note: 'Febbre', ...over,
})
const at = (ctx: MutationContext, minutes: number): MutationContext => ({ ...ctx, now: new Date(Date.parse(NOW) + minutes * 60_000).toISOString() })

describe('emergency.request', () => {
  it('opens a request to the territory, holding the estimate on the voucher', async () => {
    const { state, store } = setup()
    expect(await runMutation(store, 'emergency.request', shift(), parent)).toEqual({ ok: true, value: undefined })
    // 8.5 hours begun = 9 × €18; deadline one hour before the start.
    expect(state.emergencyRequests.get('e1')).toMatchObject({
      status: 'open', stage: 'territory', territoryId: 'ter', estimatedCents: 16200, heldCents: 16200, deadlineAt: '2026-11-21T11:30:00.000Z',
      familyName: 'Famiglia Rossi', childFirstName: 'Anna', address: 'Via Roma 1', note: 'Febbre', usualProviderId: null,
    })
    expect(state.vouchers.get('v-c1')).toMatchObject({ heldCents: 16200, balanceCents: 13800 })
    expect(state.ledger).toEqual([{ voucherId: 'v-c1', bookingId: 'e1', of: 'emergency', kind: 'hold', amountCents: 16200, at: NOW }])
  })
  it('asks the usual cooperative first (its last at-home babysitting), for the head start', async () => {
    const { state, store } = setup()
    await runMutation(store, 'booking.request', { bookingId: 'b1', childId: 'c1', sessionId: 's1', quantity: 2 }, parent)
    await runMutation(store, 'booking.confirm', { bookingId: 'b1' }, provider)
    await runMutation(store, 'emergency.request', shift(), parent)
    expect(state.emergencyRequests.get('e1')).toMatchObject({ stage: 'usual', usualProviderId: 'prv', headStartEndsAt: '2026-11-21T08:10:00.000Z' })
    // During the head start another cooperative may not take it; the usual one may.
    expect(await runMutation(store, 'emergency.accept', { requestId: 'e1' }, provider2)).toMatchObject({ code: 'forbidden' })
    expect(await runMutation(store, 'emergency.accept', { requestId: 'e1' }, provider)).toMatchObject({ ok: true })
    expect(state.emergencyRequests.get('e1')).toMatchObject({ status: 'accepted', providerId: 'prv', operatorId: 'op1', operatorName: 'Giulia' })
  })
  it('refuses another family\'s child, an end in the past, a deadline already passed, bad times', async () => {
    const { state, store } = setup()
    expect(await runMutation(store, 'emergency.request', shift({ childId: 'c3' }), parent)).toMatchObject({ code: 'forbidden' })
    expect(await runMutation(store, 'emergency.request', shift({ startsAt: '2026-11-21T04:00:00Z', endsAt: '2026-11-21T07:00:00Z' }), parent))
      .toMatchObject({ code: 'invalid-state', details: { reason: 'ended' } })
    expect(await runMutation(store, 'emergency.request', shift({ deadlineAt: '2026-11-21T07:00:00Z' }), parent))
      .toMatchObject({ code: 'invalid-state', details: { reason: 'deadline-passed' } })
    expect(await runMutation(store, 'emergency.request', shift({ endsAt: '2026-11-21T12:00:00Z' }), parent)).toMatchObject({ code: 'validation' })
    expect(await runMutation(store, 'emergency.request', shift({ territoryId: 'nowhere' }), parent)).toMatchObject({ code: 'not-found' })
    expect(state.emergencyRequests.size + state.ledger.length).toBe(0)
  })
  it('refuses voucher-insufficient when the estimate does not fit the balance', async () => {
    const { store } = setup()
    // 24 hours × €18 = €432 > €300.
    expect(await runMutation(store, 'emergency.request', shift({ startsAt: '2026-11-21T09:00:00Z', endsAt: '2026-11-22T09:00:00Z' }), parent))
      .toMatchObject({ code: 'voucher-insufficient', details: { balanceCents: 30000, neededCents: 43200 } })
  })
})

describe('emergency.accept', () => {
  it('first acceptance wins; a later one from another cooperative is already-taken', async () => {
    const { state, store } = setup()
    await runMutation(store, 'emergency.request', shift(), parent)
    expect(await runMutation(store, 'emergency.accept', { requestId: 'e1', operatorId: 'op2' }, provider2)).toMatchObject({ ok: true })
    expect(await runMutation(store, 'emergency.accept', { requestId: 'e1' }, provider)).toEqual({ ok: false, code: 'already-taken' })
    expect(await runMutation(store, 'emergency.accept', { requestId: 'e1' }, provider2)).toMatchObject({ code: 'invalid-state', details: { reason: 'already-accepted' } })
    expect(state.emergencyRequests.get('e1')).toMatchObject({ providerId: 'prv2', operatorName: 'Marta' })
  })
  it('refuses a cooperative of another territory, an operator not on call or not its own, after the deadline', async () => {
    const { store } = setup()
    await runMutation(store, 'emergency.request', shift(), parent)
    expect(await runMutation(store, 'emergency.accept', { requestId: 'e1' }, provider3)).toMatchObject({ code: 'forbidden' })
    expect(await runMutation(store, 'emergency.accept', { requestId: 'e1', operatorId: 'op1' }, provider2)).toMatchObject({ code: 'forbidden' })
    expect(await runMutation(store, 'emergency.accept', { requestId: 'e1', operatorId: 'op3' }, provider2))
      .toMatchObject({ code: 'invalid-state', details: { reason: 'no-operator-on-call' } })
    expect(await runMutation(store, 'emergency.accept', { requestId: 'e1' }, at(provider2, 4 * 60))).toMatchObject({ code: 'invalid-state' })
    expect(await runMutation(store, 'emergency.accept', { requestId: 'e1' }, otherParent)).toMatchObject({ code: 'forbidden' })
  })
})

describe('emergency.cancel and the sweep', () => {
  it('cancel releases the hold; only the family may cancel', async () => {
    const { state, store } = setup()
    await runMutation(store, 'emergency.request', shift(), parent)
    expect(await runMutation(store, 'emergency.cancel', { requestId: 'e1' }, otherParent)).toMatchObject({ code: 'forbidden' })
    expect(await runMutation(store, 'emergency.cancel', { requestId: 'e1' }, parent)).toMatchObject({ ok: true })
    expect(state.emergencyRequests.get('e1')).toMatchObject({ status: 'cancelled', heldCents: 0 })
    expect(state.vouchers.get('v-c1')).toMatchObject({ heldCents: 0, balanceCents: 30000 })
    expect(await runMutation(store, 'emergency.cancel', { requestId: 'e1' }, parent)).toMatchObject({ code: 'invalid-state' })
  })
  it('an accepted request cannot be cancelled once its time has begun (the delivery settles it); an open one still can', async () => {
    const { state, store } = setup()
    await runMutation(store, 'emergency.request', shift(), parent)
    await runMutation(store, 'emergency.accept', { requestId: 'e1', operatorId: 'op2' }, provider2)
    const begun = { ...parent, now: '2026-11-21T12:30:00.000Z' } // the start, 13:30 Rome
    expect(await runMutation(store, 'emergency.cancel', { requestId: 'e1' }, begun))
      .toMatchObject({ code: 'invalid-state', details: { reason: 'emergency-started', startsAt: '2026-11-21T12:30:00.000Z' } })
    expect(state.emergencyRequests.get('e1')).toMatchObject({ status: 'accepted', heldCents: 16200 })
    expect(await runMutation(store, 'emergency.cancel', { requestId: 'e1' }, { ...parent, now: '2026-11-21T12:29:00.000Z' })).toMatchObject({ ok: true })

    await runMutation(store, 'emergency.request', shift({ requestId: 'e2' }), parent)
    expect(await runMutation(store, 'emergency.cancel', { requestId: 'e2' }, begun)).toMatchObject({ ok: true }) // nobody was coming
  })
  it('past the deadline with no one: expired, hold released; the head start ends into the territory', async () => {
    const { state, store } = setup()
    await runMutation(store, 'booking.request', { bookingId: 'b1', childId: 'c1', sessionId: 's1', quantity: 2 }, parent)
    await runMutation(store, 'booking.confirm', { bookingId: 'b1' }, provider)
    await runMutation(store, 'emergency.request', shift(), parent)
    expect(await advanceEmergency(store, 'e1', at(parent, 5).now)).toEqual({ ok: true, value: false })
    expect(await advanceEmergency(store, 'e1', at(parent, 10).now)).toEqual({ ok: true, value: true })
    expect(state.emergencyRequests.get('e1')?.stage).toBe('territory')
    expect(await advanceEmergency(store, 'e1', '2026-11-21T11:30:00.000Z')).toEqual({ ok: true, value: true })
    expect(state.emergencyRequests.get('e1')).toMatchObject({ status: 'expired', heldCents: 0 })
    expect(state.vouchers.get('v-c1')?.heldCents).toBe(3000) // the booking's hold only
  })
})

describe('emergency.deliver', () => {
  /** 12:30–21:00 asked (9 hours begun, €162 held), accepted by prv2 with op2; delivered while it runs. */
  const accepted = async () => {
    const { state, store } = setup()
    await runMutation(store, 'emergency.request', shift(), parent)
    await runMutation(store, 'emergency.accept', { requestId: 'e1', operatorId: 'op2' }, provider2)
    return { state, store }
  }
  const during = (ctx: MutationContext) => ({ ...ctx, now: '2026-11-21T15:00:00.000Z' })
  const asOperator = (operatorId: string): MutationContext => ({
    actor: { role: 'operator', programId: 'prg', familyId: null, providerId: 'prv2', operatorId }, now: '2026-11-21T15:00:00.000Z',
  })

  it('a partial delivery spends the delivered hours\' share and releases the rest, recording who did it', async () => {
    const { state, store } = await accepted()
    expect(await runMutation(store, 'emergency.deliver', { requestId: 'e1', deliveredHours: 4 }, asOperator('op2'))).toEqual({ ok: true, value: undefined })
    // 4 of 9 hours: floor(16200 × 4 / 9) = 7200 spent, 9000 back to the balance.
    expect(state.emergencyRequests.get('e1')).toMatchObject({
      status: 'delivered', deliveredHours: 4, noShow: false, spentCents: 7200, heldCents: 0, deliveredBy: 'operator:op2', deliveredAt: '2026-11-21T15:00:00.000Z',
    })
    expect(state.vouchers.get('v-c1')).toMatchObject({ heldCents: 0, spentCents: 7200, balanceCents: 22800 })
    expect(state.ledger.slice(-2)).toEqual([
      { voucherId: 'v-c1', bookingId: 'e1', of: 'emergency', kind: 'consume', amountCents: 7200, at: '2026-11-21T15:00:00.000Z' },
      { voucherId: 'v-c1', bookingId: 'e1', of: 'emergency', kind: 'release', amountCents: 9000, at: '2026-11-21T15:00:00.000Z' },
    ])
    // Once: a second delivery is refused, and nothing moves.
    expect(await runMutation(store, 'emergency.deliver', { requestId: 'e1' }, during(provider2))).toMatchObject({ code: 'invalid-state', details: { status: 'delivered' } })
    expect(state.ledger).toHaveLength(3)
  })
  it('all of it by default (the coordinator), or a no-show that releases the whole hold', async () => {
    const whole = await accepted()
    expect(await runMutation(whole.store, 'emergency.deliver', { requestId: 'e1' }, { ...provider2, now: '2026-11-22T08:00:00.000Z' })).toMatchObject({ ok: true })
    // Recorded the next morning: dated at the request's end.
    expect(whole.state.emergencyRequests.get('e1')).toMatchObject({ deliveredHours: 9, spentCents: 16200, deliveredAt: '2026-11-21T21:00:00.000Z' })
    expect(whole.state.vouchers.get('v-c1')).toMatchObject({ heldCents: 0, spentCents: 16200, balanceCents: 13800 })
    const none = await accepted()
    expect(await runMutation(none.store, 'emergency.deliver', { requestId: 'e1', noShow: true }, during(provider2))).toMatchObject({ ok: true })
    expect(none.state.emergencyRequests.get('e1')).toMatchObject({ deliveredHours: 0, noShow: true, spentCents: 0, heldCents: 0 })
    expect(none.state.vouchers.get('v-c1')).toMatchObject({ heldCents: 0, spentCents: 0, balanceCents: 30000 })
    expect(none.state.ledger.at(-1)).toMatchObject({ kind: 'release', amountCents: 16200 })
  })
  it('refuses before the start, a date outside it, more hours than asked, nobody else\'s, a request not accepted', async () => {
    const { state, store } = await accepted()
    expect(await runMutation(store, 'emergency.deliver', { requestId: 'e1' }, provider2)).toMatchObject({ code: 'invalid-state', details: { reason: 'not-started' } })
    expect(await runMutation(store, 'emergency.deliver', { requestId: 'e1', deliveredAt: '2026-11-21T22:00:00.000Z' }, during(provider2)))
      .toMatchObject({ code: 'invalid-state', details: { reason: 'outside-session' } })
    expect(await runMutation(store, 'emergency.deliver', { requestId: 'e1', deliveredHours: 10 }, during(provider2)))
      .toMatchObject({ code: 'validation', details: { reason: 'delivered-more-than-booked', quantity: 9 } })
    expect(await runMutation(store, 'emergency.deliver', { requestId: 'e1', deliveredHours: 2, noShow: true }, during(provider2))).toMatchObject({ code: 'validation' })
    // The losing cooperative, another operator of the winner's, the family.
    expect(await runMutation(store, 'emergency.deliver', { requestId: 'e1' }, during(provider))).toMatchObject({ code: 'forbidden' })
    expect(await runMutation(store, 'emergency.deliver', { requestId: 'e1' }, asOperator('op3'))).toMatchObject({ code: 'forbidden' })
    expect(await runMutation(store, 'emergency.deliver', { requestId: 'e1' }, during(parent))).toMatchObject({ code: 'forbidden' })
    expect(state.emergencyRequests.get('e1')).toMatchObject({ status: 'accepted', heldCents: 16200 })
    const open = setup()
    await runMutation(open.store, 'emergency.request', shift(), parent)
    expect(await runMutation(open.store, 'emergency.deliver', { requestId: 'e1' }, during(provider2))).toMatchObject({ code: 'forbidden' })
    expect(await runMutation(open.store, 'emergency.deliver', { requestId: 'nope' }, during(provider2))).toMatchObject({ code: 'not-found' })
  })
  it('on the provider\'s phone (no voucher there) it decides on the request alone', async () => {
    const { state, store } = await accepted()
    state.vouchers.clear()
    expect(await runMutation(store, 'emergency.deliver', { requestId: 'e1', deliveredHours: 3 }, asOperator('op2'))).toMatchObject({ ok: true })
    expect(state.emergencyRequests.get('e1')).toMatchObject({ status: 'delivered', spentCents: 5400, heldCents: 0 })
  })
  it('on the operator\'s phone (no voucher, no amounts: the registry withholds them) it records the delivery without them', async () => {
    const { state, store } = await accepted()
    state.vouchers.clear()
    const { voucherId: _v, estimatedCents: _e, heldCents: _h, spentCents: _s, ...withoutAmounts } = state.emergencyRequests.get('e1')!
    state.emergencyRequests.set('e1', withoutAmounts as never)
    expect(await runMutation(store, 'emergency.deliver', { requestId: 'e1', deliveredHours: 3 }, asOperator('op2'))).toMatchObject({ ok: true })
    const row = state.emergencyRequests.get('e1')!
    expect(row).toMatchObject({ status: 'delivered', deliveredHours: 3, noShow: false, deliveredBy: 'operator:op2' })
    for (const field of ['voucherId', 'estimatedCents', 'heldCents', 'spentCents']) expect(row).not.toHaveProperty(field)
  })
})

describe('who may go: the usual operator first, on-call windows covering the request (issue 9)', () => {
  const asOperator = (operatorId: string, providerId = 'prv2'): MutationContext => ({
    actor: { role: 'operator', programId: 'prg', familyId: null, providerId, operatorId }, now: NOW,
  })
  it('records the family\'s usual operator (who went last time) and proposes them when the cooperative accepts', async () => {
    const { state, store } = setup()
    state.operators.set('op4', { id: 'op4', providerId: 'prv2', name: 'Sara', onCall: true, track: null, qualifications: '', takesMildlyIll: true, onCallWindows: '' })
    await runMutation(store, 'emergency.request', shift(), parent)
    await runMutation(store, 'emergency.accept', { requestId: 'e1', operatorId: 'op4' }, provider2)
    await runMutation(store, 'emergency.cancel', { requestId: 'e1' }, parent)
    await runMutation(store, 'emergency.request', shift({ requestId: 'e2' }), parent)
    expect(state.emergencyRequests.get('e2')).toMatchObject({ usualProviderId: 'prv2', usualOperatorId: 'op4', stage: 'usual' })
    // op2 comes first among prv2's on-call operators, but the family's usual one goes.
    expect(await runMutation(store, 'emergency.accept', { requestId: 'e2' }, provider2)).toMatchObject({ ok: true })
    expect(state.emergencyRequests.get('e2')).toMatchObject({ operatorId: 'op4', operatorName: 'Sara' })
  })
  it('refuses an operator whose on-call windows do not cover the whole request; without windows, on call means any time', async () => {
    const { state, store } = setup()
    // Saturday 21 November 13:30–22:00 in Rome: op1 is on call on Saturdays 07:00–22:00 only.
    await runMutation(store, 'emergency.request', shift({ endsAt: '2026-11-21T21:30:00.000Z' }), parent)
    expect(await runMutation(store, 'emergency.accept', { requestId: 'e1', operatorId: 'op1' }, provider))
      .toMatchObject({ code: 'invalid-state', details: { reason: 'no-operator-on-call' } })
    expect(await runMutation(store, 'emergency.accept', { requestId: 'e1' }, provider)).toMatchObject({ code: 'invalid-state', details: { reason: 'no-operator-on-call' } })
    expect(state.emergencyRequests.get('e1')?.status).toBe('open')
    expect(await runMutation(store, 'emergency.accept', { requestId: 'e1' }, provider2)).toMatchObject({ ok: true }) // op2: no windows
  })
  it('an operator on call accepts for themselves (recorded as the one who goes), never for someone else, never off call', async () => {
    const { state, store } = setup()
    await runMutation(store, 'emergency.request', shift(), parent)
    expect(await runMutation(store, 'emergency.accept', { requestId: 'e1', operatorId: 'op2' }, asOperator('op3'))).toMatchObject({ code: 'forbidden' })
    expect(await runMutation(store, 'emergency.accept', { requestId: 'e1' }, asOperator('op3'))).toMatchObject({ code: 'invalid-state', details: { reason: 'no-operator-on-call' } })
    expect(await runMutation(store, 'emergency.accept', { requestId: 'e1' }, asOperator('op1', 'prv2'))).toMatchObject({ code: 'forbidden' }) // not prv2's
    expect(await runMutation(store, 'emergency.accept', { requestId: 'e1' }, asOperator('op2'))).toMatchObject({ ok: true })
    expect(state.emergencyRequests.get('e1')).toMatchObject({ status: 'accepted', providerId: 'prv2', operatorId: 'op2', operatorName: 'Marta' })
    expect(await runMutation(store, 'emergency.accept', { requestId: 'e1' }, asOperator('op1', 'prv'))).toEqual({ ok: false, code: 'already-taken' })
  })
  it('on the operator\'s own phone (no staff list there) it accepts optimistically for that operator', async () => {
    const { state, store } = setup()
    await runMutation(store, 'emergency.request', shift(), parent)
    state.operators.clear()
    expect(await runMutation(store, 'emergency.accept', { requestId: 'e1' }, asOperator('op2'))).toMatchObject({ ok: true })
    expect(state.emergencyRequests.get('e1')).toMatchObject({ status: 'accepted', operatorId: 'op2', operatorName: null })
  })
})
