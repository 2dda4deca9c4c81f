/**
 * The poke stream's credential (docs/security.md): what the browser's poke cookie carries instead of
 * the device token. It names the token by its hash and an expiry, signed with HMAC-SHA256 under a
 * random key kept in the database (`meta`, one per database: every process shares it). It opens only
 * the poke stream (other routes take only a bearer token), only until it expires, and only while the
 * token it names is still valid (revocation kills it). Stateless: issuing one writes nothing.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Queryable } from '../../db/db.ts'

/** A credential opens streams for this long; the phone asks for a new one when it is refused. */
export const POKE_CREDENTIAL_MINUTES = 60

const keys = new WeakMap<Queryable, Promise<Buffer>>()

/** The database's signing key, created on first use (several processes agree: ON CONFLICT, then read). */
export function pokeKey(db: Queryable): Promise<Buffer> {
  let key = keys.get(db)
  if (!key) {
    key = (async () => {
      await db.query("INSERT INTO meta (key, value) VALUES ('poke-key', $1) ON CONFLICT (key) DO NOTHING", [randomBytes(32).toString('base64url')])
      const [row] = await db.query<{ value: string }>("SELECT value FROM meta WHERE key = 'poke-key'")
      if (!row) throw new Error('poke key missing after insert')
      return Buffer.from(row.value, 'base64url')
    })()
    key.catch(() => keys.delete(db)) // a database hiccup: try again next time
    keys.set(db, key)
  }
  return key
}

const sign = (key: Buffer, payload: string) => createHmac('sha256', key).update(payload).digest('base64url')

export function issuePokeCredential(key: Buffer, tokenHash: string, now: Date): { value: string; maxAgeSeconds: number } {
  const payload = `v1.${tokenHash}.${now.getTime() + POKE_CREDENTIAL_MINUTES * 60_000}`
  return { value: `${payload}.${sign(key, payload)}`, maxAgeSeconds: POKE_CREDENTIAL_MINUTES * 60 }
}

export const looksLikePokeCredential = (value: string): boolean => value.startsWith('v1.')

/** The token hash a credential names, if its signature holds and it has not expired; else null. */
export function verifyPokeCredential(key: Buffer, value: string, now: Date): string | null {
  const m = /^(v1\.([0-9a-f]{64})\.(\d{1,16}))\.([A-Za-z0-9_-]{43})$/.exec(value)
  if (!m) return null
  const expected = Buffer.from(sign(key, m[1]!))
  const given = Buffer.from(m[4]!)
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null
  return Number(m[3]) > now.getTime() ? m[2]! : null
}
