/**
 * Token → caller, in one app's memory: a phone's push, pull and poke would otherwise each cost a
 * database round trip to look up the same token. Keyed by the token's SHA-256 (the token itself is
 * never kept); only tokens the database accepted are stored, never unknown ones.
 *
 * What it may cost in correctness is bounded:
 *  - expiry stays exact: an entry carries its token's expires_at and is not used from that instant on
 *    (compared with the same business clock the query uses);
 *  - revocations made through this app take effect at the very next request: logout forgets its token
 *    (auth.routes.ts), the office's revocation clears the whole cache (revoke.service.ts);
 *  - revocations made by another server process reach this one through the notifier (the office's
 *    TOKENS_REVOKED hint, below) and, whatever is lost on the way (a logout elsewhere, a dropped
 *    LISTEN connection, a row changed by hand in SQL), after at most TOKEN_CACHE_MAX_AGE_MS.
 * A lookup that was already under way when a revocation cleared the cache does not store its
 * (possibly stale) answer: entries are stored only if no clear happened since their lookup began.
 *
 * The storage is `lru-cache` (max entries, least recently used out first, and the max age as its
 * TTL, checked against the clock at every read: ttlResolution 0); what is ours is the expiry against
 * the business clock and the generation that voids lookups overtaken by a revocation.
 */
import { LRUCache } from 'lru-cache'
import type { Auth } from './principal.ts'

/**
 * How long a looked-up token is trusted without asking the database again: the bound on how late a
 * revocation made outside this process (another process's logout, SQL by hand) is seen here.
 */
export const TOKEN_CACHE_MAX_AGE_MS = 5_000
/** Entries kept at most; the least recently used go first (a few MB: an Auth is a handful of short strings). */
export const TOKEN_CACHE_MAX_ENTRIES = 10_000
/**
 * Published with the revoked principals (revoke.service.ts): every app on the notifier clears its
 * cache when it hears it. Not a space any poke stream watches, so no phone is poked for it.
 */
export const TOKENS_REVOKED = 'tokens:revoked'

export interface TokenCacheOptions {
  /** 0 turns the cache off. */
  maxAgeMs?: number
  maxEntries?: number
  /** Monotonic milliseconds for the max age (tests inject a fake); not the app's business clock. */
  now?: () => number
}

interface Entry {
  auth: Auth
  /** The token's expires_at, epoch ms. */
  expiresAt: number
}

export class TokenCache {
  /** Null when turned off (max age or max entries 0). */
  readonly #entries: LRUCache<string, Entry> | null
  #generation = 0

  constructor(opts: TokenCacheOptions = {}) {
    const maxAgeMs = opts.maxAgeMs ?? TOKEN_CACHE_MAX_AGE_MS
    const maxEntries = opts.maxEntries ?? TOKEN_CACHE_MAX_ENTRIES
    const now = opts.now ?? (() => performance.now())
    // lru-cache reads a start time of 0 as "no TTL": its clock is ours plus one, so a clock that
    // starts at 0 (a fake one) still ages entries. An entry is dropped once older than max age.
    this.#entries = maxAgeMs > 0 && maxEntries > 0
      ? new LRUCache<string, Entry>({ max: maxEntries, ttl: maxAgeMs, ttlResolution: 0, perf: { now: () => now() + 1 } })
      : null
  }

  /** Changes on every forget/clear: take it before a lookup, hand it back to `set`. */
  get generation(): number {
    return this.#generation
  }

  /** The cached caller, if looked up no more than max age ago and its token not expired at `now`. */
  get(tokenHash: string, now: Date): Auth | null {
    const entry = this.#entries?.get(tokenHash) // past max age: none (and dropped)
    if (!entry) return null
    if (now.getTime() < entry.expiresAt) return entry.auth
    this.#entries?.delete(tokenHash)
    return null
  }

  /** Stores a token the database accepted, unless a forget/clear happened since `generation`. */
  set(tokenHash: string, auth: Auth, expiresAt: number, generation: number): void {
    if (generation !== this.#generation) return
    this.#entries?.set(tokenHash, { auth, expiresAt })
  }

  /** One token was revoked here (logout). */
  forget(tokenHash: string): void {
    this.#generation++
    this.#entries?.delete(tokenHash)
  }

  /** Tokens were revoked (office revocation, here or in another process). */
  clear(): void {
    this.#generation++
    this.#entries?.clear()
  }

  get size(): number {
    return this.#entries?.size ?? 0
  }
}
