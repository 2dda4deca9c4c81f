/**
 * A phone number as people write it ("+39 347 300 1000", "0373 21 45 67"), and the form a `tel:`
 * link dials: digits with the leading + kept. Loose on purpose: the number is read and dialled by a
 * person, not routed; what matters is that it can be dialled and carries nothing else.
 */
import { PHONE_MAX_LENGTH } from './limits.ts'

const WRITTEN = /^\+?[0-9](?:[0-9 .\-/]*[0-9])?$/

/** Whether `s` is a phone number with 6 to 15 digits (E.164's maximum), as written. */
export function isPhone(s: string): boolean {
  if (s.length > PHONE_MAX_LENGTH || !WRITTEN.test(s)) return false
  const digits = s.replace(/\D/g, '').length
  return digits >= 6 && digits <= 15
}

/** The number a `tel:` link dials: "+39 347 300 1000" → "+393473001000". */
export const telHref = (s: string) => `tel:${s.trim().startsWith('+') ? '+' : ''}${s.replace(/\D/g, '')}`
