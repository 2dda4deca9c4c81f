import { describe, expect, it } from 'vitest'
import type { z } from 'zod'
import { REJECTION_CODES } from './errors.ts'
import { ALTERNATIVE_FIELDS, readRefusalDetails, REFUSAL_FIELDS } from './refusal-reader.ts'
import { Alternative, parseRefusalDetails, REFUSAL_DETAILS } from './refusals.ts'

const shapeOf = (schema: unknown) => (schema as z.ZodObject).shape as Record<string, z.ZodType>

/** A value of every kind a field can be given, good and bad. */
const alternative = { sessionId: 's2', providerId: 'p1', startsAt: '2026-12-01T09:00:00Z', placesLeft: 3, unitPriceCents: 800 }
const SAMPLES: unknown[] = [
  undefined, null, 0, 12.5, -3, Number.NaN, Number.POSITIVE_INFINITY, '', 'x', true, {}, [],
  [alternative], [{ ...alternative, placesLeft: '3' }], [{ sessionId: 's2' }], [alternative, null],
]

describe('refusal details read without zod (the first screen’s words)', () => {
  it.each(REJECTION_CODES)('%s: the same fields as its schema, optional where it is', (code) => {
    const fields = shapeOf(REFUSAL_DETAILS[code])
    expect(Object.keys(REFUSAL_FIELDS[code]).sort()).toEqual(Object.keys(fields).sort())
    for (const [key, kind] of Object.entries(REFUSAL_FIELDS[code])) {
      expect({ key, optional: kind.endsWith('?') }).toEqual({ key, optional: fields[key]!.safeParse(undefined).success })
    }
  })

  it('an alternative has the schema’s fields', () => {
    expect(Object.keys(ALTERNATIVE_FIELDS).sort()).toEqual(Object.keys(shapeOf(Alternative)).sort())
  })

  it.each(REJECTION_CODES)('%s: accepts and refuses exactly what parseRefusalDetails does', (code) => {
    const keys = Object.keys(REFUSAL_FIELDS[code])
    // A valid base (every required field a fitting value), then each field set to each sample.
    const base: Record<string, unknown> = { extra: 'kept' }
    for (const [key, kind] of Object.entries(REFUSAL_FIELDS[code])) {
      if (kind.endsWith('?')) continue
      base[key] = kind.startsWith('number') ? 1 : kind.startsWith('alternatives') ? [alternative] : 'a'
    }
    const cases: unknown[] = [undefined, null, 'text', [], base]
    for (const key of keys) for (const v of SAMPLES) cases.push({ ...base, [key]: v })
    for (const details of cases) {
      const zodSays = parseRefusalDetails(code, details)
      const readerSays = readRefusalDetails(code, details)
      expect({ details, ok: readerSays !== null }).toEqual({ details, ok: zodSays !== null })
      if (zodSays) expect(readerSays).toEqual(zodSays)
    }
  })
})
