import { describe, expect, it } from 'vitest'
import { addDays, weekday, zonedDate, zonedToUtc } from './time-zone.ts'

describe('Europe/Rome wall clock', () => {
  it('converts across summer and winter time', () => {
    expect(zonedToUtc('2026-11-23', '08:00', 'Europe/Rome').toISOString()).toBe('2026-11-23T07:00:00.000Z')
    expect(zonedToUtc('2026-07-01', '08:00', 'Europe/Rome').toISOString()).toBe('2026-07-01T06:00:00.000Z')
    // The night DST ends (25 Oct 2026) and starts (29 Mar 2026).
    expect(zonedToUtc('2026-10-25', '12:00', 'Europe/Rome').toISOString()).toBe('2026-10-25T11:00:00.000Z')
    expect(zonedToUtc('2026-03-29', '12:00', 'Europe/Rome').toISOString()).toBe('2026-03-29T10:00:00.000Z')
  })

  it('gives calendar dates and weekdays in the zone', () => {
    expect(zonedDate(new Date('2026-11-30T23:30:00Z'), 'Europe/Rome')).toBe('2026-12-01')
    expect(zonedDate(new Date('2026-11-30T22:30:00Z'), 'Europe/Rome')).toBe('2026-11-30')
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01')
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29')
    expect(weekday('2026-11-23')).toBe(1)
    expect(weekday('2026-11-22')).toBe(7)
  })
})
