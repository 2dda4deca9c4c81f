/**
 * The program's wall clock (Europe/Rome) ↔ instants, for the session form: a provider types a date and
 * times as they read them on the wall (shared/time.ts's wallClockToIso, as the server and the rules).
 */
import { wallClockToIso } from '../../../../shared/time.ts'
import { TIME_ZONE } from '../../i18n/format.ts'

/** The ISO instant when Rome's wall clock shows `date` (YYYY-MM-DD) at `time` (HH:MM). */
export const romeToIso = (date: string, time: string): string => wallClockToIso(date, time, TIME_ZONE)

/** Rome's wall clock at an instant: { date: YYYY-MM-DD, time: HH:MM }. */
export function isoToRome(iso: string): { date: string; time: string } {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(iso))
  const p = (type: string) => parts.find((x) => x.type === type)?.value ?? '00'
  return { date: `${p('year')}-${p('month')}-${p('day')}`, time: `${p('hour')}:${p('minute')}` }
}
