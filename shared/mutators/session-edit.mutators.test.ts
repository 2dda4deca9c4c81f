/** session.create / session.update: a provider's own sessions; places never below those taken; price for new bookings only. */
import { describe, expect, it } from 'vitest'
import { memoryStore } from './memory-store.ts'
import { runMutation } from './mutators.ts'
import { fixtureState, parent, provider, session } from '../test/fixtures.ts'

const create = (over: Record<string, unknown> = {}) => ({
  sessionId: 'new', serviceId: 'svc-bs', startsAt: '2026-12-01T08:00:00+01:00', endsAt: '2026-12-01T12:00:00+01:00',
  places: 3, unitPriceCents: 1800, unitsMax: 4, ...over,
})

describe('session.create', () => {
  it("adds an open session of the provider's own, in its territory, with every place free", async () => {
    const state = fixtureState()
    expect(await runMutation(memoryStore(state), 'session.create', create(), provider)).toEqual({ ok: true, value: undefined })
    expect(state.sessions.get('new')).toEqual({
      id: 'new', serviceId: 'svc-bs', providerId: 'prv', territoryId: 'ter', startsAt: '2026-12-01T07:00:00.000Z', endsAt: '2026-12-01T11:00:00.000Z',
      places: 3, placesLeft: 3, unitPriceCents: 1800, unitsMax: 4, status: 'open', waiting: 0,
    })
  })
  it('refuses bad times, an unknown service, an existing id, and a parent', async () => {
    const store = memoryStore(fixtureState())
    expect(await runMutation(store, 'session.create', create({ endsAt: '2026-12-01T07:00:00+01:00' }), provider)).toMatchObject({ code: 'validation', details: { reason: 'ends-before-start' } })
    expect(await runMutation(store, 'session.create', create({ startsAt: '2026-11-20T08:00:00Z' }), provider)).toMatchObject({ code: 'validation', details: { reason: 'starts-in-the-past' } })
    expect(await runMutation(store, 'session.create', create({ serviceId: 'svc-x' }), provider)).toMatchObject({ code: 'not-found' })
    expect(await runMutation(store, 'session.create', create({ sessionId: 's1' }), provider)).toMatchObject({ code: 'invalid-state' })
    expect(await runMutation(store, 'session.create', create(), parent)).toMatchObject({ code: 'forbidden' })
  })
})

describe('session.update', () => {
  async function withBooking() {
    const state = fixtureState([session('s1', { places: 3, placesLeft: 3 })])
    const store = memoryStore(state)
    await runMutation(store, 'booking.request', { bookingId: 'b1', childId: 'c1', sessionId: 's1', quantity: 2 }, parent)
    return { state, store }
  }
  it('never drops places below those booked; placesLeft follows', async () => {
    const { state, store } = await withBooking()
    expect(await runMutation(store, 'session.update', { sessionId: 's1', places: 0 }, provider)).toMatchObject({ code: 'validation', details: { reason: 'places-below-taken', taken: 1 } })
    expect(await runMutation(store, 'session.update', { sessionId: 's1', places: 1 }, provider)).toMatchObject({ ok: true })
    expect(state.sessions.get('s1')).toMatchObject({ places: 1, placesLeft: 0 })
    expect(await runMutation(store, 'booking.request', { bookingId: 'b2', childId: 'c2', sessionId: 's1', quantity: 1 }, parent)).toMatchObject({ code: 'capacity-full' })
  })
  it('a new price applies to new requests only; a phone showing the old one hears price-changed', async () => {
    const { state, store } = await withBooking()
    expect(await runMutation(store, 'session.update', { sessionId: 's1', unitPriceCents: 2000 }, provider)).toMatchObject({ ok: true })
    expect(state.bookings.get('b1')).toMatchObject({ unitPriceCents: 1500, totalCents: 3000 })
    expect(await runMutation(store, 'booking.request', { bookingId: 'b2', childId: 'c2', sessionId: 's1', quantity: 1, expectedUnitPriceCents: 1500 }, parent))
      .toMatchObject({ code: 'price-changed', details: { unitPriceCents: 2000 } })
  })
  it('moves a session only while nobody booked it, never once started; only its own provider edits', async () => {
    const { store } = await withBooking()
    expect(await runMutation(store, 'session.update', { sessionId: 's1', startsAt: '2026-11-25T09:00:00Z' }, provider)).toMatchObject({ code: 'invalid-state', details: { reason: 'has-bookings' } })
    const empty = fixtureState()
    const s = memoryStore(empty)
    expect(await runMutation(s, 'session.update', { sessionId: 's2', startsAt: '2026-11-26T09:00:00Z', endsAt: '2026-11-26T12:00:00Z' }, provider)).toMatchObject({ ok: true })
    expect(empty.sessions.get('s2')?.startsAt).toBe('2026-11-26T09:00:00.000Z')
    expect(await runMutation(s, 'session.update', { sessionId: 's2', places: 9 }, { ...provider, now: '2026-11-26T10:00:00Z' })).toMatchObject({ code: 'invalid-state', details: { reason: 'started' } })
    const stranger = { ...provider, actor: { ...provider.actor, providerId: 'prv-x' } }
    expect(await runMutation(s, 'session.update', { sessionId: 's2', places: 9 }, stranger)).toMatchObject({ code: 'forbidden' })
  })
})
