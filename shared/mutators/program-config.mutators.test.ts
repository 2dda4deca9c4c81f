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
import { inProgramPeriod } from '../catalogue/session.rules.ts'

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

describe('the program period', () => {
  // The period ends on 30 November (Rome): s1 on the 25th is in it; 'late' starts at 00:30 on 1 December in
  // Rome (23:30 UTC on the 30th), outside though its UTC date is inside; 'dec' on 2 December, outside.
  const late = session('late', { startsAt: '2026-11-30T23:30:00.000Z', endsAt: '2026-12-01T01:00:00.000Z' })
  const dec = session('dec', { startsAt: '2026-12-02T08:00:00.000Z', endsAt: '2026-12-02T12:00:00.000Z' })
  const bounded = (sessions = [session('s1'), late, dec]) => {
    const state = fixtureState(sessions)
    state.programs.set('prg', { ...state.programs.get('prg')!, periodFrom: '2026-11-01', periodTo: '2026-11-30' })
    return { state, store: memoryStore(state) }
  }

  it('the rule: the session\'s day in the program\'s time zone, bounds included; an open end is no limit', () => {
    const p = { periodFrom: '2026-11-25', periodTo: '2026-11-30', timeZone: 'Europe/Rome' }
    expect(inProgramPeriod(session('s1'), p)).toBe(true) // 25 Nov 09:00 in Rome: the first day
    expect(inProgramPeriod(session('x', { startsAt: '2026-11-30T22:59:00.000Z' }), p)).toBe(true) // 30 Nov 23:59 in Rome
    expect(inProgramPeriod(late, p)).toBe(false)
    expect(inProgramPeriod(session('x', { startsAt: '2026-11-24T22:59:00.000Z' }), p)).toBe(false) // 24 Nov 23:59 in Rome
    expect(inProgramPeriod(dec, { ...p, periodTo: null })).toBe(true)
    expect(inProgramPeriod(session('x', { startsAt: '2020-01-01T08:00:00.000Z' }), { ...p, periodFrom: null })).toBe(true)
    expect(inProgramPeriod(dec, { periodFrom: null, periodTo: null, timeZone: 'Europe/Rome' })).toBe(true)
  })

  it('booking.request of a session outside the period: session-closed with the reason and the period, nothing written, alternatives only inside it', async () => {
    const { state, store } = bounded([session('s1', { placesLeft: 1 }), late, dec, session('s2', { startsAt: '2026-11-27T08:00:00.000Z' })])
    for (const id of ['late', 'dec']) {
      const r = await runMutation(store, 'booking.request', request({ sessionId: id }), parent)
      expect(r).toMatchObject({ ok: false, code: 'session-closed', details: { reason: 'outside-program-period', periodFrom: '2026-11-01', periodTo: '2026-11-30' } })
      const alternatives = (r as unknown as { details: { alternatives: { sessionId: string }[] } }).details.alternatives
      expect(alternatives.map((a) => a.sessionId).sort()).toEqual(['s1', 's2'])
    }
    expect(state.bookings.size).toBe(0)
    expect(state.ledger).toEqual([])
    expect(state.vouchers.get('v-c1')).toMatchObject({ heldCents: 0, balanceCents: 30000 })
    expect(state.sessions.get('dec')?.placesLeft).toBe(2)
    // Full inside the period: the alternatives leave out the sessions outside it.
    expect((await runMutation(store, 'booking.request', request({ bookingId: 'b0', childId: 'c2', quantity: 1 }), parent)).ok).toBe(true)
    const full = await runMutation(store, 'booking.request', request(), parent)
    expect(full).toMatchObject({ code: 'capacity-full' })
    expect((full as unknown as { details: { alternatives: { sessionId: string }[] } }).details.alternatives.map((a) => a.sessionId)).toEqual(['s2'])
  })

  it('a recurring plan books the dates inside the period and skips the others', async () => {
    const { state, store } = bounded([session('s1'), dec])
    const plan = { bookingId: 'p1', childId: 'c1', sessionId: 's1', quantity: 1, recurrence: { weekdays: [3], until: '2026-12-10' } }
    expect(await runMutation(store, 'booking.request', plan, parent)).toMatchObject({ ok: true })
    expect([...state.bookings.values()].map((b) => b.sessionId)).toEqual(['s1'])
    // Its first date outside too: refused, each date's reason said.
    const all = await runMutation(store, 'booking.request', { ...plan, bookingId: 'p2', sessionId: 'dec', childId: 'c1' }, parent)
    expect(all).toMatchObject({ ok: false, code: 'session-closed', details: { reason: 'no-date-booked', dates: [{ sessionId: 'dec', code: 'session-closed', reason: 'outside-program-period' }] } })
  })

  it('waitlist.join, booking.propose and booking.changeQuantity refuse a session outside the period too', async () => {
    const { state, store } = bounded([session('s1'), session('s2', { startsAt: '2026-11-27T08:00:00.000Z' }), { ...dec, placesLeft: 0 }])
    expect(await runMutation(store, 'waitlist.join', { entryId: 'w1', childId: 'c1', sessionId: 'dec', quantity: 1 }, parent))
      .toMatchObject({ code: 'session-closed', details: { reason: 'outside-program-period' } })
    expect(state.waitlistEntries.size).toBe(0)
    state.sessions.set('dec', { ...dec })
    expect((await runMutation(store, 'booking.request', request(), parent)).ok).toBe(true)
    expect(await runMutation(store, 'booking.propose', { bookingId: 'b1', sessionId: 'dec' }, provider))
      .toMatchObject({ code: 'session-closed', details: { reason: 'outside-program-period' } })
    expect(state.bookings.get('b1')).toMatchObject({ proposedSessionId: null })
    // The office moved the period's end before the booking's session (the program page refuses that while
    // bookings stand; here the rule alone): its quantity is not changed.
    state.programs.set('prg', { ...state.programs.get('prg')!, periodTo: '2026-11-24' })
    expect(await runMutation(store, 'booking.changeQuantity', { bookingId: 'b1', quantity: 1 }, parent))
      .toMatchObject({ code: 'session-closed', details: { reason: 'outside-program-period', periodTo: '2026-11-24' } })
    expect(state.bookings.get('b1')).toMatchObject({ quantity: 2 })
  })
})
