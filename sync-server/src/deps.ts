/** What the app factory hands to every route and service: no module singletons anywhere. */
import type { Db } from './db/db.ts'
import type { RateLimits } from './routes/rate-limit.ts'
import type { TokenCache } from './services/auth/token-cache.ts'
import type { Notifier } from './services/notify/notifier.ts'
import type { WebPush } from './services/push/web-push.service.ts'

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
  /**
   * This app's token → caller cache (services/auth/token-cache.ts). Missing → createApp makes a fresh
   * one for the app it builds, so apps never share one by accident; tests pass their own to look
   * inside it or to change its max age.
   */
  tokens?: TokenCache
  /**
   * Demo mode (env DEMO): the demo's activation codes, and the tokens they issued, work only when
   * true. Missing → false: a server with real data never accepts `FAM-0001`.
   */
  demo?: boolean
  /** Web Push (issue 9): null or missing → off (no VAPID keys). */
  webPush?: WebPush | null
}
