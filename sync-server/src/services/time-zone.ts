/**
 * Wall-clock ↔ instant in a named time zone (the program's: Europe/Rome) with Intl only.
 * Needed by the demo seed (sessions at 08:00 Rome time, across DST changes) and by the office
 * report (a period of Rome calendar days).
 */
/** Formatters by time zone: building one costs far more than using it (the seed asks thousands of times). */
const offsetFormat = new Map<string, Intl.DateTimeFormat>()

/** Offset of `timeZone` from UTC at `instant`, in minutes (Rome: +60 in winter, +120 in summer). */
export function offsetMinutes(instant: Date, timeZone: string): number {
  let f = offsetFormat.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
    offsetFormat.set(timeZone, f)
  }
  const name = f.formatToParts(instant).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT'
  const m = /^GMT([+-])(\d\d):(\d\d)$/.exec(name)
  if (!m) return 0
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]))
}

/** The instant when the wall clock in `timeZone` shows `date` (YYYY-MM-DD) at `time` (HH:MM). */
export function zonedToUtc(date: string, time: string, timeZone: string): Date {
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number]
  const [h, mi] = time.split(':').map(Number) as [number, number]
  const asUtc = Date.UTC(y, mo - 1, d, h, mi)
  const first = asUtc - offsetMinutes(new Date(asUtc), timeZone) * 60_000
  // Re-evaluate at the candidate instant: right across a DST change the offset differs.
  return new Date(asUtc - offsetMinutes(new Date(first), timeZone) * 60_000)
}

const dateFormat = new Map<string, Intl.DateTimeFormat>()

/** The calendar date (YYYY-MM-DD) in `timeZone` at `instant`. */
export function zonedDate(instant: Date, timeZone: string): string {
  let f = dateFormat.get(timeZone)
  if (!f) dateFormat.set(timeZone, (f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })))
  return f.format(instant)
}

/** YYYY-MM-DD plus n days (calendar arithmetic, no time zone involved). */
export function addDays(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10)
}

/** ISO weekday of a YYYY-MM-DD: 1 = Monday … 7 = Sunday. */
export function weekday(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  return ((new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7) + 1
}
