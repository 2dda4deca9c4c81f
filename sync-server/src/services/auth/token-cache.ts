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
 */
import type { Auth } from './principal.ts'

/**
 * How long a looked-up token is trusted without asking the database again: the bound on how late a
 * revocation made outside this process (another process's logout, SQL by hand) is seen here.
 */
export const TOKEN_CACHE_MAX_AGE_MS = 5_000
/** Entries kept at most; the oldest go first (a few MB: an Auth is a handful of short strings). */
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
  /** When it was looked up, on the monotonic clock. */
  storedAt: number
}

export class TokenCache {
  readonly #entries = new Map<string, Entry>()
  readonly #maxAgeMs: number
  readonly #maxEntries: number
  readonly #now: () => number
  #generation = 0

  constructor(opts: TokenCacheOptions = {}) {
    this.#maxAgeMs = opts.maxAgeMs ?? TOKEN_CACHE_MAX_AGE_MS
    this.#maxEntries = opts.maxEntries ?? TOKEN_CACHE_MAX_ENTRIES
    this.#now = opts.now ?? (() => performance.now())
  }

  /** Changes on every forget/clear: take it before a lookup, hand it back to `set`. */
  get generation(): number {
    return this.#generation
  }

  /** The cached caller, if looked up less than max age ago and its token not expired at `now`. */
  get(tokenHash: string, now: Date): Auth | null {
    const entry = this.#entries.get(tokenHash)
    if (!entry) return null
    if (this.#now() - entry.storedAt < this.#maxAgeMs && now.getTime() < entry.expiresAt) return entry.auth
    this.#entries.delete(tokenHash)
    return null
  }

  /** Stores a token the database accepted, unless a forget/clear happened since `generation`. */
  set(tokenHash: string, auth: Auth, expiresAt: number, generation: number): void {
    if (generation !== this.#generation || this.#maxAgeMs <= 0 || this.#maxEntries <= 0) return
    this.#entries.delete(tokenHash) // re-inserted last: the Map's order is oldest first
    this.#entries.set(tokenHash, { auth, expiresAt, storedAt: this.#now() })
    for (const oldest of this.#entries.keys()) {
      if (this.#entries.size <= this.#maxEntries) break
      this.#entries.delete(oldest)
    }
  }

  /** One token was revoked here (logout). */
  forget(tokenHash: string): void {
    this.#generation++
    this.#entries.delete(tokenHash)
  }

  /** Tokens were revoked (office revocation, here or in another process). */
  clear(): void {
    this.#generation++
    this.#entries.clear()
  }

  get size(): number {
    return this.#entries.size
  }
}
