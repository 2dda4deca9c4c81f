/**
 * Activation codes issued for real (a funded family's letter): `${prefix}-XXXX-XXXX-XXXX`, 12
 * characters of Crockford's base32 (no I, L, O, U: nothing to misread on paper) from
 * `crypto.randomBytes`, 5 bits each: 60 random bits. Issue 12 asks for at least 40, so that guessing
 * is hopeless even at the loose per-address limit (docs/security.md, "Activation codes"): at 50
 * wrong tries per address per refill, finding one of a million live codes takes ~2^40 tries.
 * Codes are stored hashed (`hashCode` in auth.service.ts); the demo's short codes are another thing
 * (marked `demo`, migration 0004).
 */
import { randomBytes } from 'node:crypto'

export const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
const CHARS = 12
export const CODE_RANDOM_BITS = 60

export function generateActivationCode(prefix: string): string {
  // 60 bits from 8 random bytes: take them as one big integer and read 5 bits at a time.
  let n = randomBytes(8).readBigUInt64BE()
  let out = ''
  for (let i = 0; i < CHARS; i++) {
    out = (CROCKFORD[Number(n & 31n)] ?? '0') + out
    n >>= 5n
  }
  return `${prefix}-${out.slice(0, 4)}-${out.slice(4, 8)}-${out.slice(8, 12)}`
}
