import { describe, expect, it } from 'vitest'
import { isPhone, telHref } from './phone.ts'

describe('phone numbers', () => {
  it('takes numbers as people write them, and nothing else', () => {
    for (const ok of ['+39 347 300 0100', '0373 21 45 67', '0373/214567', '347.300.0100', '+41-22-123-45-67']) expect(isPhone(ok), ok).toBe(true)
    for (const bad of ['', '12345', 'chiamami', '+39 347 300 0100 ext 5', '+ 39 347', '347 300 0100 ', '+39\u202e3473000100', '1234567890123456']) expect(isPhone(bad), bad).toBe(false)
  })
  it('dials digits with the leading +', () => {
    expect(telHref('+39 347 300 0100')).toBe('tel:+393473000100')
    expect(telHref('0373 21 45 67')).toBe('tel:0373214567')
  })
})
