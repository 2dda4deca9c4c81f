/** booking.deliver: whole, partial, no-show; never before the session starts, never dated outside it. */
import { describe, expect, it } from 'vitest'
import { memoryStore } from './memory-store.ts'
import { runMutation } from './mutators.ts'
import { fixtureState, parent, provider, providerDuring } from '../test/fixtures.ts'

async function confirmed(quantity = 4) {
  const state = fixtureState()
  const store = memoryStore(state)
  await runMutation(store, 'booking.request', { bookingId: 'b1', childId: 'c1', sessionId: 's1', quantity }, parent)
  await runMutation(store, 'booking.confirm', { bookingId: 'b1' }, provider)
  return { state, store }
}
const ledgerOf = (state: { ledger: { kind: string; amountCents: number }[] }) => state.ledger.map((e) => [e.kind, e.amountCents])

describe('booking.deliver', () => {
  it('partial: consumes the delivered share, releases the rest, and prices the booking as delivered', async () => {
    const { state, store } = await confirmed(4) // 4 h × 15 € = 60 € held
    const deliveredBy = { ...providerDuring, actor: { ...providerDuring.actor, operatorId: 'op1' } }
    expect(await runMutation(store, 'booking.deliver', { bookingId: 'b1', deliveredQuantity: 3 }, deliveredBy)).toEqual({ ok: true, value: undefined })
    expect(state.bookings.get('b1')).toMatchObject({
      status: 'delivered', quantity: 4, deliveredQuantity: 3, noShow: false, totalCents: 4500, voucherCents: 4500, copayCents: 0,
      deliveredAt: providerDuring.now, deliveredBy: 'operator:op1',
    })
    expect(state.vouchers.get('v-c1')).toMatchObject({ balanceCents: 25500, heldCents: 0, spentCents: 4500 })
    expect(ledgerOf(state)).toEqual([['hold', 6000], ['consume', 4500], ['release', 1500]])
  })
  it('no-show: releases the whole hold; the booking is recorded as delivered with nothing to pay', async () => {
    const { state, store } = await confirmed(2)
    expect(await runMutation(store, 'booking.deliver', { bookingId: 'b1', noShow: true }, providerDuring)).toMatchObject({ ok: true })
    expect(state.bookings.get('b1')).toMatchObject({ status: 'delivered', deliveredQuantity: 0, noShow: true, totalCents: 0, voucherCents: 0 })
    expect(state.vouchers.get('v-c1')).toMatchObject({ balanceCents: 30000, heldCents: 0, spentCents: 0 })
    expect(ledgerOf(state)).toEqual([['hold', 3000], ['release', 3000]])
  })
  it('whole: deliveredQuantity defaults to what was booked', async () => {
    const { state, store } = await confirmed(2)
    await runMutation(store, 'booking.deliver', { bookingId: 'b1' }, providerDuring)
    expect(state.bookings.get('b1')).toMatchObject({ deliveredQuantity: 2, totalCents: 3000 })
    expect(ledgerOf(state)).toEqual([['hold', 3000], ['consume', 3000]])
  })
  it('refuses before the session has started, a date outside it, more than booked, and writes nothing', async () => {
    const { state, store } = await confirmed(2)
    expect(await runMutation(store, 'booking.deliver', { bookingId: 'b1' }, provider)).toMatchObject({ code: 'invalid-state', details: { reason: 'not-started' } })
    expect(await runMutation(store, 'booking.deliver', { bookingId: 'b1', deliveredAt: '2026-11-25T12:30:00.000Z' }, providerDuring))
      .toMatchObject({ code: 'invalid-state', details: { reason: 'outside-session' } })
    expect(await runMutation(store, 'booking.deliver', { bookingId: 'b1', deliveredQuantity: 3 }, providerDuring)).toMatchObject({ code: 'validation' })
    expect(await runMutation(store, 'booking.deliver', { bookingId: 'b1', deliveredQuantity: 1, noShow: true }, providerDuring)).toMatchObject({ code: 'validation' })
    expect(state.bookings.get('b1')?.status).toBe('confirmed')
    expect(ledgerOf(state)).toEqual([['hold', 3000]])
  })
  it('a delivery recorded after the session ended is dated at its end', async () => {
    const { state, store } = await confirmed(2)
    await runMutation(store, 'booking.deliver', { bookingId: 'b1' }, { ...provider, now: '2026-11-27T09:00:00.000Z' })
    expect(state.bookings.get('b1')?.deliveredAt).toBe('2026-11-25T12:00:00.000Z')
  })
})
