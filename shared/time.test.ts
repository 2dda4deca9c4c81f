import { describe, expect, it } from 'vitest'
import { ageInMonths, ageInYears, compareIso } from './time.ts'

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

describe('compareIso', () => {
  it('orders ISO dates and times as time goes, as localeCompare did', () => {
    const times = ['2026-11-25T09:00:00.000Z', '2026-11-24T23:59:59.999Z', '2027-01-01T00:00:00.000Z', '2026-11-25T08:59:00.000Z', '2026-11-25T09:00:00.000Z']
    const sorted = [...times].sort(compareIso)
    expect(sorted).toEqual([...times].sort((a, b) => Date.parse(a) - Date.parse(b)))
    expect(sorted).toEqual([...times].sort((a, b) => a.localeCompare(b)))
    expect(['2019-05-02', '2018-12-31', '2019-05-01'].sort(compareIso)).toEqual(['2018-12-31', '2019-05-01', '2019-05-02'])
    expect(compareIso('2026-11-25', '2026-11-25')).toBe(0)
  })
})
