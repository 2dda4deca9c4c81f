/**
 * Typed errors and the ONE table from error codes to HTTP statuses. Services throw `AppError`;
 * `app.onError` (app.ts) turns anything thrown into `{ error: { code, message, messageEn, details? } }`
 * (`ErrorAnswer` in shared/error-answer.ts, the schema the phone parses it with).
 * Messages are the shared ones (shared/errors.ts), Italian first.
 */
import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { ErrorAnswer } from '../../shared/error-answer.ts'
import { MESSAGES, type ErrorCode } from '../../shared/errors.ts'

export interface Words {
  it: string
  en: string
}

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly details?: unknown,
    /** A more precise message than the code's generic one. */
    readonly words?: Words,
  ) {
    super((words ?? MESSAGES[code]).en)
    this.name = 'AppError'
  }
}

export const STATUS_OF: Record<ErrorCode, ContentfulStatusCode> = {
  validation: 400,
  unauthorized: 401,
  forbidden: 403,
  'client-forbidden': 403,
  'not-found': 404,
  'version-skew': 409,
  'invalid-state': 409,
  'capacity-full': 409,
  'voucher-insufficient': 409,
  'session-closed': 409,
  'price-changed': 409,
  'child-ineligible': 409,
  'already-taken': 409,
  'payload-too-large': 413,
  'rate-limited': 429,
  internal: 500,
  unavailable: 503,
}

export function errorResponse(c: Context, code: ErrorCode, details?: unknown, words?: Words): Response {
  const { it, en } = words ?? MESSAGES[code]
  const error = details === undefined ? { code, message: it, messageEn: en } : { code, message: it, messageEn: en, details }
  return c.json({ error } satisfies ErrorAnswer, STATUS_OF[code])
}

/** Fixed driver messages that say how the database went away and quote no data. */
const KNOWN_MESSAGES = /^(Connection terminated( unexpectedly| due to connection timeout)?|PGlite is closed|timeout exceeded when trying to connect|Client has encountered a connection error and is not queryable|Cannot use a pool after calling end on the pool)$/

/**
 * An error as a log line may show it: its class and SQLSTATE / system code, and for a bug the
 * stack frames (file:line), but never its message, which can quote tokens, names or request data
 * (`invalid input syntax for type date: "…"`, a JSON excerpt, a value in a thrown string).
 */
export function describeFailure(err: unknown): string {
  if (!(err instanceof Error)) return `non-error thrown (${typeof err})`
  const code = (err as { code?: unknown }).code
  const tag = typeof code === 'string' && /^[A-Z0-9_]{2,40}$/.test(code) ? ` [${code}]` : ''
  const known = KNOWN_MESSAGES.exec(err.message)?.[0]
  const frames = (err.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l)).slice(0, 8)
  return [`${err.name}${tag}${known ? `: ${known}` : ''}`, ...frames].join('\n')
}
