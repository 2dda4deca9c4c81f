/** GET /api/health → 200 { ok: true } when the database answers, 503 otherwise. */
import { Hono } from 'hono'
import type { AppDeps } from '../../deps.ts'
import type { AppEnv } from '../http.ts'

export function healthRoutes(deps: Pick<AppDeps, 'db'>): Hono<AppEnv> {
  return new Hono<AppEnv>().get('/health', async (c) => {
    await deps.db.query('SELECT 1')
    return c.json({ ok: true })
  })
}
