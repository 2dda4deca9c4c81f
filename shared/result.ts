import type { RejectionCode } from './errors.ts'
import type { RefusalDetails } from './refusals.ts'

/** What every pure rule returns: a value, or a refusal code with details a parent can be told about. */
export type Result<T> = { ok: true; value: T } | Refusal

/**
 * A refusal as it travels (stored, pulled, replayed): `details` stays an open record here, since what
 * comes back from storage or the wire is only trusted once parsed (`parseRefusalDetails`).
 */
export interface Refusal {
  ok: false
  code: RejectionCode
  details?: Record<string, unknown>
}

export const ok = <T>(value: T): Result<T> => ({ ok: true, value })

/** Typed by code: the details must fit that code's schema (shared/refusals.ts), or it does not compile. */
export const refuse = <C extends RejectionCode>(code: C, details?: RefusalDetails<C>): Refusal =>
  details ? { ok: false, code, details } : { ok: false, code }
