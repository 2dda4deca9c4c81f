/**
 * Date helpers that take time as an argument (shared/ never reads the clock).
 * Ages are counted on calendar dates (YYYY-MM-DD), which is what eligibility rules mean.
 */
export const isoDate = (isoDateTime: string): string => isoDateTime.slice(0, 10)

/** Whole years between a birth date and a day (both YYYY-MM-DD or longer ISO strings). */
export function ageInYears(birthDate: string, onDate: string): number {
  const [by, bm, bd] = isoDate(birthDate).split('-').map(Number) as [number, number, number]
  const [y, m, d] = isoDate(onDate).split('-').map(Number) as [number, number, number]
  let age = y - by
  if (m < bm || (m === bm && d < bd)) age -= 1
  return age
}

/** Whole months between a birth date and a day (YYYY-MM-DD or ISO instants; calendar months). */
export function ageInMonths(birthDate: string, onDate: string): number {
  const [by, bm, bd] = isoDate(birthDate).split('-').map(Number) as [number, number, number]
  const [y, m, d] = isoDate(onDate).split('-').map(Number) as [number, number, number]
  return Math.max(0, (y - by) * 12 + (m - bm) - (d < bd ? 1 : 0))
}

/**
 * Order of two ISO dates or times of the same shape (what the server and the phone write): their
 * characters' order, which is time order. `localeCompare` gives the same order through the
 * collator, at a cost: sorting a 500-booking plan by it took ~60 ms of a slowed phone's cold start.
 */
export const compareIso = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

export const isBefore = (a: string, b: string): boolean => Date.parse(a) < Date.parse(b)

/** YYYY-MM-DD plus n days (calendar arithmetic on the date alone, no time zone involved). */
export function addDays(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10)
}

/** Formatters by time zone: building one costs far more than using it. */
const dayFormats = new Map<string, Intl.DateTimeFormat>()

/** The calendar day (YYYY-MM-DD) in `timeZone` (the program's: Europe/Rome) at an instant. */
export function dayIn(instant: string | Date, timeZone: string): string {
  let f = dayFormats.get(timeZone)
  if (!f) dayFormats.set(timeZone, (f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })))
  return f.format(typeof instant === 'string' ? new Date(instant) : instant)
}

const offsetFormats = new Map<string, Intl.DateTimeFormat>()

/** Offset of `timeZone` from UTC at an instant, in minutes (Rome: +60 in winter, +120 in summer). */
export function offsetMinutes(instant: Date | number, timeZone: string): number {
  let f = offsetFormats.get(timeZone)
  if (!f) offsetFormats.set(timeZone, (f = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })))
  const m = /GMT([+-])(\d\d):(\d\d)/.exec(f.formatToParts(instant).find((p) => p.type === 'timeZoneName')?.value ?? '')
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0
}

/** The instant (ISO) when the wall clock in `timeZone` shows `date` (YYYY-MM-DD) at `time` (HH:MM). */
export function wallClockToIso(date: string, time: string, timeZone: string): string {
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number]
  const [h, mi] = time.split(':').map(Number) as [number, number]
  const asUtc = Date.UTC(y, mo - 1, d, h, mi)
  const first = asUtc - offsetMinutes(asUtc, timeZone) * 60_000
  // Re-evaluated at the candidate instant: right across a DST change the offset differs.
  return new Date(asUtc - offsetMinutes(first, timeZone) * 60_000).toISOString()
}
