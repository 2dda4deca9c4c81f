/**
 * The "when" of an emergency request, shaped like shifts (issue 9): now until the next shift change,
 * the next early shift (05:30–14:00), late shift (13:30–22:00) and night (22:00–06:00), in the
 * program's time zone. Pure: `now` comes in; wall clock ↔ instant with Intl only.
 */
import { addDays, dayIn, wallClockToIso } from '../time.ts'

export type ShiftKind = 'now' | 'early' | 'late' | 'night'

export interface ShiftChoice {
  kind: ShiftKind
  startsAt: string
  endsAt: string
  /** The start's calendar day relative to now, in the time zone: 0 today, 1 tomorrow. */
  day: number
}

/** Wall-clock shifts: start and end (an end before the start is the next day). */
export const SHIFTS: Record<Exclude<ShiftKind, 'now'>, { start: string; end: string }> = {
  early: { start: '05:30', end: '14:00' },
  late: { start: '13:30', end: '22:00' },
  night: { start: '22:00', end: '06:00' },
}
/** "Now until…": the next of these ends at least two hours away. */
const NOW_ENDS = ['14:00', '22:00', '06:00']

const HOUR = 3_600_000
const FIVE_MINUTES = 300_000

/** A wall-clock span starting on `date`; an end at or before the start is the next day. */
export function span(date: string, start: string, end: string, timeZone: string): { startsAt: string; endsAt: string } {
  return { startsAt: wallClockToIso(date, start, timeZone), endsAt: wallClockToIso(end <= start ? addDays(date, 1) : date, end, timeZone) }
}

/** The choices offered at `now`: "now until…" first, then the next early, late and night shift, by start. */
export function shiftChoices(now: string, timeZone: string): ShiftChoice[] {
  const t = Date.parse(now)
  const today = dayIn(now, timeZone)
  const dayOf = (iso: string) => (dayIn(iso, timeZone) === today ? 0 : 1)
  const startNow = new Date(Math.ceil(t / FIVE_MINUTES) * FIVE_MINUTES).toISOString()
  const nowEnd = [today, addDays(today, 1)]
    .flatMap((d) => NOW_ENDS.map((e) => wallClockToIso(d, e, timeZone)))
    .sort()
    .find((e) => Date.parse(e) - t >= 2 * HOUR)!
  const out: ShiftChoice[] = [{ kind: 'now', startsAt: startNow, endsAt: nowEnd, day: 0 }]
  for (const kind of ['early', 'late', 'night'] as const) {
    const { start, end } = SHIFTS[kind]
    const candidate = [today, addDays(today, 1)].map((d) => span(d, start, end, timeZone)).find((s) => Date.parse(s.startsAt) > t)!
    out.push({ kind, ...candidate, day: dayOf(candidate.startsAt) })
  }
  return [out[0]!, ...out.slice(1).sort((a, b) => a.startsAt.localeCompare(b.startsAt))]
}
