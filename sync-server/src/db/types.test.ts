/**
 * timestamptz text → ISO: the fast path for UTC text must answer exactly what the Date round trip
 * answers, for any instant and any fraction Postgres may send.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { timestamptzToIso } from './types.ts'

const viaDate = (text: string) => new Date(text.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00')).toISOString()

describe('timestamptzToIso', () => {
  it('rewrites UTC text exactly as the Date round trip does, whatever the fraction', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }), fc.nat(999_999),
        fc.integer({ min: 0, max: 6 }), (d, micros, digits) => {
          const fraction = digits === 0 ? '' : `.${String(micros).padStart(6, '0').slice(0, digits)}`
          const text = `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 19)}${fraction}+00`
          expect(timestamptzToIso(text)).toBe(viaDate(text))
        }),
    )
  })

  it('converts other offsets to UTC, and refuses what is not a timestamp', () => {
    expect(timestamptzToIso('2026-11-23 09:00:00+01')).toBe('2026-11-23T08:00:00.000Z')
    expect(timestamptzToIso('2026-11-23 08:00:00.5+05:30')).toBe('2026-11-23T02:30:00.500Z')
    expect(timestamptzToIso('2026-11-23 08:00:00.123456+00')).toBe('2026-11-23T08:00:00.123Z')
    expect(() => timestamptzToIso('infinity')).toThrow(/unexpected timestamptz/)
  })
})
