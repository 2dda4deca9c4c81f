/**
 * What the office configures, enforced by the shared mutators (issue 11): the program's cancellation
 * window (booking.cancel), the needs a service accepts (booking.request), and the accredited price
 * ceiling of a provider's sessions (session.create / session.update). Refusals write nothing.
 */
import { describe, expect, it } from 'vitest'
import { memoryStore } from './memory-store.ts'
import { runMutation } from './mutators.ts'
import { fixtureState, parent, provider, provider3, session, NOW } from '../test/fixtures.ts'
import { cancellable } from '../booking/booking.rules.ts'
import { needsFit } from '../catalogue/needs.rules.ts'
import { withinAccreditation } from '../catalogue/session-edit.rules.ts'

const request = (over: Record<string, unknown> = {}) => ({ bookingId: 'b1', childId: 'c1', sessionId: 's1', quantity: 2, ...over })

describe('cancellation window', () => {
  it('the rule: inside the window refused with the hours and the start, outside or without a window allowed', () => {
    expect(cancellable('2026-11-21T20:00:00.000Z', NOW, 24)).toEqual({
      ok: false, code: 'invalid-state', details: { reason: 'cancellation-window', windowHours: 24, startsAt: '2026-11-21T20:00:00.000Z' },
    })
    expect(cancellable('2026-11-22T08:00:00.000Z', NOW, 24).ok).toBe(true) // exactly 24 h before: still in time
    expect(cancellable('2026-11-21T08:30:00.000Z', NOW, null).ok).toBe(true)
    expect(cancellable('2026-11-21T08:30:00.000Z', NOW, 0).ok).toBe(true)
  })
  it('booking.cancel inside the program\'s window is refused and keeps the booking, its place and its hold', async () => {
    const state = fixtureState([session('s1', { startsAt: '2026-11-22T06:00:00.000Z', endsAt: '2026-11-22T10:00:00.000Z' })])
    state.programs.set('prg', { ...state.programs.get('prg')!, cancellationWindowHours: 48 })
    const store = memoryStore(state)
    expect((await runMutation(store, 'booking.request', request(), parent)).ok).toBe(true)
    const r = await runMutation(store, 'booking.cancel', { bookingId: 'b1' }, parent)
    expect(r).toMatchObject({ ok: false, code: 'invalid-state', details: { reason: 'cancellation-window', windowHours: 48 } })
    expect(state.bookings.get('b1')?.status).toBe('requested')
    expect(state.sessions.get('s1')?.placesLeft).toBe(1)
    expect(state.vouchers.get('v-c1')).toMatchObject({ heldCents: 3000 })
    // The provider may still decline (the window binds the parent only).
    expect((await runMutation(store, 'booking.decline', { bookingId: 'b1', reason: 'malattia' }, provider)).ok).toBe(true)
  })
  it('booking.cancel before the window releases as before', async () => {
    const state = fixtureState()
    state.programs.set('prg', { ...state.programs.get('prg')!, cancellationWindowHours: 24 })
    const store = memoryStore(state)
    await runMutation(store, 'booking.request', request(), parent)
    expect(await runMutation(store, 'booking.cancel', { bookingId: 'b1' }, parent)).toEqual({ ok: true, value: undefined })
    expect(state.vouchers.get('v-c1')).toMatchObject({ heldCents: 0, balanceCents: 30000 })
  })
})

describe('accepted needs', () => {
  it('the rule: a need not accepted, a service for needs only, null settings accept everyone', () => {
    expect(needsFit({ disability: true }, { acceptsDisability: false })).toMatchObject({ code: 'child-ineligible', details: { reason: 'need-not-accepted', need: 'disability' } })
    expect(needsFit({ dsa: true }, { acceptsDisability: false })).toEqual({ ok: true, value: undefined })
    expect(needsFit({}, { needsOnly: true, acceptsDisability: false })).toMatchObject({ code: 'child-ineligible', details: { reason: 'needs-only', needs: ['dsa'] } })
    expect(needsFit({ dsa: true }, { needsOnly: true, acceptsDisability: false }).ok).toBe(true)
    expect(needsFit({ disability: true, dsa: true }, {}).ok).toBe(true)
  })
  it('booking.request refuses a child whose need the service does not accept, and writes nothing', async () => {
    const state = fixtureState()
    state.children.set('c1', { ...state.children.get('c1')!, disability: true })
    state.services.set('svc-bs', { ...state.services.get('svc-bs')!, acceptsDisability: false })
    const store = memoryStore(state)
    expect(await runMutation(store, 'booking.request', request(), parent)).toMatchObject({ code: 'child-ineligible', details: { reason: 'need-not-accepted', need: 'disability' } })
    expect(state.bookings.size).toBe(0)
    expect(state.vouchers.get('v-c1')?.heldCents).toBe(0)
  })
  it('a service for needs only takes the child with the need, not the one without', async () => {
    const state = fixtureState()
    state.services.set('svc-bs', { ...state.services.get('svc-bs')!, needsOnly: true, acceptsDisability: false, acceptsDsa: true })
    state.children.set('c2', { ...state.children.get('c2')!, dsa: true })
    const store = memoryStore(state)
    expect(await runMutation(store, 'booking.request', request(), parent)).toMatchObject({ code: 'child-ineligible', details: { reason: 'needs-only' } })
    expect((await runMutation(store, 'booking.request', request({ bookingId: 'b2', childId: 'c2' }), parent)).ok).toBe(true)
  })
  it("a parent's child.upsert keeps the needs the office set", async () => {
    const state = fixtureState()
    state.children.set('c1', { ...state.children.get('c1')!, disability: true })
    expect((await runMutation(memoryStore(state), 'child.upsert', { childId: 'c1', firstName: 'Anna Maria', birthDate: '2018-03-01' }, parent)).ok).toBe(true)
    expect(state.children.get('c1')).toMatchObject({ firstName: 'Anna Maria', disability: true })
  })
})

describe('accredited services and prices', () => {
  const create = (over: Record<string, unknown> = {}) => ({
    sessionId: 'new', serviceId: 'svc-bs', startsAt: '2026-12-01T08:00:00+01:00', endsAt: '2026-12-01T12:00:00+01:00',
    places: 3, unitPriceCents: 2500, unitsMax: 4, ...over,
  })
  it('the rule: suspended, not accredited, above the ceiling', () => {
    expect(withinAccreditation({ suspendedAt: NOW }, { maxUnitPriceCents: 1 }, 's', 1)).toMatchObject({ code: 'forbidden', details: { reason: 'provider-suspended' } })
    expect(withinAccreditation({}, undefined, 's', 1)).toMatchObject({ code: 'forbidden', details: { reason: 'not-accredited', serviceId: 's' } })
    expect(withinAccreditation({}, { maxUnitPriceCents: 100 }, 's', 101)).toMatchObject({ code: 'validation', details: { reason: 'price-above-accredited', maxUnitPriceCents: 100 } })
    expect(withinAccreditation({ suspendedAt: null }, { maxUnitPriceCents: 100 }, 's', 100).ok).toBe(true)
  })
  it('session.create at the ceiling is applied; above it, for a service not accredited, or while suspended it is refused', async () => {
    const state = fixtureState()
    const store = memoryStore(state)
    expect((await runMutation(store, 'session.create', create(), provider)).ok).toBe(true)
    expect(await runMutation(store, 'session.create', create({ sessionId: 'n2', unitPriceCents: 2501 }), provider))
      .toMatchObject({ code: 'validation', details: { reason: 'price-above-accredited', maxUnitPriceCents: 2500 } })
    expect(await runMutation(store, 'session.create', create({ sessionId: 'n3' }), provider3))
      .toMatchObject({ code: 'forbidden', details: { reason: 'not-accredited', serviceId: 'svc-bs' } })
    state.providers.set('prv', { ...state.providers.get('prv')!, suspendedAt: NOW })
    expect(await runMutation(store, 'session.create', create({ sessionId: 'n4' }), provider)).toMatchObject({ code: 'forbidden', details: { reason: 'provider-suspended' } })
    expect([...state.sessions.keys()].filter((k) => k.startsWith('n'))).toEqual(['new'])
  })
  it('session.update above the ceiling is refused; other edits (and a price within it) pass', async () => {
    const state = fixtureState()
    const store = memoryStore(state)
    expect(await runMutation(store, 'session.update', { sessionId: 's1', unitPriceCents: 3000 }, provider)).toMatchObject({ code: 'validation', details: { reason: 'price-above-accredited' } })
    expect(state.sessions.get('s1')?.unitPriceCents).toBe(1500)
    expect((await runMutation(store, 'session.update', { sessionId: 's1', unitPriceCents: 2000, places: 3 }, provider)).ok).toBe(true)
    expect(state.sessions.get('s1')).toMatchObject({ unitPriceCents: 2000, places: 3 })
  })
})
