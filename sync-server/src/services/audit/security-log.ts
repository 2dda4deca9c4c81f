/**
 * The security log: one JSON line per event an operator ships to their log system (docs/security.md):
 * authentication failures, refusals of a role, throttling, revocations and office actions. A line says
 * what happened, where and when, never who: no token, code, address, name, id or request body (those
 * are personal data or secrets); counts and kinds only.
 */
export type SecurityEvent =
  | { event: 'auth-failed'; reason: string; method: string; path: string }
  | { event: 'forbidden'; code: 'forbidden' | 'client-forbidden'; role: string | null; method: string; path: string }
  | { event: 'throttled'; bucket: 'address' | 'token' | 'activation'; retryAfterSeconds: number; method: string; path: string }
  | { event: 'revoked'; by: 'officer' | 'device' | 'provider' | 'family'; codes: number; tokens: number }
  | { event: 'office-action'; action: string; role: string }

export type SecurityLog = (e: SecurityEvent) => void

/** A security log writing JSON lines through `log`, stamped with `now`. */
export const securityLog = (log: (line: string) => void, now: () => Date): SecurityLog => (e) =>
  log(JSON.stringify({ time: now().toISOString(), log: 'security', ...e }))

/** The path without ids or secrets that some paths carry (none today; kept to the route's shape). */
export const routeOf = (path: string): string => path.replace(/\/[0-9a-f]{8}-[0-9a-f-]{27,}/gi, '/:id').slice(0, 100)
