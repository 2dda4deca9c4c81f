/**
 * POST /api/auth/activate {code, deviceName?} → ActivateResponse (shared/sync/protocol.ts);
 *      wrong codes are limited per address (429 rate-limited + Retry-After)
 * POST /api/auth/logout   (Bearer) → { ok: true }, this device's token is revoked and its poke cookie cleared
 * GET  /api/me            (Bearer) → { role, programId, familyId, providerId, displayName }
 */
import { Hono } from 'hono'
import { deleteCookie } from 'hono/cookie'
import { ActivateRequest } from '../../../../shared/sync/protocol.ts'
import type { AppDeps } from '../../deps.ts'
import { activate, revokeToken } from '../../services/auth/auth.service.ts'
import { AppError } from '../../errors.ts'
import { POKE_COOKIE, POKE_PATH, readJson, requireAuth, type AppEnv } from '../http.ts'
import { tooMany } from '../rate-limit.ts'

export function authRoutes(deps: Pick<AppDeps, 'db' | 'clock' | 'tokens' | 'notifier' | 'demo'>): Hono<AppEnv> {
  return new Hono<AppEnv>()
    .post('/auth/activate', async (c) => {
      const body = await readJson(c, ActivateRequest)
      // Wrong codes are limited per address; right ones never wait (rate-limit.ts).
      const limiter = c.get('limiter')
      const address = limiter?.address(c) ?? null
      const wait = limiter && address ? limiter.check('activationFailures', address) : 0
      if (wait > 0) return tooMany(c, wait, 'activation')
      try {
        return c.json(await activate(deps, body.code, body.deviceName))
      } catch (e) {
        if (limiter && address && e instanceof AppError && e.code === 'unauthorized') limiter.charge('activationFailures', address)
        throw e
      }
    })
    .post('/auth/logout', requireAuth(deps), async (c) => {
      await revokeToken(deps.db, c.get('token'), deps.clock.now())
      c.get('security')?.({ event: 'revoked', by: 'device', codes: 0, tokens: 1 })
      deps.tokens?.forget(c.get('auth').tokenHash) // refused by this process from the very next request
      deleteCookie(c, POKE_COOKIE, { path: POKE_PATH }) // useless once revoked; not left behind either
      return c.json({ ok: true })
    })
    .get('/me', requireAuth(deps), (c) => {
      const { actor, displayName } = c.get('auth')
      return c.json({ ...actor, displayName })
    })
}
