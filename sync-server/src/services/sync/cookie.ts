/**
 * The pull cookie: opaque to the client, here `base64url(JSON {e: epoch, v: {space: version}})`.
 * `e` is the database's random epoch (meta table): a cookie from another or a reset database is
 * ignored and the pull starts from scratch (`reset: true`). A cookie that does not decode is treated
 * the same way: the client loses nothing, it just receives everything again.
 */
import { z } from 'zod'

const CookieBody = z.object({ e: z.string().max(64), v: z.record(z.string().max(200), z.number().int().nonnegative()) })
export type CookieBody = z.infer<typeof CookieBody>

export function encodeCookie(body: CookieBody): string {
  return Buffer.from(JSON.stringify(body)).toString('base64url')
}

/** The versions the client already has, or null when it must start from scratch. */
export function decodeCookie(cookie: string | null, epoch: string): Record<string, number> | null {
  if (cookie === null) return null
  try {
    const parsed = CookieBody.safeParse(JSON.parse(Buffer.from(cookie, 'base64url').toString('utf8')))
    if (!parsed.success || parsed.data.e !== epoch) return null
    return parsed.data.v
  } catch {
    return null
  }
}
