import { describe, expect, it } from 'vitest'
import { addDays, ageInMonths, ageInYears, compareIso, dayIn, offsetMinutes, wallClockToIso } from './time.ts'

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

describe('calendar days and the wall clock', () => {
  it('adds calendar days across months, leap years and the DST change', () => {
    expect(addDays('2026-12-02', 60)).toBe('2027-01-31')
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29')
    expect(addDays('2026-03-30', -2)).toBe('2026-03-28')
  })
  it('reads the day in a time zone from an ISO string or a Date', () => {
    expect(dayIn('2026-11-24T23:30:00.000Z', 'Europe/Rome')).toBe('2026-11-25')
    expect(dayIn(new Date('2026-11-24T22:59:00.000Z'), 'Europe/Rome')).toBe('2026-11-24')
  })
  it('finds the instant of a wall clock, on both sides of a DST change', () => {
    expect(offsetMinutes(Date.parse('2026-01-10T12:00:00Z'), 'Europe/Rome')).toBe(60)
    expect(wallClockToIso('2026-03-28', '08:00', 'Europe/Rome')).toBe('2026-03-28T07:00:00.000Z')
    expect(wallClockToIso('2026-03-29', '08:00', 'Europe/Rome')).toBe('2026-03-29T06:00:00.000Z')
  })
})
