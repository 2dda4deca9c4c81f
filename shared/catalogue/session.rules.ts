/** Places of a session: one booking takes one place; never more taken than `places`. */
import { ok, refuse, type Result } from '../result.ts'
import { ageInYears, dayIn } from '../time.ts'
import type { Program, Service, Session } from './catalogue.schema.ts'

/** What of the program bounds its bookings: its period, days in its time zone (null ends: no limit). */
export type ProgramPeriod = Pick<Program, 'periodFrom' | 'periodTo' | 'timeZone'>

/** Does the session start on a day of the program's period (inclusive, in the program's time zone)? */
export function inProgramPeriod(s: Pick<Session, 'startsAt'>, p: ProgramPeriod): boolean {
  if (!p.periodFrom && !p.periodTo) return true
  const day = dayIn(s.startsAt, p.timeZone)
  return (!p.periodFrom || day >= p.periodFrom) && (!p.periodTo || day <= p.periodTo)
}

/**
 * Why a session cannot take a new request at `now`, if it cannot: closed or started, or (given the
 * program) outside the program's period: `session-closed {reason: 'outside-program-period'}`. Every
 * booking path asks with the program (request, each recurring date, waiting list, proposals, quantity).
 */
export function bookable(s: Session, now: string, program?: ProgramPeriod | null): Result<Session> {
  if (s.status !== 'open' || Date.parse(s.startsAt) <= Date.parse(now)) {
    return refuse('session-closed', { status: s.status, startsAt: s.startsAt })
  }
  if (program && !inProgramPeriod(s, program)) {
    return refuse('session-closed', {
      reason: 'outside-program-period', startsAt: s.startsAt,
      ...(program.periodFrom ? { periodFrom: program.periodFrom } : {}), ...(program.periodTo ? { periodTo: program.periodTo } : {}),
    })
  }
  return ok(s)
}

/** Can the session still take a request at `now` (open, not started)? */
export const isUpcoming = (s: Session, now: string): boolean => bookable(s, now).ok

/** Can its provider still close it? */
export const closable = (s: Session): boolean => s.status === 'open'

/** A child's age when the session starts, and whether the service takes children of that age. */
export function eligibility(birthDate: string, service: Pick<Service, 'ageMinYears' | 'ageMaxYears'>, session: Pick<Session, 'startsAt'>) {
  const age = ageInYears(birthDate, session.startsAt)
  return { age, fits: age >= service.ageMinYears && age <= service.ageMaxYears }
}

/** Services delivered at the family's home: their orders carry the address (issue 9). */
export const AT_HOME_CATEGORIES: readonly Service['category'][] = ['sick-child-babysitting', 'babysitting-on-demand', 'emergency-nanny']
export const atHome = (service: Pick<Service, 'category'> | null | undefined): boolean => !!service && AT_HOME_CATEGORIES.includes(service.category)

export function takePlace(s: Session): Result<Session> {
  if (s.placesLeft < 1) return refuse('capacity-full', { places: s.places, placesLeft: 0 })
  return ok({ ...s, placesLeft: s.placesLeft - 1 })
}

export function releasePlace(s: Session): Result<Session> {
  if (s.placesLeft >= s.places) return refuse('invalid-state', { places: s.places, placesLeft: s.placesLeft })
  return ok({ ...s, placesLeft: s.placesLeft + 1 })
}

/** Other sessions of the same service a family could book instead: open, future, with places (in the program's period). */
export function alternativesTo(sessionId: string, candidates: Session[], now: string, limit = 3, program?: ProgramPeriod | null): Session[] {
  return candidates
    .filter((c) => c.id !== sessionId && c.placesLeft > 0 && bookable(c, now, program).ok)
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt))
    .slice(0, limit)
}
