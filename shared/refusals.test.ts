/**
 * Every refusal the rules and mutators actually produce parses with its code's schema (also once the
 * server has added `messageEn`), garbled details do not, and `refuse` rejects a wrong shape at compile
 * time (the `@ts-expect-error` lines below fail `npm run typecheck` if they ever compile).
 */
import { describe, expect, it } from 'vitest'
import { transition } from './booking/booking.rules.ts'
import { bookable, releasePlace, takePlace } from './catalogue/session.rules.ts'
import { memoryStore } from './mutators/memory-store.ts'
import { runMutation } from './mutators/mutators.ts'
import { parseRefusalDetails, REFUSAL_DETAILS } from './refusals.ts'
import { refuse, type Result } from './result.ts'
import { fixtureState, NOW, parent, provider, session, voucher } from './test/fixtures.ts'
import { consume, hold, release } from './voucher/voucher.rules.ts'

const refusalOf = <T>(r: Result<T>) => {
  if (r.ok) throw new Error('expected a refusal')
  return r
}

/** A refusal's details parse with its code's schema, as produced and as the server stores them. */
function expectParses<T>(r: Result<T>) {
  const { code, details } = refusalOf(r)
  expect(parseRefusalDetails(code, details), code).not.toBeNull()
  expect(parseRefusalDetails(code, { ...details, messageEn: 'words' }), code).not.toBeNull()
  return { code, details }
}

describe('refusal details', () => {
  it('of the pure rules parse with their code', () => {
    const v = voucher('c1', 1000)
    expect(expectParses(hold(v, 2000)).code).toBe('voucher-insufficient')
    expect(expectParses(release(v, 1)).code).toBe('invalid-state')
    expect(expectParses(consume(v, 1)).code).toBe('invalid-state')
    expect(expectParses(transition('cancelled', 'confirm')).details).toEqual({ status: 'cancelled', action: 'confirm' })
    expect(expectParses(bookable(session('s', { status: 'closed' }), NOW)).code).toBe('session-closed')
    expect(expectParses(takePlace(session('s', { placesLeft: 0 }))).code).toBe('capacity-full')
    expect(expectParses(releasePlace(session('s'))).code).toBe('invalid-state')
  })

  it('of the mutators parse with their code, alternatives included', async () => {
    const store = memoryStore(fixtureState([
      session('full', { placesLeft: 0 }), session('s2'),
      session('shut', { status: 'cancelled' }), session('nido', { serviceId: 'svc-nido' }), session('dear', { unitPriceCents: 20000, startsAt: '2026-11-28T08:00:00.000Z' }),
    ]))
    const request = (over: Record<string, unknown>) => runMutation(store, 'booking.request', { bookingId: 'b1', childId: 'c1', sessionId: 's2', quantity: 1, ...over }, parent)
    const full = expectParses(await request({ sessionId: 'full' }))
    expect(parseRefusalDetails('capacity-full', full.details)?.alternatives?.[0]).toMatchObject({ sessionId: 's2', providerId: 'prv', placesLeft: 2 })
    expect(expectParses(await request({ sessionId: 'shut' })).code).toBe('session-closed')
    expect(expectParses(await request({ sessionId: 'nido' })).code).toBe('child-ineligible')
    expect(expectParses(await request({ expectedUnitPriceCents: 1 })).code).toBe('price-changed')
    expect(expectParses(await request({ sessionId: 'dear', quantity: 2 })).code).toBe('voucher-insufficient')
    expect(expectParses(await request({ quantity: 99 })).details).toMatchObject({ reason: 'quantity-too-large', unitsMax: 8 })
    expect(expectParses(await request({ sessionId: 'nope' })).details).toEqual({ entity: 'session', id: 'nope' })
    expect(expectParses(await request({ quantity: 'lots' })).code).toBe('validation')
    expect(expectParses(await runMutation(store, 'booking.request', {}, provider)).code).toBe('validation')
    expect(expectParses(await runMutation(store, 'booking.confirm', { bookingId: 'b1' }, parent)).details).toEqual({ role: 'parent' })
    expect(expectParses(await runMutation(store, 'no.such', {}, parent)).details).toEqual({ reason: 'unknown-mutation', name: 'no.such' })
  })

  it('absent parse as empty where nothing is required, garbled ones do not parse', () => {
    expect(parseRefusalDetails('capacity-full', undefined)).toEqual({})
    expect(parseRefusalDetails('forbidden', null)).toEqual({})
    expect(parseRefusalDetails('voucher-insufficient', undefined)).toBeNull()
    expect(parseRefusalDetails('voucher-insufficient', { balanceCents: '3', neededCents: 5 })).toBeNull()
    expect(parseRefusalDetails('price-changed', 'the price changed')).toBeNull()
    expect(parseRefusalDetails('capacity-full', { alternatives: [{ sessionId: 7 }] })).toBeNull()
    expect(parseRefusalDetails('not-found', { entity: 'voucher', childId: 'c1', later: true })).toEqual({ entity: 'voucher', childId: 'c1', later: true })
  })

  it('have one schema per rejection code', () => {
    expect(Object.keys(REFUSAL_DETAILS).sort()).toEqual([
      'already-taken', 'capacity-full', 'child-ineligible', 'forbidden', 'invalid-state', 'not-found', 'price-changed',
      'session-closed', 'validation', 'voucher-insufficient',
    ])
  })

  it('of the wrong shape do not compile', () => {
    // @ts-expect-error a required number is missing
    refuse('voucher-insufficient', { balanceCents: 0 })
    // @ts-expect-error a number where the schema says string
    refuse('not-found', { entity: 5 })
    // @ts-expect-error an alternative without its session
    refuse('capacity-full', { alternatives: [{ providerId: 'p' }] })
    // @ts-expect-error not a rejection code
    refuse('unauthorized')
    expect(refuse('already-taken')).toEqual({ ok: false, code: 'already-taken' })
  })
})
