/**
 * Operators' on-call windows, as the coordinator types them: "1-5 05:30-14:00; 6 07:00-13:00"
 * (ISO weekdays 1 = Monday … 7 = Sunday, a day or a range, then Rome wall-clock times). Empty = none
 * typed: for emergencies, on call whenever marked so (`onCallFor`).
 */
import { offsetMinutes, wallClockToIso } from '../time.ts'

const WINDOW = /^([1-7])(?:-([1-7]))? ([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$/

export interface OnCallWindow {
  fromDay: number
  toDay: number
  from: string
  to: string
}

/** The windows, or null if the text is not in the expected shape. */
export function parseOnCallWindows(text: string): OnCallWindow[] | null {
  const parts = text.split(';').map((p) => p.trim()).filter(Boolean)
  const out: OnCallWindow[] = []
  for (const p of parts) {
    const m = WINDOW.exec(p)
    if (!m) return null
    const fromDay = Number(m[1])
    const toDay = Number(m[2] ?? m[1])
    const from = `${m[3]}:${m[4]}`
    const to = `${m[5]}:${m[6]}`
    if (toDay < fromDay || to <= from) return null
    out.push({ fromDay, toDay, from, to })
  }
  return out
}

/** Is someone with these windows on call on ISO weekday `day` at wall-clock `time` (HH:MM)? */
export const onCallAt = (windows: readonly OnCallWindow[], day: number, time: string): boolean =>
  windows.some((w) => day >= w.fromDay && day <= w.toDay && time >= w.from && time < w.to)

/**
 * Do the windows cover the whole span [startsAt, endsAt) in `timeZone` (the program's)? Walked window
 * by window: at each instant the window holding it that reaches furthest, until the end (a night
 * across midnight needs a window each side, e.g. "5 20:00-24:00; 6 00:00-08:00").
 */
export function coversSpan(windows: readonly OnCallWindow[], startsAt: string, endsAt: string, timeZone: string): boolean {
  const end = Date.parse(endsAt)
  let t = Date.parse(startsAt)
  for (let i = 0; i < 64 && t < end; i++) {
    const local = new Date(t + offsetMinutes(t, timeZone) * 60_000).toISOString()
    const date = local.slice(0, 10)
    const time = local.slice(11, 16)
    const day = new Date(t + offsetMinutes(t, timeZone) * 60_000).getUTCDay() || 7
    let to: string | null = null
    for (const w of windows) if (day >= w.fromDay && day <= w.toDay && time >= w.from && time < w.to && (to === null || w.to > to)) to = w.to
    if (to === null) return false
    t = Date.parse(wallClockToIso(date, to, timeZone))
  }
  return t >= end
}

/**
 * May this operator take (go to) an emergency from startsAt to endsAt? On call, and, where the
 * coordinator has typed on-call windows, windows covering the whole time; no windows typed: whenever
 * marked on call. Windows that do not parse cover nothing.
 */
export function onCallFor(
  o: { onCall: boolean; onCallWindows: string }, r: { startsAt: string; endsAt: string }, timeZone: string,
): boolean {
  if (!o.onCall) return false
  if (o.onCallWindows.trim() === '') return true
  const windows = parseOnCallWindows(o.onCallWindows)
  return windows !== null && coversSpan(windows, r.startsAt, r.endsAt, timeZone)
}
