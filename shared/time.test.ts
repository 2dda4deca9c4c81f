import { describe, expect, it } from 'vitest'
import { ageInYears } from './time.ts'

describe('ageInYears', () => {
  it('counts whole years on calendar dates', () => {
    expect(ageInYears('2018-03-01', '2026-02-28T10:00:00Z')).toBe(7)
    expect(ageInYears('2018-03-01', '2026-03-01T00:00:00Z')).toBe(8)
    expect(ageInYears('2024-06-10', '2026-11-25')).toBe(2)
  })
})
