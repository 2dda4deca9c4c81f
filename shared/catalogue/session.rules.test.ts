import { describe, expect, it } from 'vitest'
import { session, NOW } from '../test/fixtures.ts'
import { alternativesTo, bookable, releasePlace, takePlace } from './session.rules.ts'

describe('session rules', () => {
  it('takes places until full, then refuses capacity-full', () => {
    const one = takePlace(session('s', { places: 1, placesLeft: 1 }))
    expect(one).toMatchObject({ ok: true, value: { placesLeft: 0 } })
    if (!one.ok) return
    expect(takePlace(one.value)).toMatchObject({ ok: false, code: 'capacity-full' })
    expect(releasePlace(one.value)).toMatchObject({ ok: true, value: { placesLeft: 1 } })
  })
  it('never releases above the number of places', () => {
    expect(releasePlace(session('s'))).toMatchObject({ ok: false, code: 'invalid-state' })
  })
  it('is closed when not open or already started', () => {
    expect(bookable(session('s', { status: 'closed' }), NOW)).toMatchObject({ ok: false, code: 'session-closed' })
    expect(bookable(session('s', { startsAt: '2026-11-21T07:00:00.000Z' }), NOW)).toMatchObject({ ok: false, code: 'session-closed' })
    expect(bookable(session('s'), NOW).ok).toBe(true)
  })
  it('suggests open future sessions with places, soonest first, never the same one', () => {
    const alts = alternativesTo('a', [
      session('a'),
      session('full', { placesLeft: 0 }),
      session('late', { startsAt: '2026-12-10T08:00:00.000Z' }),
      session('soon', { startsAt: '2026-11-22T08:00:00.000Z' }),
      session('past', { startsAt: '2026-11-20T08:00:00.000Z' }),
    ], NOW)
    expect(alts.map((s) => s.id)).toEqual(['soon', 'late'])
  })
})
