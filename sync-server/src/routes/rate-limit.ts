/**
 * Rate limits: token buckets in this process's memory (a burst, then a steady refill), keyed by
 *  - address:  every /api request from one client address (health excluded), a flood guard;
 *  - token:    every request a device token makes, once it is authenticated (http.ts requireAuth);
 *  - activation failures: wrong activation codes from one address, strictly: with the defaults, ten
 *    wrong codes and then one every two minutes. An attempt needs a token in the bucket; only a wrong
 *    code takes one, and the balance may go below zero. Right codes never wait (an office activating
 *    thirty phones at once is fine); parallel guesses may all be checked, but each failure is a debt
 *    the address then waits off, so guesses over time stay at the refill rate.
 * Over the limit: 429 `rate-limited` with Retry-After (seconds). The defaults (env.ts) sit far above
 * what a phone or the test suites do. Per process: N processes allow N times as much; the hard
 * guarantee against guessing is the codes' and tokens' entropy, the limit makes trying slow.
 *
 * The address is the TCP peer's; with TRUST_PROXY=1 the last X-Forwarded-For entry (the one our own
 * proxy appended: earlier entries are whatever the client sent). IPv6 addresses count per /64, which
 * is what one subscriber usually gets. No known address (an in-process request) → no address bucket.
 *
 * Hand-written on purpose: the in-memory limiters on npm count in fixed windows, which forget debts and
 * have no steady refill (docs/security.md, "Why the buckets are hand-written").
 */
import { routeOf, type SecurityLog } from '../services/audit/security-log.ts'
import { getConnInfo } from '@hono/node-server/conninfo'
import type { Context, MiddlewareHandler } from 'hono'
import { errorResponse } from '../errors.ts'

export interface BucketSpec {
  /** Requests allowed at once, from a full bucket. */
  burst: number
  /** Tokens added back per minute. */
  perMinute: number
}

export interface RateLimits {
  enabled: boolean
  address: BucketSpec
  token: BucketSpec
  activationFailures: BucketSpec
  trustProxy: boolean
  /** Monotonic milliseconds (tests inject a fake); not the app's business clock. */
  now?: () => number
  /** Buckets kept per kind before the least recently used are dropped. */
  maxKeys?: number
}

export type BucketKind = 'address' | 'token' | 'activationFailures'

interface Bucket {
  tokens: number
  at: number
}

export class TokenBuckets {
  readonly #buckets = new Map<string, Bucket>()
  constructor(
    private readonly spec: BucketSpec,
    private readonly now: () => number,
    private readonly maxKeys = 100_000,
  ) {}

  #refilled(key: string): Bucket {
    const t = this.now()
    const b = this.#buckets.get(key)
    const tokens = b ? Math.min(this.spec.burst, b.tokens + ((t - b.at) * this.spec.perMinute) / 60_000) : this.spec.burst
    return { tokens, at: t }
  }

  #store(key: string, b: Bucket): void {
    this.#buckets.delete(key) // re-inserted last: the Map's order is least recently used first
    this.#buckets.set(key, b)
    for (const oldest of this.#buckets.keys()) {
      if (this.#buckets.size <= this.maxKeys) break
      this.#buckets.delete(oldest)
    }
  }

  /** Takes one token; returns 0 when granted, else the seconds until one is available. */
  take(key: string): number {
    const b = this.#refilled(key)
    if (b.tokens >= 1) {
      this.#store(key, { tokens: b.tokens - 1, at: b.at })
      return 0
    }
    this.#store(key, b)
    return this.#wait(b.tokens)
  }

  /** 0 when a token is available (none is taken), else the seconds until one is. */
  check(key: string): number {
    const b = this.#refilled(key)
    return b.tokens >= 1 ? 0 : this.#wait(b.tokens)
  }

  /** Takes one token even if there is none: the balance goes negative and must refill first. */
  charge(key: string): void {
    const b = this.#refilled(key)
    this.#store(key, { tokens: b.tokens - 1, at: b.at })
  }

  #wait(tokens: number): number {
    return this.spec.perMinute > 0 ? Math.max(1, Math.ceil(((1 - tokens) * 60) / this.spec.perMinute)) : 3600
  }

  get size(): number {
    return this.#buckets.size
  }
}

/** IPv4 as is (also when mapped into IPv6); IPv6 reduced to its /64 prefix. */
export function addressKey(address: string): string {
  const a = address.trim().toLowerCase()
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a)
  if (mapped?.[1]) return mapped[1]
  if (!a.includes(':')) return a
  const [head = '', tail = ''] = a.split('::')
  const left = head ? head.split(':') : []
  const right = a.includes('::') && tail ? tail.split(':') : []
  const groups = a.includes('::') ? [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right] : left
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`
}

export function clientAddress(c: Context, trustProxy: boolean): string | null {
  if (trustProxy) {
    const last = (c.req.header('x-forwarded-for') ?? '').split(',').map((s) => s.trim()).filter(Boolean).at(-1)
    if (last) return addressKey(last)
  }
  try {
    const address = getConnInfo(c).remote.address
    return address ? addressKey(address) : null
  } catch {
    return null // no socket: an in-process request (app.request in tests)
  }
}

export interface RateLimiter {
  readonly limits: RateLimits
  /** Takes a token of `kind` for `key`: 0 when granted, else the seconds to wait. */
  take(kind: BucketKind, key: string): number
  /** 0 when `kind` has a token for `key` (none taken), else the seconds to wait. */
  check(kind: BucketKind, key: string): number
  /** Takes a token of `kind` for `key`, into debt if need be. */
  charge(kind: BucketKind, key: string): void
  address(c: Context): string | null
}

export function createRateLimiter(limits: RateLimits): RateLimiter {
  const now = limits.now ?? (() => performance.now())
  const buckets: Record<BucketKind, TokenBuckets> = {
    address: new TokenBuckets(limits.address, now, limits.maxKeys),
    token: new TokenBuckets(limits.token, now, limits.maxKeys),
    activationFailures: new TokenBuckets(limits.activationFailures, now, limits.maxKeys),
  }
  return {
    limits,
    take: (kind, key) => (limits.enabled ? buckets[kind].take(key) : 0),
    check: (kind, key) => (limits.enabled ? buckets[kind].check(key) : 0),
    charge: (kind, key) => void (limits.enabled && buckets[kind].charge(key)),
    address: (c) => clientAddress(c, limits.trustProxy),
  }
}

export function tooMany(c: Context, retryAfterSeconds: number, bucket: 'address' | 'token' | 'activation'): Response {
  const security = (c.get as (key: string) => SecurityLog | undefined)('security')
  security?.({ event: 'throttled', bucket, retryAfterSeconds, method: c.req.method, path: routeOf(c.req.path) })
  const res = errorResponse(c, 'rate-limited', { retryAfterSeconds })
  res.headers.set('Retry-After', String(retryAfterSeconds))
  return res
}

/** Every /api request but the health check costs one token of its address's bucket. */
export function limitByAddress(limiter: RateLimiter): MiddlewareHandler {
  return async (c, next) => {
    const address = c.req.path === '/api/health' ? null : limiter.address(c)
    const wait = address ? limiter.take('address', address) : 0
    if (wait > 0) return tooMany(c, wait, 'address')
    await next()
  }
}
