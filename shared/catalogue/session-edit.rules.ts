/**
 * A provider's sessions: creating and editing them (issue 9, "Sessions and places"). Pure rules; the
 * mutators (session-edit.mutators.ts) read and write.
 *
 * - Places never drop below those taken (`places - placesLeft`: requested, confirmed and delivered
 *   bookings each hold one); `placesLeft` follows.
 * - A price change applies to new requests only: every booking carries its own `unitPriceCents`, and a
 *   phone that showed the old price is refused `price-changed` (booking.request's
 *   `expectedUnitPriceCents`) with the new one, so no family pays a price it did not see.
 * - Dates and times change only while no place is taken (families booked that time; to move one
 *   family, the provider proposes another session: `booking.propose`), and never once started.
 */
import { ok, refuse, type Result } from '../result.ts'
import type { Session } from './catalogue.schema.ts'

/** The longest a session may run (weekly camps run Monday → Friday; holidays a fortnight). */
export const SESSION_MAX_DAYS = 31
const DAY_MS = 86_400_000

export interface SessionTimes {
  startsAt: string
  endsAt: string
}

/** A session's times: it ends after it starts, lasts at most SESSION_MAX_DAYS, and starts after `now`. */
export function validTimes({ startsAt, endsAt }: SessionTimes, now: string): Result<SessionTimes> {
  const start = Date.parse(startsAt)
  const end = Date.parse(endsAt)
  if (!(end > start)) return refuse('validation', { reason: 'ends-before-start' })
  if (end - start > SESSION_MAX_DAYS * DAY_MS) return refuse('validation', { reason: 'too-long', maxDays: SESSION_MAX_DAYS })
  if (start <= Date.parse(now)) return refuse('validation', { reason: 'starts-in-the-past' })
  return ok({ startsAt: new Date(start).toISOString(), endsAt: new Date(end).toISOString() })
}

/** Places taken by bookings (requested, confirmed, delivered). */
export const placesTaken = (s: Pick<Session, 'places' | 'placesLeft'>): number => s.places - s.placesLeft

export interface SessionChanges {
  startsAt?: string
  endsAt?: string
  places?: number
  unitPriceCents?: number
  unitsMax?: number
}

/** The session after an edit, or why not. */
export function editSession(s: Session, change: SessionChanges, now: string): Result<Session> {
  if (s.status !== 'open') return refuse('session-closed', { status: s.status })
  if (Date.parse(s.startsAt) <= Date.parse(now)) return refuse('invalid-state', { reason: 'started', startsAt: s.startsAt })
  const taken = placesTaken(s)
  let next: Session = { ...s }
  const moves = (change.startsAt !== undefined && change.startsAt !== s.startsAt) || (change.endsAt !== undefined && change.endsAt !== s.endsAt)
  if (moves) {
    if (taken > 0) return refuse('invalid-state', { reason: 'has-bookings', taken })
    const times = validTimes({ startsAt: change.startsAt ?? s.startsAt, endsAt: change.endsAt ?? s.endsAt }, now)
    if (!times.ok) return times
    next = { ...next, ...times.value }
  }
  if (change.places !== undefined) {
    if (change.places < taken) return refuse('validation', { reason: 'places-below-taken', taken })
    next = { ...next, places: change.places, placesLeft: change.places - taken }
  }
  if (change.unitPriceCents !== undefined) next = { ...next, unitPriceCents: change.unitPriceCents }
  if (change.unitsMax !== undefined) next = { ...next, unitsMax: change.unitsMax }
  return ok(next)
}

/**
 * The office accredits a provider for a service at a price ceiling (issue 11): a session of a
 * service it is not accredited for is refused, and so is a price above the ceiling; a suspended
 * provider offers nothing new.
 */
export function withinAccreditation(
  provider: { suspendedAt?: string | null },
  accreditation: { maxUnitPriceCents: number } | undefined,
  serviceId: string,
  unitPriceCents: number,
): Result<void> {
  if (provider.suspendedAt) return refuse('forbidden', { reason: 'provider-suspended' })
  if (!accreditation) return refuse('forbidden', { reason: 'not-accredited', serviceId })
  if (unitPriceCents > accreditation.maxUnitPriceCents) {
    return refuse('validation', { reason: 'price-above-accredited', maxUnitPriceCents: accreditation.maxUnitPriceCents })
  }
  return ok(undefined)
}
