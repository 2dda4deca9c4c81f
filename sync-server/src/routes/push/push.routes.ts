/**
 * Web Push subscriptions (issue 9). Thin: `GET /api/push/key` → `{ publicKey }` (404 when Web Push is
 * off: no VAPID keys configured outside demo mode); `POST /api/push/subscriptions` (any signed-in
 * device; a parent's, a coordinator's and an operator's are used) `{ endpoint, keys: { p256dh, auth } }` → 201;
 * `DELETE /api/push/subscriptions` `{ endpoint }` → 204. An endpoint is bound to the token's principal and its
 * family or provider (an operator's: its cooperative; which operator is its principal, `operator:<id>`);
 * registering it again moves it. Only https endpoints (push services are; web-push speaks
 * nothing else).
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
      const { actor, principal } = c.get('auth')
      await deps.db.query(
        `INSERT INTO push_subscriptions (endpoint, principal, role, program_id, family_id, provider_id, p256dh, auth)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (endpoint) DO UPDATE SET principal = EXCLUDED.principal, role = EXCLUDED.role, program_id = EXCLUDED.program_id,
           family_id = EXCLUDED.family_id, provider_id = EXCLUDED.provider_id, p256dh = EXCLUDED.p256dh, auth = EXCLUDED.auth`,
        [body.endpoint, principal, actor.role, actor.programId, actor.role === 'parent' ? actor.familyId : null,
          actor.role === 'provider' || actor.role === 'operator' ? actor.providerId : null, body.keys.p256dh, body.keys.auth],
      )
      return c.body(null, 201)
    })
    .delete('/subscriptions', requireAuth(deps), async (c) => {
      const body = await readJson(c, UnsubscribeBody)
      await deps.db.query('DELETE FROM push_subscriptions WHERE endpoint = $1 AND principal = $2', [body.endpoint, c.get('auth').principal])
      return c.body(null, 204)
    })
}
