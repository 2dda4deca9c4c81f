import { describe, expect, it } from 'vitest'
import { ageInMonths, ageInYears } from './time.ts'

describe('ageInYears', () => {
  it('counts whole years on calendar dates', () => {
    expect(ageInYears('2018-03-01', '2026-02-28T10:00:00Z')).toBe(7)
    expect(ageInYears('2018-03-01', '2026-03-01T00:00:00Z')).toBe(8)
    expect(ageInYears('2024-06-10', '2026-11-25')).toBe(2)
  })
})

describe('ageInMonths', () => {
  it('counts whole calendar months, never below zero', () => {
    expect(ageInMonths('2024-06-10', '2026-11-25')).toBe(29)
    expect(ageInMonths('2024-06-10', '2024-07-09')).toBe(0)
    expect(ageInMonths('2024-06-10', '2024-07-10')).toBe(1)
    expect(ageInMonths('2026-06-10', '2026-01-01')).toBe(0)
    expect(ageInMonths('2018-03-01', '2026-11-25T08:00:00.000Z')).toBe(104)
  })
})
