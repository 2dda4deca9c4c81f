import { z } from 'zod'

/** Ids are client-generated (UUIDv7) or deterministic demo slugs; anything else is refused at the door. */
export const Id = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'id: letters, digits, - and _ only')

/**
 * Dates and times a Postgres column can hold: ISO syntax alone lets through year 0000 and offsets
 * like +23:59, which the database refuses with a data error (a 5xx, and a phone retrying forever).
 */
const storableYear = (s: string) => !s.startsWith('0000')
const OFFSET = /([+-])(\d{2}):?(\d{2})$/
const storableOffset = (s: string) => {
  const m = OFFSET.exec(s)
  return !m || Number(m[2]) * 60 + Number(m[3]) <= 15 * 60
}
export const IsoDateTime = z.iso
  .datetime({ offset: true })
  .refine(storableYear, 'year out of range')
  .refine(storableOffset, 'time zone offset out of range')
export const IsoDate = z.iso.date().refine(storableYear, 'year out of range')
export const Cents = z.number().int().nonnegative().max(100_000_000)

/**
 * Bidirectional control characters (LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI, and the marks LRM,
 * RLM, ALM): invisible, they can make a name or a note read differently from what it holds ("Trojan
 * Source"). Arabic or Hebrew text needs none of them: the app renders user text with dir="auto".
 */
export const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/

/**
 * Free text typed by a person (notes, reasons, names). A NUL character cannot be stored in a
 * Postgres text column, so it is refused here, where the phone hears `validation`, not a 5xx;
 * bidi control characters are refused too (above).
 */
export const Text = (max: number) =>
  z.string().max(max).regex(/^[^\u0000]*$/, 'text: no NUL characters').refine((s) => !BIDI_CONTROLS.test(s), 'text: no bidirectional control characters')
