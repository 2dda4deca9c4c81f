import { describe, expect, it } from 'vitest'
import { onCallAt, parseOnCallWindows } from './operators.rules.ts'

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
