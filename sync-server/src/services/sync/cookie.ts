/**
 * The pull cookie: opaque to the client, here `base64url(JSON {e: epoch, s: snapshot, h: scope})`.
 *  - `s` is the MVCC snapshot the pull read with (`pg_current_snapshot()` text, `xmin:xmax:xip,…`):
 *    the next pull returns the rows stamped by transactions this snapshot did not see (docs/sync.md).
 *  - `e` is the database's random epoch (meta table): a cookie from another or a reset database is
 *    ignored and the pull starts from scratch (`reset: true`).
 *  - `h` fingerprints the set of spaces the token saw. If the set changed (a provider joined the
 *    program), the pull starts from scratch too: rows of a space new to this phone may predate the
 *    snapshot. Rare, and always correct.
 * A cookie that does not decode (or is not a well-formed snapshot) is treated the same way: the
 * client loses nothing, it just receives everything again. A forged snapshot can only make a phone
 * receive more (or, for one from the future, less) of what its own token may see anyway.
 */
import { createHash } from 'node:crypto'
import { z } from 'zod'

const CookieBody = z.object({ e: z.string().max(64), s: z.string().max(8000), h: z.string().max(64) })
export type CookieBody = z.infer<typeof CookieBody>

export function encodeCookie(body: CookieBody): string {
  return Buffer.from(JSON.stringify(body)).toString('base64url')
}

/** A short, stable fingerprint of the spaces a token sees. */
export const scopeHash = (spaces: readonly string[]): string =>
  createHash('sha256').update([...spaces].sort().join('\n')).digest('base64url').slice(0, 16)

/**
 * `pg_snapshot` text exactly as Postgres would accept it (xmin <= xip… < xmax, ascending), so a
 * bad cookie is a reset, never a database error.
 */
export function isSnapshot(text: string): boolean {
  const m = /^(\d{1,19}):(\d{1,19}):((?:\d{1,19})(?:,\d{1,19})*)?$/.exec(text)
  if (!m) return false
  const xmin = BigInt(m[1] ?? '0')
  const xmax = BigInt(m[2] ?? '0')
  const limit = 2n ** 63n
  if (xmin < 1n || xmin > xmax || xmax >= limit) return false
  let last = xmin
  for (const x of (m[3] ?? '').split(',').filter(Boolean).map(BigInt)) {
    if (x < last || x >= xmax) return false
    last = x
  }
  return true
}

/** The snapshot the client already has, or null when it must start from scratch. */
export function decodeCookie(cookie: string | null, epoch: string, scope: string): string | null {
  if (cookie === null) return null
  try {
    const parsed = CookieBody.safeParse(JSON.parse(Buffer.from(cookie, 'base64url').toString('utf8')))
    if (!parsed.success || parsed.data.e !== epoch || parsed.data.h !== scope || !isSnapshot(parsed.data.s)) return null
    return parsed.data.s
  } catch {
    return null
  }
}
