import { describe, expect, it } from 'vitest'
import { addDays } from '../time.ts'
import { expectedPaymentDate, isLate, paymentDaysAfterApproval, paymentStage } from './payments.rules.ts'

describe('payments rules', () => {
  it('the setting defaults to 60 days; 0 is a value, not a default', () => {
    expect(paymentDaysAfterApproval({})).toBe(60)
    expect(paymentDaysAfterApproval({ paymentDaysAfterApproval: null })).toBe(60)
    expect(paymentDaysAfterApproval({ paymentDaysAfterApproval: 0 })).toBe(0)
    expect(paymentDaysAfterApproval({ paymentDaysAfterApproval: 90 })).toBe(90)
  })
  it('counts calendar days across months, years and the DST change', () => {
    expect(addDays('2026-12-02', 60)).toBe('2027-01-31')
    expect(addDays('2027-03-01', 30)).toBe('2027-03-31')
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29')
    expect(expectedPaymentDate(null, 60)).toBeNull()
    expect(expectedPaymentDate('2026-10-20', 60)).toBe('2026-12-19')
  })
  it('stages follow the statement; late only when approved and past the day', () => {
    expect([null, 'draft', 'approved', 'paid'].map((s) => paymentStage(s as never))).toEqual(['delivered', 'statement', 'approved', 'paid'])
    expect(isLate('approved', '2026-12-01', '2026-12-02')).toBe(true)
    expect(isLate('approved', '2026-12-02', '2026-12-02')).toBe(false)
    expect(isLate('paid', '2026-12-01', '2026-12-02')).toBe(false)
  })
})
