import { describe, expect, it } from 'vitest'
import { memoryStore } from './memory-store.ts'
import { runMutation } from './mutators.ts'
import { fixtureState, otherParent, parent, provider, providerDuring, session, NOW } from '../test/fixtures.ts'

const setup = (...args: Parameters<typeof fixtureState>) => {
  const state = fixtureState(...args)
  return { state, store: memoryStore(state) }
}
const request = (over: Record<string, unknown> = {}) => ({ bookingId: 'b1', childId: 'c1', sessionId: 's1', quantity: 3, ...over })

describe('booking.request', () => {
  it('creates a requested booking holding a place and the voucher share', async () => {
    const { state, store } = setup()
    expect(await runMutation(store, 'booking.request', request(), parent)).toEqual({ ok: true, value: undefined })
    expect(state.bookings.get('b1')).toMatchObject({ status: 'requested', totalCents: 4500, voucherCents: 4500, childFirstName: 'Anna', createdAt: NOW })
    expect(state.sessions.get('s1')?.placesLeft).toBe(1)
    expect(state.vouchers.get('v-c1')).toMatchObject({ balanceCents: 25500, heldCents: 4500 })
    expect(state.ledger).toEqual([{ voucherId: 'v-c1', bookingId: 'b1', kind: 'hold', amountCents: 4500, at: NOW }])
  })
  it('says who and where: the family, the child’s age in months at the session (not the birth date), the address for at-home services only', async () => {
    const { state, store } = setup([session('s1'), session('nido', { serviceId: 'svc-nido' })])
    expect((await runMutation(store, 'booking.request', request({ address: '  Via Roma 1, Crema ' }), parent)).ok).toBe(true)
    expect(state.bookings.get('b1')).toMatchObject({ familyName: 'Famiglia Rossi', childAgeMonths: 104, address: 'Via Roma 1, Crema' })
    expect(JSON.stringify(state.bookings.get('b1'))).not.toContain('2018-03-01')
    // A nursery is not at home: an address given anyway is not kept.
    expect((await runMutation(store, 'booking.request', request({ bookingId: 'b2', childId: 'c2', sessionId: 'nido', quantity: 1, address: 'Via Roma 1' }), parent)).ok).toBe(true)
    expect(state.bookings.get('b2')).toMatchObject({ childAgeMonths: 29, address: null })
    expect(await runMutation(store, 'booking.request', request({ bookingId: 'b3', address: 'x'.repeat(201) }), parent)).toMatchObject({ code: 'validation' })
  })
  it('refuses capacity-full with alternatives, and writes nothing', async () => {
    const { state, store } = setup([session('s1', { placesLeft: 0 }), session('s2', { startsAt: '2026-11-27T08:00:00.000Z' })])
    const r = await runMutation(store, 'booking.request', request(), parent)
    expect(r).toMatchObject({ ok: false, code: 'capacity-full', details: { alternatives: [{ sessionId: 's2', placesLeft: 2 }] } })
    expect(state.bookings.size).toBe(0)
    expect(state.vouchers.get('v-c1')?.heldCents).toBe(0)
  })
  it('refuses voucher-insufficient with the remaining balance', async () => {
    const { store } = setup([session('s1', { unitPriceCents: 20000 })])
    expect(await runMutation(store, 'booking.request', request({ quantity: 2 }), parent)).toMatchObject({
      ok: false, code: 'voucher-insufficient', details: { balanceCents: 30000, neededCents: 40000 },
    })
  })
  it('refuses a closed session, a changed price, an ineligible child, another family\'s child', async () => {
    const { store } = setup([session('s1', { status: 'closed' }), session('s2'), session('nido', { serviceId: 'svc-nido' })])
    expect(await runMutation(store, 'booking.request', request(), parent)).toMatchObject({ code: 'session-closed' })
    expect(await runMutation(store, 'booking.request', request({ sessionId: 's2', expectedUnitPriceCents: 1200 }), parent))
      .toMatchObject({ code: 'price-changed', details: { unitPriceCents: 1500 } })
    expect(await runMutation(store, 'booking.request', request({ sessionId: 'nido' }), parent)).toMatchObject({ code: 'child-ineligible' })
    expect(await runMutation(store, 'booking.request', request({ sessionId: 's2', childId: 'c3' }), parent)).toMatchObject({ code: 'forbidden' })
  })
  it('refuses unknown names, bad args and the wrong role as validation / forbidden', async () => {
    const { store } = setup()
    expect(await runMutation(store, 'booking.explode', {}, parent)).toMatchObject({ code: 'validation' })
    expect(await runMutation(store, 'booking.request', request({ quantity: -1 }), parent)).toMatchObject({ code: 'validation' })
    expect(await runMutation(store, 'booking.request', request({ sessionId: "1' OR '1'='1" }), parent)).toMatchObject({ code: 'validation' })
    expect(await runMutation(store, 'booking.request', request(), provider)).toMatchObject({ code: 'forbidden' })
  })
})

describe('booking lifecycle', () => {
  it('confirm, deliver: the hold becomes spent', async () => {
    const { state, store } = setup()
    await runMutation(store, 'booking.request', request(), parent)
    expect(await runMutation(store, 'booking.confirm', { bookingId: 'b1', operatorId: 'op1' }, provider)).toMatchObject({ ok: true })
    expect(state.bookings.get('b1')).toMatchObject({ status: 'confirmed', operatorId: 'op1' })
    expect(await runMutation(store, 'booking.deliver', { bookingId: 'b1' }, providerDuring)).toMatchObject({ ok: true })
    expect(state.vouchers.get('v-c1')).toMatchObject({ balanceCents: 25500, heldCents: 0, spentCents: 4500 })
    expect(state.sessions.get('s1')?.placesLeft).toBe(1)
  })
  it('cancel and decline release place and hold; a second cancel is invalid-state', async () => {
    const { state, store } = setup()
    await runMutation(store, 'booking.request', request(), parent)
    await runMutation(store, 'booking.request', request({ bookingId: 'b2', childId: 'c1', sessionId: 's2' }), parent)
    expect(await runMutation(store, 'booking.cancel', { bookingId: 'b1' }, parent)).toMatchObject({ ok: true })
    expect(await runMutation(store, 'booking.cancel', { bookingId: 'b1' }, parent)).toMatchObject({ code: 'invalid-state' })
    expect(await runMutation(store, 'booking.decline', { bookingId: 'b2', reason: 'Operatrice malata' }, provider)).toMatchObject({ ok: true })
    expect(state.bookings.get('b2')).toMatchObject({ status: 'declined', declineReason: 'Operatrice malata' })
    expect(state.vouchers.get('v-c1')).toMatchObject({ balanceCents: 30000, heldCents: 0 })
    expect(state.sessions.get('s1')?.placesLeft).toBe(2)
  })
  it('only the family cancels and only the session\'s provider confirms', async () => {
    const { store } = setup()
    await runMutation(store, 'booking.request', request(), parent)
    expect(await runMutation(store, 'booking.cancel', { bookingId: 'b1' }, otherParent)).toMatchObject({ code: 'forbidden' })
    const stranger = { ...provider, actor: { ...provider.actor, providerId: 'prv-x' } }
    expect(await runMutation(store, 'booking.confirm', { bookingId: 'b1' }, stranger)).toMatchObject({ code: 'forbidden' })
    expect(await runMutation(store, 'booking.confirm', { bookingId: 'nope' }, provider)).toMatchObject({ code: 'not-found' })
  })
})

describe('child.upsert', () => {
  it('adds a child to the actor\'s family and refuses editing another family\'s child', async () => {
    const { state, store } = setup()
    expect(await runMutation(store, 'child.upsert', { childId: 'c9', firstName: ' Marta ', birthDate: '2020-01-02' }, parent)).toMatchObject({ ok: true })
    expect(state.children.get('c9')).toEqual({ id: 'c9', familyId: 'fam', firstName: 'Marta', birthDate: '2020-01-02', note: null })
    expect(await runMutation(store, 'child.upsert', { childId: 'c3', firstName: 'X', birthDate: '2020-01-02' }, parent)).toMatchObject({ code: 'forbidden' })
  })
  it("copies a rename onto the child's bookings, where the provider reads the name", async () => {
    const { state, store } = setup()
    await runMutation(store, 'booking.request', request(), parent)
    const c1 = state.children.get('c1')!
    expect(await runMutation(store, 'child.upsert', { childId: 'c1', firstName: 'Annalisa', birthDate: c1.birthDate }, parent)).toMatchObject({ ok: true })
    expect(state.bookings.get('b1')?.childFirstName).toBe('Annalisa')
  })
})

describe('one live booking per child and session', () => {
  it('refuses a second request for the same child and session, naming the first', async () => {
    const { state, store } = setup()
    await runMutation(store, 'booking.request', request(), parent)
    const again = await runMutation(store, 'booking.request', request({ bookingId: 'b2', quantity: 1 }), parent)
    expect(again).toMatchObject({ ok: false, code: 'invalid-state', details: { reason: 'already-booked', bookingId: 'b1', quantity: 3, status: 'requested' } })
    expect(state.bookings.has('b2')).toBe(false)
    // Another child, or the same child once the first is cancelled, may book it.
    expect(await runMutation(store, 'booking.request', request({ bookingId: 'b3', childId: 'c2' }), parent)).toMatchObject({ ok: true })
    await runMutation(store, 'booking.cancel', { bookingId: 'b1' }, parent)
    expect(await runMutation(store, 'booking.request', request({ bookingId: 'b4' }), parent)).toMatchObject({ ok: true })
  })
})

describe('booking.changeQuantity', () => {
  it('moves the voucher hold to the new share, keeps the place, and asks the provider again', async () => {
    const { state, store } = setup()
    await runMutation(store, 'booking.request', request(), parent)
    await runMutation(store, 'booking.confirm', { bookingId: 'b1' }, provider)
    expect(await runMutation(store, 'booking.changeQuantity', { bookingId: 'b1', quantity: 5 }, parent)).toMatchObject({ ok: true })
    expect(state.bookings.get('b1')).toMatchObject({ status: 'requested', quantity: 5, totalCents: 7500, voucherCents: 7500 })
    expect(state.vouchers.get('v-c1')).toMatchObject({ balanceCents: 22500, heldCents: 7500 })
    expect(state.sessions.get('s1')?.placesLeft).toBe(1)
    expect(state.ledger.slice(1).map((e) => [e.kind, e.amountCents])).toEqual([['release', 4500], ['hold', 7500]])
  })
  it('refuses what the voucher cannot hold, an unchanged or too large quantity, an ended booking, another family', async () => {
    const { state, store } = setup([session('s1', { unitPriceCents: 10000, unitsMax: 5 })])
    await runMutation(store, 'booking.request', request({ quantity: 1 }), parent)
    const change = (quantity: number, ctx = parent) => runMutation(store, 'booking.changeQuantity', { bookingId: 'b1', quantity }, ctx)
    expect(await change(4)).toMatchObject({ code: 'voucher-insufficient', details: { balanceCents: 30000, neededCents: 40000 } })
    expect(await change(1)).toMatchObject({ code: 'validation', details: { reason: 'quantity-unchanged' } })
    expect(await change(6)).toMatchObject({ code: 'validation', details: { reason: 'quantity-too-large', unitsMax: 5 } })
    expect(await change(2, otherParent)).toMatchObject({ code: 'forbidden' })
    expect(state.vouchers.get('v-c1')).toMatchObject({ heldCents: 10000 })
    await runMutation(store, 'booking.cancel', { bookingId: 'b1' }, parent)
    expect(await change(2)).toMatchObject({ code: 'invalid-state', details: { status: 'cancelled', action: 'change' } })
  })
})
