/**
 * The program's wall clock (Europe/Rome) ↔ instants, for the session form: a provider types a date and
 * times as they read them on the wall. (The same computation as the server's time-zone.ts, which the
 * client does not import: Intl only, re-evaluated across a DST change.)
 */
import { TIME_ZONE } from '../../i18n/format.ts'

function offsetMinutes(instant: Date): number {
  const name = new Intl.DateTimeFormat('en-US', { timeZone: TIME_ZONE, timeZoneName: 'longOffset' })
    .formatToParts(instant).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT'
  const m = /^GMT([+-])(\d\d):(\d\d)$/.exec(name)
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0
}

/** The ISO instant when Rome's wall clock shows `date` (YYYY-MM-DD) at `time` (HH:MM). */
export function romeToIso(date: string, time: string): string {
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number]
  const [h, mi] = time.split(':').map(Number) as [number, number]
  const asUtc = Date.UTC(y, mo - 1, d, h, mi)
  const first = asUtc - offsetMinutes(new Date(asUtc)) * 60_000
  return new Date(asUtc - offsetMinutes(new Date(first)) * 60_000).toISOString()
}

/** Rome's wall clock at an instant: { date: YYYY-MM-DD, time: HH:MM }. */
export function isoToRome(iso: string): { date: string; time: string } {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(iso))
  const p = (type: string) => parts.find((x) => x.type === type)?.value ?? '00'
  return { date: `${p('year')}-${p('month')}-${p('day')}`, time: `${p('hour')}:${p('minute')}` }
}
