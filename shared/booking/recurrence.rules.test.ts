import { describe, expect, it } from 'vitest'
import { session } from '../test/fixtures.ts'
import { localStart, planBookingId, planOutcome, seriesOf } from './recurrence.rules.ts'

const ROME = 'Europe/Rome'
// After-school at 16:30 Rome time (15:30 UTC in winter): Tuesdays and Thursdays, and a Wednesday.
const at = (id: string, day: string, over = {}) => session(id, { startsAt: `${day}T15:30:00.000Z`, endsAt: `${day}T17:30:00.000Z`, ...over })
const tue1 = at('a-tue1', '2026-12-01')
const sessions = [
  tue1,
  at('a-wed1', '2026-12-02'),
  at('a-thu1', '2026-12-03'),
  at('a-tue2', '2026-12-08'),
  at('a-thu2', '2026-12-10'),
  at('a-tue2bis', '2026-12-08', { id: 'a-tue2bis' }), // a second session the same day: the first by id is kept
  at('b-thu2', '2026-12-10', { providerId: 'other' }), // another provider
  at('a-thu2-morning', '2026-12-10', { startsAt: '2026-12-10T08:00:00.000Z' }), // another time
  at('a-nido', '2026-12-15', { serviceId: 'svc-nido' }), // another service
  at('a-tue3', '2026-12-15'),
  at('a-tue4', '2026-12-22'),
  at('a-tue5', '2026-12-29'), // after "until"
]

describe('recurrence: the series of a plan item', () => {
  it('reads the wall clock and weekday in the program time zone', () => {
    expect(localStart(tue1, ROME)).toEqual({ date: '2026-12-01', time: '16:30', weekday: 2 })
    // 23:30 UTC on a Monday is already Tuesday in Rome.
    expect(localStart({ startsAt: '2026-11-30T23:30:00.000Z' }, ROME)).toMatchObject({ date: '2026-12-01', weekday: 2 })
  })
  it('takes the same service, provider and time on the chosen weekdays until the last day, one per day, anchor first', () => {
    const series = seriesOf(tue1, sessions, { weekdays: [2, 4], until: '2026-12-24' }, ROME)
    expect(series.map((s) => s.id)).toEqual(['a-tue1', 'a-thu1', 'a-tue2', 'a-thu2', 'a-tue3', 'a-tue4'])
  })
  it('keeps the anchor even on another weekday, and nothing before it', () => {
    const thu2 = sessions.find((s) => s.id === 'a-thu2')!
    expect(seriesOf(thu2, sessions, { weekdays: [2], until: '2026-12-16' }, ROME).map((s) => s.id)).toEqual(['a-thu2', 'a-tue3'])
    expect(seriesOf(thu2, sessions, { weekdays: [2], until: '2026-12-01' }, ROME).map((s) => s.id)).toEqual(['a-thu2'])
  })
  it('names the other dates\' bookings after the plan and their day', () => {
    const thu1 = sessions[2]!
    expect(planBookingId('plan1', tue1, tue1, ROME)).toBe('plan1')
    expect(planBookingId('plan1', tue1, thu1, ROME)).toBe('plan1_20261203')
  })
  it('explains each date: booked, or why not', () => {
    const series = seriesOf(tue1, sessions, { weekdays: [2, 4], until: '2026-12-04' }, ROME)
    const out = planOutcome(series, [{ id: 'plan1', sessionId: 'a-tue1' }], (s) => (s.id === 'a-thu1' ? { code: 'capacity-full' } : null))
    expect(out).toEqual([
      { sessionId: 'a-tue1', startsAt: tue1.startsAt, bookingId: 'plan1', code: null },
      { sessionId: 'a-thu1', startsAt: '2026-12-03T15:30:00.000Z', bookingId: null, code: 'capacity-full' },
    ])
  })
})
