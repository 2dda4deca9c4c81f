/**
 * POST /api/auth/activate {code, deviceName?} → ActivateResponse (shared/sync/protocol.ts)
 * POST /api/auth/logout   (Bearer) → { ok: true }, this device's token is revoked
 * GET  /api/me            (Bearer) → { role, programId, familyId, providerId, displayName }
 */
import { Hono } from 'hono'
import { ActivateRequest } from '../../../../shared/sync/protocol.ts'
import type { AppDeps } from '../../deps.ts'
import { activate, revokeToken } from '../../services/auth/auth.service.ts'
import { readJson, requireAuth, type AppEnv } from '../http.ts'

export function authRoutes(deps: Pick<AppDeps, 'db' | 'clock'>): Hono<AppEnv> {
  return new Hono<AppEnv>()
    .post('/auth/activate', async (c) => {
      const body = await readJson(c, ActivateRequest)
      return c.json(await activate(deps, body.code, body.deviceName))
    })
    .post('/auth/logout', requireAuth(deps), async (c) => {
      await revokeToken(deps.db, c.get('token'), deps.clock.now())
      return c.json({ ok: true })
    })
    .get('/me', requireAuth(deps), (c) => {
      const { actor, displayName } = c.get('auth')
      return c.json({ ...actor, displayName })
    })
}
