import { describe, expect, it } from 'vitest'
import { onCallAt, onCallFor, parseOnCallWindows } from './operators.rules.ts'

describe('on-call windows', () => {
  it('reads days, ranges and times; refuses anything else', () => {
    const w = parseOnCallWindows('1-5 05:30-14:00; 6 07:00-13:00')
    expect(w).toEqual([{ fromDay: 1, toDay: 5, from: '05:30', to: '14:00' }, { fromDay: 6, toDay: 6, from: '07:00', to: '13:00' }])
    expect(parseOnCallWindows('')).toEqual([])
    for (const bad of ['lun 8-12', '5-1 08:00-12:00', '1 12:00-08:00', '8 08:00-09:00']) expect(parseOnCallWindows(bad)).toBeNull()
    expect(onCallAt(w!, 3, '06:00')).toBe(true)
    expect(onCallAt(w!, 6, '13:00')).toBe(false)
    expect(onCallAt(w!, 7, '09:00')).toBe(false)
  })
})

describe('on call for an emergency (its whole time, in Rome)', () => {
  const tz = 'Europe/Rome'
  const op = (onCallWindows: string, onCall = true) => ({ onCall, onCallWindows })
  // Monday 23 November 2026, Rome is UTC+1.
  const monday = (from: string, to: string) => ({ startsAt: `2026-11-23T${from}:00.000Z`, endsAt: `2026-11-23T${to}:00.000Z` })
  it('covers a span inside one window, not one that runs past it or starts before it', () => {
    expect(onCallFor(op('1-5 05:30-14:00'), monday('04:30', '13:00'), tz)).toBe(true) // 05:30–14:00 Rome
    expect(onCallFor(op('1-5 05:30-14:00'), monday('12:30', '13:30'), tz)).toBe(false) // 13:30–14:30
    expect(onCallFor(op('1-5 05:30-14:00'), monday('04:00', '05:00'), tz)).toBe(false) // 05:00–06:00
    expect(onCallFor(op('6 07:00-13:00'), monday('06:00', '07:00'), tz)).toBe(false) // another day
  })
  it('joins windows end to start, across midnight too', () => {
    expect(onCallFor(op('1 05:00-09:00; 1 09:00-20:00'), monday('05:00', '18:00'), tz)).toBe(true)
    expect(onCallFor(op('1 20:00-24:00; 2 00:00-08:00'), { startsAt: '2026-11-23T20:00:00.000Z', endsAt: '2026-11-24T06:00:00.000Z' }, tz)).toBe(true)
    expect(onCallFor(op('1 20:00-24:00; 2 00:30-08:00'), { startsAt: '2026-11-23T20:00:00.000Z', endsAt: '2026-11-24T06:00:00.000Z' }, tz)).toBe(false)
  })
  it('without windows: whenever marked on call; off call: never; windows that do not parse: never', () => {
    expect(onCallFor(op(''), monday('01:00', '23:00'), tz)).toBe(true)
    expect(onCallFor(op('', false), monday('08:00', '09:00'), tz)).toBe(false)
    expect(onCallFor(op('sempre'), monday('08:00', '09:00'), tz)).toBe(false)
  })
  it('in summer time too (UTC+2)', () => {
    // Monday 6 July 2026, 05:30–14:00 in Rome is 03:30–12:00 UTC.
    expect(onCallFor(op('1-5 05:30-14:00'), { startsAt: '2026-07-06T03:30:00.000Z', endsAt: '2026-07-06T12:00:00.000Z' }, tz)).toBe(true)
    expect(onCallFor(op('1-5 05:30-14:00'), { startsAt: '2026-07-06T03:00:00.000Z', endsAt: '2026-07-06T12:00:00.000Z' }, tz)).toBe(false)
  })
})
