import { describe, expect, it } from 'vitest'
import { addDays, daysOf, mondayOf, romeDay, weekFrom } from './week.ts'

describe('weeks of the plan', () => {
  it('run Monday to Sunday, in Rome', () => {
    expect(mondayOf('2026-11-24')).toBe('2026-11-23') // a Tuesday
    expect(mondayOf('2026-11-29')).toBe('2026-11-23') // Sunday belongs to the week before
    expect(mondayOf('2026-11-30')).toBe('2026-11-30')
    expect(daysOf('2026-12-28')).toEqual(['2026-12-28', '2026-12-29', '2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02', '2027-01-03'])
    expect(romeDay('2026-11-22T23:30:00Z')).toBe('2026-11-23') // 00:30 in Rome: Monday
    expect(addDays('2027-03-27', 2)).toBe('2027-03-29') // across the change to summer time
  })
  it('reads the week from the address, or this one', () => {
    expect(weekFrom('2026-12-03', '2026-11-24')).toBe('2026-11-30')
    expect(weekFrom('nonsense', '2026-11-24')).toBe('2026-11-23')
    expect(weekFrom(['2026-12-03'], '2026-11-24')).toBe('2026-11-23')
  })
})
