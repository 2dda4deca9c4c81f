/**
 * Lengths of free text, where the phone's forms need them without the schemas (maxlength on a
 * field of the first screen: no zod there, issue 10). The schemas and mutation args use the same.
 */
/** A message of a booking's thread. */
export const MESSAGE_MAX_LENGTH = 1000
/** An emergency request's address and note. */
export const ADDRESS_MAX_LENGTH = 200
export const EMERGENCY_NOTE_MAX_LENGTH = 1000
/** An operator's work phone: digits, spaces, dots, dashes, a leading + (shared/phone.ts). */
export const PHONE_MAX_LENGTH = 24
