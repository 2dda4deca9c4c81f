/**
 * Demo data with a past (issue 11): two months of delivered bookings of the demo families across the
 * providers, so statements, monitoring and the families' history have something true on first start.
 * Pure and deterministic: the same families and seeding day give the same rows. Each child books a
 * service that fits its age about once every six days, within a third of its voucher; every booking is
 * delivered at its session's end (status `delivered`, not yet in a statement), its voucher share held
 * then consumed in the ledger, and the voucher's spent equals the sum of those shares. Only the
 * sessions these bookings use are created (closed), with their places taken.
 */
import { priceOf } from '../../../../shared/booking/booking.rules.ts'
import type { Booking } from '../../../../shared/booking/booking.schema.ts'
import type { Session } from '../../../../shared/catalogue/catalogue.schema.ts'
import { ageInMonths, ageInYears } from '../../../../shared/time.ts'
import type { LedgerEntry } from '../../../../shared/voucher/voucher.schema.ts'
import { addDays, weekday, zonedToUtc } from '../time-zone.ts'
import { PROGRAM, PROVIDERS, SERVICES } from './demo-catalogue.ts'
import type { DemoFamily } from './demo-families.ts'

/** How far back the history goes, in days before the seeding day. */
export const PAST_DAYS = 61
/** A child's past spends at most a third of its voucher: any single demo session (€180 at most) stays bookable. */
const PAST_BUDGET_CENTS = PROGRAM.voucherAmountCents / 3

export interface DemoPast {
  sessions: Session[]
  bookings: Booking[]
  ledger: LedgerEntry[]
  /** Voucher id → cents consumed by its past bookings. */
  spent: Map<string, number>
}

const compact = (date: string) => date.replaceAll('-', '')

export function demoPast(families: readonly DemoFamily[], seedDay: string): DemoPast {
  const sessions = new Map<string, Session>()
  const bookings: Booking[] = []
  const ledger: LedgerEntry[] = []
  const spent = new Map<string, number>()
  // Not the at-home sick-child babysitting: a past one would make its cooperative the family's usual one
  // (asked first, with a head start) on a different cooperative each day the demo is seeded.
  const offers = PROVIDERS.flatMap((p) => SERVICES.filter((s) => p.services.includes(s.slug) && s.slot.unitPriceCents > 0 && s.category !== 'sick-child-babysitting')
    .map((s) => ({ p, s })))
  families.forEach((fam, i) => {
    fam.children.forEach((child, k) => {
      let used = 0
      for (let d = PAST_DAYS; d >= 1; d--) {
        if ((d + i * 3 + k * 2) % 6 !== 0) continue
        const day = addDays(seedDay, -d)
        const age = ageInYears(child.birthDate, day)
        const fitting = offers.filter(({ s }) => s.slot.days.includes(weekday(day)) && age >= s.ageMinYears && age <= s.ageMaxYears && !s.slot.spanDays)
        if (fitting.length === 0) continue
        const { p, s } = fitting[(i + k + d) % fitting.length]!
        const quantity = Math.min(s.slot.unitsMax, 1 + (d % 3))
        const price = priceOf(s.slot.unitPriceCents, quantity, PROGRAM.voucherCoveragePercent)
        if (used + price.voucherCents > PAST_BUDGET_CENTS) continue
        const id = `ses-${p.id.slice(4)}-${s.slug}-${compact(day)}`
        const session = sessions.get(id) ?? {
          id, serviceId: s.id, providerId: p.id, territoryId: p.territoryId,
          startsAt: zonedToUtc(day, s.slot.start, PROGRAM.timeZone).toISOString(), endsAt: zonedToUtc(day, s.slot.end, PROGRAM.timeZone).toISOString(),
          places: s.slot.places, placesLeft: s.slot.places, unitPriceCents: s.slot.unitPriceCents, unitsMax: s.slot.unitsMax, status: 'closed' as const, waiting: 0,
        }
        if (session.placesLeft === 0) continue
        sessions.set(id, { ...session, placesLeft: session.placesLeft - 1 })
        used += price.voucherCents
        const bookingId = `bkg-past-${fam.id.slice(4)}-${k + 1}-${compact(day)}`
        const createdAt = new Date(Date.parse(session.startsAt) - 3 * 86_400_000).toISOString()
        bookings.push({
          id: bookingId, childId: child.id, familyId: fam.id, sessionId: id, serviceId: s.id, providerId: p.id, quantity, status: 'delivered', ...price,
          note: null, declineReason: null, operatorId: `opr-${p.id.slice(4)}-1`, childFirstName: child.firstName, createdAt, updatedAt: session.endsAt,
          deliveredAt: session.endsAt, deliveredQuantity: quantity, noShow: false, confirmedBy: null, deliveredBy: null, planId: null,
          operatorName: p.operators[0] ?? null, familyName: fam.name, childAgeMonths: ageInMonths(child.birthDate, session.startsAt), address: null,
          proposedSessionId: null, proposalNote: null, proposalStatus: null, proposedAt: null,
        })
        ledger.push({ voucherId: child.voucherId, bookingId, kind: 'hold', amountCents: price.voucherCents, at: createdAt })
        ledger.push({ voucherId: child.voucherId, bookingId, kind: 'consume', amountCents: price.voucherCents, at: session.endsAt })
      }
      spent.set(child.voucherId, used)
    })
  })
  return { sessions: [...sessions.values()], bookings, ledger, spent }
}
