/**
 * Wall-clock ↔ instant in a named time zone (the program's: Europe/Rome) with Intl only.
 * Needed by the demo seed (sessions at 08:00 Rome time, across DST changes) and by the office
 * report (a period of Rome calendar days). The computations are shared/time.ts's (the phone and the
 * rules use the same); these are the server's names for them.
 */
import { addDays, dayIn, offsetMinutes, wallClockToIso } from '../../../shared/time.ts'

export { addDays, offsetMinutes }

/** The instant when the wall clock in `timeZone` shows `date` (YYYY-MM-DD) at `time` (HH:MM). */
export const zonedToUtc = (date: string, time: string, timeZone: string): Date => new Date(wallClockToIso(date, time, timeZone))

/** The calendar date (YYYY-MM-DD) in `timeZone` at `instant`. */
export const zonedDate = (instant: Date, timeZone: string): string => dayIn(instant, timeZone)

/** ISO weekday of a YYYY-MM-DD: 1 = Monday … 7 = Sunday. */
export function weekday(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  return ((new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7) + 1
}
