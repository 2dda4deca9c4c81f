/**
 * Operators' on-call windows, as the coordinator types them: "1-5 05:30-14:00; 6 07:00-13:00"
 * (ISO weekdays 1 = Monday … 7 = Sunday, a day or a range, then Rome wall-clock times). Empty = none.
 */
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
