import { describe, expect, it } from 'vitest'
import { CODE_RANDOM_BITS, CROCKFORD, generateActivationCode } from './activation-codes.ts'
import { hashCode, normalizeCode } from './auth.service.ts'

describe('generateActivationCode', () => {
  it('is the prefix and 12 Crockford base32 characters in groups of 4', () => {
    const code = generateActivationCode('FAM')
    expect(code).toMatch(/^FAM-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/)
    expect(normalizeCode(code)).toBe(code) // already in the form codes are hashed in
    expect(hashCode(` ${code.toLowerCase()} `)).toBe(hashCode(code))
  })

  it('carries at least 40 random bits, and every character position varies', () => {
    expect(CODE_RANDOM_BITS).toBeGreaterThanOrEqual(40)
    expect(CROCKFORD.length ** 12).toBe(2 ** CODE_RANDOM_BITS)
    const codes = Array.from({ length: 2000 }, () => generateActivationCode('X').slice(2).replaceAll('-', ''))
    expect(new Set(codes).size).toBe(codes.length)
    for (let i = 0; i < 12; i++) {
      // 2000 draws of 32 equally likely characters: every position shows most of the alphabet.
      expect(new Set(codes.map((c) => c[i])).size).toBeGreaterThan(24)
    }
  })
})
