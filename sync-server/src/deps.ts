/** What the app factory hands to every route and service: no module singletons anywhere. */
import type { Db } from './db/db.ts'
import type { RateLimits } from './routes/rate-limit.ts'
import type { Notifier } from './services/notify/notifier.ts'

export interface Clock {
  now(): Date
}

export const systemClock: Clock = { now: () => new Date() }

export interface AppDeps {
  db: Db
  clock: Clock
  notifier: Notifier
  /** Built PWA to serve (dist/); null or missing directory → API only. */
  staticDir?: string | null
  /** SSE heartbeat period (tests shorten it). */
  heartbeatMs?: number
  log?: (line: string) => void
  /** From env.ts; missing → the defaults (generous, activation guessing strict). */
  rateLimits?: RateLimits
}
