/** Propose another time (issue 9): the provider offers another of its sessions; the family accepts or declines. */
import { describe, expect, it } from 'vitest'
import { memoryStore } from './memory-store.ts'
import { runMutation } from './mutators.ts'
import { fixtureState, otherParent, parent, provider, provider2, session, NOW } from '../test/fixtures.ts'

const THU = '2026-11-26T08:00:00.000Z'
function setup() {
  const state = fixtureState([
    session('s1'),
    session('s2', { startsAt: THU, endsAt: '2026-11-26T12:00:00.000Z', unitPriceCents: 2000 }),
    session('full', { startsAt: THU, endsAt: '2026-11-26T12:00:00.000Z', placesLeft: 0 }),
    session('nido', { serviceId: 'svc-nido' }),
    session('theirs', { providerId: 'prv2' }),
    session('past', { startsAt: '2026-11-20T08:00:00.000Z', endsAt: '2026-11-20T12:00:00.000Z' }),
  ])
  return { state, store: memoryStore(state) }
}
async function requested() {
  const s = setup()
  expect((await runMutation(s.store, 'booking.request', { bookingId: 'b1', childId: 'c1', sessionId: 's1', quantity: 3 }, parent)).ok).toBe(true)
  return s
}

describe('booking.propose', () => {
  it('records the other session, the words and who proposed; nothing is reserved yet', async () => {
    const { state, store } = await requested()
    expect(await runMutation(store, 'booking.propose', { bookingId: 'b1', sessionId: 's2', note: ' Giovedì mattina? ' }, provider)).toEqual({ ok: true, value: undefined })
    expect(state.bookings.get('b1')).toMatchObject({
      status: 'requested', sessionId: 's1', proposedSessionId: 's2', proposalNote: 'Giovedì mattina?', proposalStatus: 'proposed', proposedAt: NOW,
    })
    expect(state.sessions.get('s2')?.placesLeft).toBe(2)
    expect(state.vouchers.get('v-c1')?.heldCents).toBe(4500)
  })
  it('refuses what would not work: another provider, not requested, same or other-service or another provider’s or past or full session', async () => {
    const { store } = await requested()
    expect(await runMutation(store, 'booking.propose', { bookingId: 'b1', sessionId: 's2' }, provider2)).toMatchObject({ code: 'forbidden' })
    expect(await runMutation(store, 'booking.propose', { bookingId: 'b1', sessionId: 's2' }, parent)).toMatchObject({ code: 'forbidden' })
    expect(await runMutation(store, 'booking.propose', { bookingId: 'b1', sessionId: 's1' }, provider)).toMatchObject({ code: 'validation', details: { reason: 'same-session' } })
    expect(await runMutation(store, 'booking.propose', { bookingId: 'b1', sessionId: 'nido' }, provider)).toMatchObject({ code: 'validation', details: { reason: 'other-service' } })
    expect(await runMutation(store, 'booking.propose', { bookingId: 'b1', sessionId: 'theirs' }, provider)).toMatchObject({ code: 'not-found' })
    expect(await runMutation(store, 'booking.propose', { bookingId: 'b1', sessionId: 'past' }, provider)).toMatchObject({ ok: false })
    expect(await runMutation(store, 'booking.propose', { bookingId: 'b1', sessionId: 'full' }, provider)).toMatchObject({ code: 'capacity-full' })
    expect((await runMutation(store, 'booking.confirm', { bookingId: 'b1' }, provider)).ok).toBe(true)
    expect(await runMutation(store, 'booking.propose', { bookingId: 'b1', sessionId: 's2' }, provider)).toMatchObject({ code: 'invalid-state' })
  })
})

describe('the family’s answer', () => {
  it('accept: the booking moves, confirmed; the old place and hold go back, the new ones are taken at the new price', async () => {
    const { state, store } = await requested()
    await runMutation(store, 'booking.propose', { bookingId: 'b1', sessionId: 's2' }, provider)
    expect(await runMutation(store, 'booking.acceptProposal', { bookingId: 'b1' }, otherParent)).toMatchObject({ code: 'forbidden' })
    expect(await runMutation(store, 'booking.acceptProposal', { bookingId: 'b1' }, parent)).toEqual({ ok: true, value: undefined })
    expect(state.bookings.get('b1')).toMatchObject({ status: 'confirmed', sessionId: 's2', proposalStatus: 'accepted', unitPriceCents: 2000, totalCents: 6000, voucherCents: 6000 })
    expect(state.sessions.get('s1')?.placesLeft).toBe(2)
    expect(state.sessions.get('s2')?.placesLeft).toBe(1)
    expect(state.vouchers.get('v-c1')).toMatchObject({ heldCents: 6000, balanceCents: 24000 })
    expect(state.ledger.map((l) => [l.kind, l.amountCents])).toEqual([['hold', 4500], ['release', 4500], ['hold', 6000]])
    // Answered once.
    expect(await runMutation(store, 'booking.acceptProposal', { bookingId: 'b1' }, parent)).toMatchObject({ code: 'invalid-state', details: { reason: 'no-open-proposal' } })
    expect(await runMutation(store, 'booking.declineProposal', { bookingId: 'b1' }, parent)).toMatchObject({ code: 'invalid-state' })
  })
  it('accept: the place the booking leaves goes to the first family waiting on the old session', async () => {
    const { state, store } = setup()
    state.sessions.set('s1', { ...state.sessions.get('s1')!, places: 1, placesLeft: 1 })
    expect((await runMutation(store, 'booking.request', { bookingId: 'b1', childId: 'c1', sessionId: 's1', quantity: 1 }, parent)).ok).toBe(true)
    expect((await runMutation(store, 'waitlist.join', { entryId: 'w1', childId: 'c3', sessionId: 's1', quantity: 1 }, otherParent)).ok).toBe(true)
    await runMutation(store, 'booking.propose', { bookingId: 'b1', sessionId: 's2' }, provider)
    expect(await runMutation(store, 'booking.acceptProposal', { bookingId: 'b1' }, parent)).toMatchObject({ ok: true })
    expect(state.waitlistEntries.get('w1')).toMatchObject({ status: 'promoted', bookingId: 'w1' })
    expect(state.bookings.get('w1')).toMatchObject({ sessionId: 's1', childId: 'c3', status: 'requested' })
    expect(state.sessions.get('s1')?.placesLeft).toBe(0)
  })
  it('accept is refused, changing nothing, when the session filled up or the voucher no longer covers it', async () => {
    const { state, store } = await requested()
    await runMutation(store, 'booking.propose', { bookingId: 'b1', sessionId: 's2' }, provider)
    state.sessions.set('s2', { ...state.sessions.get('s2')!, placesLeft: 0 })
    expect(await runMutation(store, 'booking.acceptProposal', { bookingId: 'b1' }, parent)).toMatchObject({ code: 'capacity-full' })
    state.sessions.set('s2', { ...state.sessions.get('s2')!, placesLeft: 2, unitPriceCents: 20000 })
    expect(await runMutation(store, 'booking.acceptProposal', { bookingId: 'b1' }, parent)).toMatchObject({ code: 'voucher-insufficient' })
    expect(state.bookings.get('b1')).toMatchObject({ status: 'requested', sessionId: 's1', proposalStatus: 'proposed' })
    expect(state.sessions.get('s1')?.placesLeft).toBe(1)
    expect(state.vouchers.get('v-c1')?.heldCents).toBe(4500)
  })
  it('decline: the booking stays as it was, requested, for the provider to confirm or decline', async () => {
    const { state, store } = await requested()
    await runMutation(store, 'booking.propose', { bookingId: 'b1', sessionId: 's2' }, provider)
    expect(await runMutation(store, 'booking.declineProposal', { bookingId: 'b1' }, parent)).toEqual({ ok: true, value: undefined })
    expect(state.bookings.get('b1')).toMatchObject({ status: 'requested', sessionId: 's1', proposalStatus: 'declined' })
    expect(state.sessions.get('s2')?.placesLeft).toBe(2)
    expect((await runMutation(store, 'booking.confirm', { bookingId: 'b1' }, provider)).ok).toBe(true)
  })
})
