import { describe, expect, it } from 'vitest'
import type { Auth } from './principal.ts'
import { TOKEN_CACHE_MAX_AGE_MS, TokenCache } from './token-cache.ts'

const auth = (n: number): Auth => ({
  actor: { role: 'parent', programId: 'prg-conciliare', familyId: `fam-${n}`, providerId: null },
  principal: `family:fam-${n}`,
  displayName: `Famiglia ${n}`,
  tokenHash: `hash-${n}`,
})
const NOW = new Date('2026-11-22T07:00:00.000Z')
const IN_A_YEAR = Date.parse('2027-11-22T07:00:00.000Z')

/** A cache on a monotonic clock the test moves by hand. */
function cacheAt(opts: { maxAgeMs?: number; maxEntries?: number } = {}) {
  let ms = 1000
  const cache = new TokenCache({ ...opts, now: () => ms })
  return { cache, advance: (by: number) => void (ms += by) }
}

describe('TokenCache', () => {
  it('answers for max age, then forgets (the bound on revocations made elsewhere)', () => {
    const { cache, advance } = cacheAt()
    cache.set('h1', auth(1), IN_A_YEAR, cache.generation)
    expect(cache.get('h1', NOW)).toEqual(auth(1))
    advance(TOKEN_CACHE_MAX_AGE_MS)
    expect(cache.get('h1', NOW)).toEqual(auth(1))
    advance(1)
    expect(cache.get('h1', NOW)).toBeNull()
    expect(cache.size).toBe(0)
  })

  it('never answers at or past the token’s expires_at, whatever its age', () => {
    const { cache } = cacheAt()
    const expires = NOW.getTime() + 60_000
    cache.set('h1', auth(1), expires, cache.generation)
    expect(cache.get('h1', new Date(expires - 1))).toEqual(auth(1))
    expect(cache.get('h1', new Date(expires))).toBeNull() // the query's `expires_at > now`, exactly
  })

  it('keeps at most maxEntries, dropping the least recently used', () => {
    const { cache } = cacheAt({ maxEntries: 3 })
    for (const n of [1, 2, 3, 4]) cache.set(`h${n}`, auth(n), IN_A_YEAR, cache.generation)
    expect(cache.size).toBe(3)
    expect(cache.get('h1', NOW)).toBeNull()
    expect(cache.get('h4', NOW)).toEqual(auth(4))
    expect(cache.get('h2', NOW)).toEqual(auth(2)) // read: h3 is now the least recently used
    cache.set('h5', auth(5), IN_A_YEAR, cache.generation)
    expect(cache.get('h3', NOW)).toBeNull()
    expect(cache.get('h2', NOW)).toEqual(auth(2))
  })

  it('ages entries on a clock that starts at 0', () => {
    let ms = 0
    const cache = new TokenCache({ now: () => ms })
    cache.set('h1', auth(1), IN_A_YEAR, cache.generation)
    ms += TOKEN_CACHE_MAX_AGE_MS + 1
    expect(cache.get('h1', NOW)).toBeNull()
  })

  it('forget and clear drop entries, and void lookups that began before them', () => {
    const { cache } = cacheAt()
    cache.set('h1', auth(1), IN_A_YEAR, cache.generation)
    cache.set('h2', auth(2), IN_A_YEAR, cache.generation)
    const before = cache.generation // a lookup of h3 starts, then h1's token is revoked (logout)
    cache.forget('h1')
    expect(cache.get('h1', NOW)).toBeNull()
    expect(cache.get('h2', NOW)).toEqual(auth(2))
    cache.set('h3', auth(3), IN_A_YEAR, before) // its answer may predate the revocation: not stored
    expect(cache.get('h3', NOW)).toBeNull()
    const beforeClear = cache.generation
    cache.clear()
    expect(cache.size).toBe(0)
    cache.set('h2', auth(2), IN_A_YEAR, beforeClear)
    expect(cache.size).toBe(0)
    cache.set('h2', auth(2), IN_A_YEAR, cache.generation)
    expect(cache.get('h2', NOW)).toEqual(auth(2))
  })

  it('stores nothing with a max age of 0', () => {
    const { cache } = cacheAt({ maxAgeMs: 0 })
    cache.set('h1', auth(1), IN_A_YEAR, cache.generation)
    expect(cache.size).toBe(0)
    expect(cache.get('h1', NOW)).toBeNull()
  })
})
