import type { RejectionCode } from './errors.ts'

/** What every pure rule returns: a value, or a refusal code with details a parent can be told about. */
export type Result<T> = { ok: true; value: T } | Refusal

export interface Refusal {
  ok: false
  code: RejectionCode
  details?: Record<string, unknown>
}

export const ok = <T>(value: T): Result<T> => ({ ok: true, value })
export const refuse = (code: RejectionCode, details?: Record<string, unknown>): Refusal =>
  details ? { ok: false, code, details } : { ok: false, code }
