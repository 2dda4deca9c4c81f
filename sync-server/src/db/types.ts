/**
 * Type parsers shared by both adapters, so a row looks the same whichever database produced it:
 * int8 (counts, versions, sums) → number; date → 'YYYY-MM-DD' (never a local-midnight Date);
 * timestamptz → ISO 8601 in UTC ('2026-11-23T08:00:00.000Z'), which the shared schemas accept.
 */
export const OID = { INT8: 20, DATE: 1082, TIMESTAMPTZ: 1184 } as const

/** Postgres text output ('2026-11-23 09:00:00+01', '… 08:00:00.5+05:30') → ISO in UTC. */
export function timestamptzToIso(text: string): string {
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
