/**
 * The plan by week (issue 10): weeks run Monday to Sunday in the program's time zone (Europe/Rome);
 * pure helpers, so the view and its tests agree on which day a booking falls on.
 */
import { addDays, dayIn } from '../../../../shared/time.ts'
import { TIME_ZONE } from '../../i18n/format.ts'

export { addDays }

/** The Rome calendar day of an instant, 'YYYY-MM-DD'. */
export const romeDay = (iso: string | Date): string => dayIn(iso, TIME_ZONE)

/** The Monday of the week holding `day`. */
export function mondayOf(day: string): string {
  const weekday = (new Date(`${day}T12:00:00Z`).getUTCDay() + 6) % 7 // Monday 0 … Sunday 6
  return addDays(day, -weekday)
}

/** The seven days of the week starting on `monday`. */
export const daysOf = (monday: string): string[] => Array.from({ length: 7 }, (_, i) => addDays(monday, i))

/** A week from the URL (?w=YYYY-MM-DD, any day of it), or this week. */
export function weekFrom(query: unknown, today: string): string {
  return typeof query === 'string' && /^\d{4}-\d\d-\d\d$/.test(query) && !Number.isNaN(Date.parse(`${query}T12:00:00Z`)) ? mondayOf(query) : mondayOf(today)
}
