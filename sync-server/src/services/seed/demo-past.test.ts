import { describe, expect, it } from 'vitest'
import { demoFamilies } from './demo-families.ts'
import { demoPast, PAST_DAYS } from './demo-past.ts'
import { addDays } from '../time-zone.ts'

describe('demoPast', () => {
  const seedDay = '2026-11-22'
  const fams = demoFamilies(3, seedDay)
  const past = demoPast(fams, seedDay)

  it('is deterministic', () => expect(demoPast(demoFamilies(3, seedDay), seedDay)).toEqual(past))

  it('holds two months of delivered bookings across several providers, before the seeding day', () => {
    expect(past.bookings.length).toBeGreaterThanOrEqual(20)
    expect(new Set(past.bookings.map((b) => b.providerId)).size).toBeGreaterThanOrEqual(3)
    const days = past.bookings.map((b) => b.deliveredAt!.slice(0, 10)).sort()
    expect(days[0]! >= addDays(seedDay, -PAST_DAYS - 1)).toBe(true)
    expect(days.at(-1)! < seedDay).toBe(true)
    expect(past.bookings.every((b) => b.status === 'delivered' && b.deliveredAt === past.sessions.find((s) => s.id === b.sessionId)?.endsAt)).toBe(true)
  })

  it('keeps vouchers, ledger and places consistent', () => {
    for (const [voucherId, cents] of past.spent) {
      const mine = past.ledger.filter((l) => l.voucherId === voucherId)
      expect(mine.filter((l) => l.kind === 'consume').reduce((a, l) => a + l.amountCents, 0)).toBe(cents)
      expect(mine.filter((l) => l.kind === 'hold').reduce((a, l) => a + l.amountCents, 0)).toBe(cents)
      expect(cents).toBeLessThanOrEqual(10000)
    }
    for (const s of past.sessions) {
      expect(s.places - s.placesLeft).toBe(past.bookings.filter((b) => b.sessionId === s.id).length)
      expect(s.placesLeft).toBeGreaterThanOrEqual(0)
    }
  })
})
