/**
 * Pure rules of emergency requests (issue 9): the estimate the voucher holds, the default "tell me
 * by", who may take a request when, and what the phone shows once the deadline has passed.
 * Time comes in as an argument (shared/ never reads the clock).
 */
import type { Program, Provider } from '../catalogue/catalogue.schema.ts'
import { ok, refuse, type Result } from '../result.ts'
import { voucherShare } from '../money.ts'
import type { EmergencyRequest } from './emergency.schema.ts'

/** Program settings and their defaults (a program row may leave them null). */
export const EMERGENCY_DEFAULTS = {
  /** Minutes the family's usual cooperative has the request to itself. */
  headStartMinutes: 10,
  /** The program's hourly rate for an emergency sitter, the basis of the hold. */
  hourlyCents: 1800,
} as const
/** The longest request: one day (a night and the shift after it). */
export const EMERGENCY_MAX_HOURS = 24

const MINUTE = 60_000
const HOUR = 60 * MINUTE

export const headStartMinutes = (p: Pick<Program, 'emergencyHeadStartMinutes'>): number =>
  p.emergencyHeadStartMinutes ?? EMERGENCY_DEFAULTS.headStartMinutes
export const hourlyCents = (p: Pick<Program, 'emergencyHourlyCents'>): number => p.emergencyHourlyCents ?? EMERGENCY_DEFAULTS.hourlyCents

/** Whole hours started between start and end (a sitter is paid by the hour begun). */
export const billedHours = (startsAt: string, endsAt: string): number => Math.max(1, Math.ceil((Date.parse(endsAt) - Date.parse(startsAt)) / HOUR))

/** The estimate, and the part the voucher holds (the program's coverage; the family pays the rest). */
export function emergencyEstimate(program: Pick<Program, 'emergencyHourlyCents' | 'voucherCoveragePercent'>, startsAt: string, endsAt: string) {
  const estimatedCents = billedHours(startsAt, endsAt) * hourlyCents(program)
  return { estimatedCents, heldCents: voucherShare(estimatedCents, program.voucherCoveragePercent) }
}

/**
 * "Tell me by", when the parent sets none: one hour before the start; for a request starting within
 * the hour (a "now until 14:00"), half an hour from now, never after the end.
 */
export function defaultDeadline(startsAt: string, endsAt: string, now: string): string {
  const hourBefore = Date.parse(startsAt) - HOUR
  const soon = Math.min(Date.parse(now) + 30 * MINUTE, Date.parse(endsAt))
  return new Date(Math.max(hourBefore, soon)).toISOString()
}

/** The head start of the usual cooperative is over (or there was none). */
export const headStartOver = (r: Pick<EmergencyRequest, 'headStartEndsAt'>, now: string): boolean =>
  r.headStartEndsAt === null || Date.parse(now) >= Date.parse(r.headStartEndsAt)

/** Past the deadline: no one can accept any more (the server's sweep marks it expired). */
export const pastDeadline = (r: Pick<EmergencyRequest, 'deadlineAt'>, now: string): boolean => Date.parse(now) >= Date.parse(r.deadlineAt)

/**
 * May this provider take the request now? Its usual cooperative at any time; any cooperative of the
 * program in the request's territory once the head start is over. (Whether it offers at-home
 * babysitting and has someone on call is checked by the mutator against its operators, and decides
 * which phones receive the request: sync-server/src/services/sync/spaces.ts.)
 */
export function mayTake(r: EmergencyRequest, provider: Pick<Provider, 'id' | 'programId' | 'territoryId'>, now: string): boolean {
  if (provider.programId !== r.programId) return false
  if (r.usualProviderId === provider.id) return true
  return provider.territoryId === r.territoryId && headStartOver(r, now)
}

/** What the family sees: an open request past its deadline is "no one available" before the server says so. */
export function shownStatus(r: Pick<EmergencyRequest, 'status' | 'deadlineAt'>, now: string): EmergencyRequest['status'] {
  return r.status === 'open' && pastDeadline(r, now) ? 'expired' : r.status
}

/** Most urgent first: the nearest deadline, then the earliest start. */
export const byUrgency = (a: EmergencyRequest, b: EmergencyRequest): number =>
  Date.parse(a.deadlineAt) - Date.parse(b.deadlineAt) || Date.parse(a.startsAt) - Date.parse(b.startsAt) || (a.id < b.id ? -1 : 1)

/** Has the emergency started at `now` (so its delivery may be recorded)? The phone asks before offering it. */
export const emergencyDeliverable = (r: Pick<EmergencyRequest, 'startsAt'>, now: string): boolean => Date.parse(r.startsAt) <= Date.parse(now)

export interface EmergencyDelivery {
  deliveredAt: string
  deliveredHours: number
  noShow: boolean
  /** The voucher share of what was delivered (consumed); the rest of the hold is released. */
  spentCents: number
}

/**
 * Decide an emergency's delivery: refused `invalid-state` before it has started (`not-started`) or
 * with a date outside it (`outside-session`, the bookings' reason: the phone has the words), and
 * `validation` for more hours than were asked (the hours begun between start and end). The voucher
 * spends the held share in proportion to the hours delivered, never more than was held.
 */
export function decideEmergencyDelivery(
  r: Pick<EmergencyRequest, 'startsAt' | 'endsAt' | 'heldCents'>,
  args: { deliveredHours?: number; noShow?: boolean; deliveredAt?: string },
  now: string,
): Result<EmergencyDelivery> {
  if (!emergencyDeliverable(r, now)) return refuse('invalid-state', { reason: 'not-started', startsAt: r.startsAt })
  const start = Date.parse(r.startsAt)
  const end = Date.parse(r.endsAt)
  const at = args.deliveredAt ? Date.parse(args.deliveredAt) : Math.min(Math.max(Date.parse(now), start), end)
  if (at < start || at > end) return refuse('invalid-state', { reason: 'outside-session', startsAt: r.startsAt, endsAt: r.endsAt })
  const asked = billedHours(r.startsAt, r.endsAt)
  const noShow = args.noShow === true
  const hours = noShow ? 0 : (args.deliveredHours ?? asked)
  if (hours > asked) return refuse('validation', { reason: 'delivered-more-than-booked', quantity: asked })
  const spentCents = hours === asked ? r.heldCents : Math.floor((r.heldCents * hours) / asked)
  return ok({ deliveredAt: new Date(at).toISOString(), deliveredHours: hours, noShow, spentCents })
}
