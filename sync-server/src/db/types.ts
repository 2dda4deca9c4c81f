/**
 * Type parsers shared by both adapters, so a row looks the same whichever database produced it:
 * int8 (counts, versions, sums) → number; date → 'YYYY-MM-DD' (never a local-midnight Date);
 * timestamptz → ISO 8601 in UTC ('2026-11-23T08:00:00.000Z'), which the shared schemas accept.
 */
export const OID = { INT8: 20, DATE: 1082, TIMESTAMPTZ: 1184 } as const

/** A timestamptz in UTC (a database whose TimeZone is UTC sends every one so): date, time, fraction. */
const UTC_TEXT = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?\+00$/

/**
 * Postgres text output ('2026-11-23 09:00:00+01', '… 08:00:00.5+05:30') → ISO in UTC. Text already
 * in UTC is rewritten without a Date (a push reads a dozen of these per row; a profile put the
 * Date round trip at 3% of the server's CPU); the fraction is cut to milliseconds, as Date does.
 */
export function timestamptzToIso(text: string): string {
  const utc = UTC_TEXT.exec(text)
  if (utc) return `${utc[1]}T${utc[2]}.${`${utc[3] ?? ''}000`.slice(0, 3)}Z`
  const iso = text.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00')
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) throw new Error(`unexpected timestamptz text: ${text}`)
  return d.toISOString()
}

export const int8ToNumber = (text: string): number => {
  const n = Number(text)
  if (!Number.isSafeInteger(n)) throw new Error(`int8 out of the safe range: ${text}`)
  return n
}

export const PARSERS: Record<number, (text: string) => unknown> = {
  [OID.INT8]: int8ToNumber,
  [OID.DATE]: (text) => text,
  [OID.TIMESTAMPTZ]: timestamptzToIso,
}
