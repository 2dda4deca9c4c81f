import { describe, expect, it } from 'vitest'
import { defaultDeadline } from './emergency.rules.ts'
import { wallClockToIso } from '../time.ts'
import { shiftChoices, span } from './shifts.ts'

const ROME = 'Europe/Rome'

describe('shift choices', () => {
  it('at 05:00 in Rome: now until 14:00, then today\'s early shift (05:30, still to come), late shift and night', () => {
    const c = shiftChoices('2026-11-23T04:00:00.000Z', ROME) // 05:00 Rome (winter, UTC+1)
    expect(c[0]).toEqual({ kind: 'now', startsAt: '2026-11-23T04:00:00.000Z', endsAt: '2026-11-23T13:00:00.000Z', day: 0 })
    expect(c.slice(1).map((x) => [x.kind, x.startsAt, x.endsAt, x.day])).toEqual([
      ['early', '2026-11-23T04:30:00.000Z', '2026-11-23T13:00:00.000Z', 0],
      ['late', '2026-11-23T12:30:00.000Z', '2026-11-23T21:00:00.000Z', 0],
      ['night', '2026-11-23T21:00:00.000Z', '2026-11-24T05:00:00.000Z', 0],
    ])
  })
  it('at 13:10: now until 22:00 (14:00 is less than two hours away), tomorrow\'s early shift, tonight', () => {
    const c = shiftChoices('2026-11-23T12:10:00.000Z', ROME)
    expect(c[0]).toMatchObject({ kind: 'now', startsAt: '2026-11-23T12:10:00.000Z', endsAt: '2026-11-23T21:00:00.000Z' })
    expect(c.find((x) => x.kind === 'early')).toMatchObject({ startsAt: '2026-11-24T04:30:00.000Z', day: 1 })
    expect(c.find((x) => x.kind === 'late')).toMatchObject({ startsAt: '2026-11-23T12:30:00.000Z', day: 0 })
  })
  it('keeps wall-clock hours across the change to summer time', () => {
    expect(wallClockToIso('2026-03-29', '05:30', ROME)).toBe('2026-03-29T03:30:00.000Z')
    expect(span('2026-03-28', '22:00', '06:00', ROME)).toEqual({ startsAt: '2026-03-28T21:00:00.000Z', endsAt: '2026-03-29T04:00:00.000Z' })
  })
  it('default "tell me by": an hour before the start, or half an hour from now for a request starting now', () => {
    expect(defaultDeadline('2026-11-24T04:30:00.000Z', '2026-11-24T13:00:00.000Z', '2026-11-23T20:00:00.000Z')).toBe('2026-11-24T03:30:00.000Z')
    expect(defaultDeadline('2026-11-23T12:10:00.000Z', '2026-11-23T21:00:00.000Z', '2026-11-23T12:10:00.000Z')).toBe('2026-11-23T12:40:00.000Z')
  })
})
