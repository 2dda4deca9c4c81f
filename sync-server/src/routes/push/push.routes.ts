/**
 * Web Push subscriptions (issue 9). Thin: `GET /api/push/key` → `{ publicKey }` (404 when Web Push is
 * off: no VAPID keys configured outside demo mode); `POST /api/push/subscriptions` (any signed-in
 * device; a parent's, a coordinator's and an operator's are used) `{ endpoint, keys: { p256dh, auth } }` → 201;
 * `DELETE /api/push/subscriptions` `{ endpoint }` → 204. An endpoint is bound to the device that registered
 * it, its token (migration 0021): whom it is for (family, cooperative, operator) is the token's code's, read
 * when sending; registering it again under another token moves it, and revoking the token (signing out,
 * a device or code revoked or replaced) drops it. Only that device removes it. Only https endpoints (push
 * services are; web-push speaks nothing else).
 */
import { Hono } from 'hono'
import { z } from 'zod'
import type { AppDeps } from '../../deps.ts'
import { AppError } from '../../errors.ts'
import { readJson, requireAuth, type AppEnv } from '../http.ts'

const B64URL = z.string().min(16).max(200).regex(/^[A-Za-z0-9_-]+=*$/, 'base64url expected')
const Endpoint = z.string().max(1000).pipe(z.url({ protocol: /^https$/ }))
const SubscribeBody = z.object({ endpoint: Endpoint, keys: z.object({ p256dh: B64URL, auth: B64URL }) })
const UnsubscribeBody = z.object({ endpoint: Endpoint })

export function pushRoutes(deps: AppDeps): Hono<AppEnv> {
  const enabled = () => {
    if (!deps.webPush) throw new AppError('not-found', { reason: 'web-push-off' })
    return deps.webPush
  }
  return new Hono<AppEnv>()
    .get('/key', (c) => c.json({ publicKey: enabled().publicKey }))
    .post('/subscriptions', requireAuth(deps), async (c) => {
      enabled()
      const body = await readJson(c, SubscribeBody)
      // Bound only while the token is live in the database: a token cache may still accept one just revoked
      // in another process. FOR SHARE orders it with a revocation running now: either this waits and finds
      // the token revoked (401), or the revocation waits and its trigger drops the row written here.
      const bound = await deps.db.query(
        `INSERT INTO push_subscriptions (endpoint, token_hash, p256dh, auth, created_at)
         SELECT $1, token_hash, $3, $4, $5 FROM tokens WHERE token_hash = $2 AND revoked_at IS NULL FOR SHARE
         ON CONFLICT (endpoint) DO UPDATE SET token_hash = EXCLUDED.token_hash, p256dh = EXCLUDED.p256dh, auth = EXCLUDED.auth, created_at = EXCLUDED.created_at
         RETURNING endpoint`,
        [body.endpoint, c.get('auth').tokenHash, body.keys.p256dh, body.keys.auth, deps.clock.now().toISOString()],
      )
      if (bound.length === 0) throw new AppError('unauthorized', { reason: 'revoked' })
      return c.body(null, 201)
    })
    .delete('/subscriptions', requireAuth(deps), async (c) => {
      const body = await readJson(c, UnsubscribeBody)
      await deps.db.query('DELETE FROM push_subscriptions WHERE endpoint = $1 AND token_hash = $2', [body.endpoint, c.get('auth').tokenHash])
      return c.body(null, 204)
    })
}
