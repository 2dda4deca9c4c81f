/**
 * POST /api/sync/push, POST /api/sync/pull, GET /api/sync/poke (contract: architecture.md).
 * Thin: authenticate, parse with the shared protocol schemas, call the service.
 */
import { Hono } from 'hono'
import { PullRequest, PushRequest } from '../../../../shared/sync/protocol.ts'
import type { AppDeps } from '../../deps.ts'
import { pull } from '../../services/sync/pull.service.ts'
import { createPushQueue } from '../../services/sync/push-queue.ts'
import { readJson, requireAuth, type AppEnv } from '../http.ts'
import { pokeHandler } from './poke.handler.ts'

export function syncRoutes(deps: AppDeps): Hono<AppEnv> {
  const pushes = createPushQueue(deps)
  return new Hono<AppEnv>()
    .post('/push', requireAuth(deps), async (c) => {
      const body = await readJson(c, PushRequest, { versioned: true })
      return c.json({ results: await pushes.push(c.get('auth'), body) })
    })
    .post('/pull', requireAuth(deps), async (c) => {
      const body = await readJson(c, PullRequest, { versioned: true })
      return c.json(await pull(deps.db, c.get('auth'), body))
    })
    .get('/poke', requireAuth(deps, { allowQueryToken: true }), pokeHandler(deps))
}
