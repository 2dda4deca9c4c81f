/**
 * Recurring plan items ("every Tuesday and Thursday until Christmas", issue 10): ONE booking.request
 * carrying a `recurrence` whose dates the server decides one by one.
 *
 * The series of a first session (the anchor) is: the sessions of the same service and provider that
 * start at the same wall-clock time (program time zone) on one of the chosen weekdays, from the
 * anchor's day to `until` (inclusive), one per day (the first by id if a provider has two), the anchor
 * always first. Each date is then decided like a single request (full, closed, already booked, the
 * voucher); what could not be booked is skipped with its reason, and the booked dates stand (a partial
 * outcome, explained on the plan card). Pure: the phone computes the same series from the catalogue it
 * holds, so it shows which dates were asked for and, from the bookings that came back, which were not.
 */
import type { Session } from '../catalogue/catalogue.schema.ts'
import type { RejectionCode } from '../errors.ts'

/** ISO weekdays: 1 = Monday … 7 = Sunday. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7
export interface Recurrence {
  weekdays: readonly number[]
  /** Last day (YYYY-MM-DD, program time zone), inclusive. */
  until: string
}

/** The most dates one plan item books (a school term of two afternoons a week is about 30). */
export const RECURRENCE_MAX_DATES = 60

const formats = new Map<string, Intl.DateTimeFormat>()
function partsOf(iso: string, timeZone: string) {
  let f = formats.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', weekday: 'short', hourCycle: 'h23',
    })
    formats.set(timeZone, f)
  }
  const p = Object.fromEntries(f.formatToParts(new Date(iso)).map((x) => [x.type, x.value]))
  const weekday = (['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(p.weekday ?? '') + 1) as Weekday
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}`, weekday }
}

/** A session's day, wall-clock start and ISO weekday in the program's time zone. */
export const localStart = (s: Pick<Session, 'startsAt'>, timeZone: string) => partsOf(s.startsAt, timeZone)

/**
 * The sessions of the series, in date order, the anchor first. `candidates` are any sessions (the
 * phone's catalogue, or the server's lookup of the service and provider); the rest is filtered here.
 */
export function seriesOf(anchor: Session, candidates: readonly Session[], r: Recurrence, timeZone: string): Session[] {
  const a = localStart(anchor, timeZone)
  const days = new Set(r.weekdays)
  const byDay = new Map<string, Session>()
  for (const s of [...candidates].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0))) {
    if (s.id === anchor.id || s.serviceId !== anchor.serviceId || s.providerId !== anchor.providerId) continue
    const l = localStart(s, timeZone)
    if (l.time !== a.time || !days.has(l.weekday) || l.date <= a.date || l.date > r.until) continue
    if (!byDay.has(l.date)) byDay.set(l.date, s)
  }
  const rest = [...byDay.entries()].sort(([x], [y]) => (x < y ? -1 : 1)).map(([, s]) => s)
  return [anchor, ...rest].slice(0, RECURRENCE_MAX_DATES)
}

/** The id of the booking of one date of a plan: the anchor keeps the plan's id, the others add their day. */
export const planBookingId = (planId: string, anchor: Session, s: Session, timeZone: string): string =>
  s.id === anchor.id ? planId : `${planId}_${localStart(s, timeZone).date.replaceAll('-', '')}`

/** One date of a plan item, decided. */
export interface PlanDate {
  sessionId: string
  startsAt: string
  bookingId: string | null
  code: RejectionCode | null
  reason?: string
}

/** The dates a plan asked for, with the booking each became (from the bookings the phone holds) or the reason it did not. */
export function planOutcome(
  series: readonly Session[],
  bookingsOfPlan: readonly { id: string; sessionId: string }[],
  why: (s: Session) => { code: RejectionCode; reason?: string } | null,
): PlanDate[] {
  return series.map((s) => {
    const b = bookingsOfPlan.find((x) => x.sessionId === s.id)
    if (b) return { sessionId: s.id, startsAt: s.startsAt, bookingId: b.id, code: null }
    const w = why(s)
    return { sessionId: s.id, startsAt: s.startsAt, bookingId: null, code: w?.code ?? 'invalid-state', ...(w?.reason ? { reason: w.reason } : {}) }
  })
}
