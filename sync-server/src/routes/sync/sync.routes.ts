/**
 * POST /api/sync/push, POST /api/sync/pull, GET /api/sync/poke (contract: architecture.md), and
 * POST /api/sync/poke-session, which hands the poke stream its token as a cookie (EventSource cannot
 * send an Authorization header, and a token in the URL ends up in proxy logs).
 * Thin: authenticate, parse with the shared protocol schemas, call the service.
 */
import { Hono } from 'hono'
import { setCookie } from 'hono/cookie'
import { PullRequest, PushRequest } from '../../../../shared/sync/protocol.ts'
import type { AppDeps } from '../../deps.ts'
import { pull } from '../../services/sync/pull.service.ts'
import { createPushQueue } from '../../services/sync/push-queue.ts'
import { compressLarge, jsonAnswer, POKE_COOKIE, POKE_PATH, readJson, requireAuth, type AppEnv } from '../http.ts'
import { issuePokeCredential, pokeKey } from '../../services/auth/poke-credential.ts'
import { pokeHandler } from './poke.handler.ts'
import { markSeen } from '../../services/emergency/seen.ts'
import { notifyApplied } from '../../services/push/web-push.service.ts'
import type { Mutation, MutationResult } from '../../../../shared/sync/protocol.ts'

/** Web Push for the applied emergency mutations of a push (issue 9): after the answer, never holding it up. */
function notifyAfterPush(deps: AppDeps, mutations: readonly Mutation[], results: readonly MutationResult[]) {
  const applied = new Set(results.filter((r) => r.status === 'applied').map((r) => `${r.clientId}:${r.id}`))
  const relevant = mutations.filter((m) => m.name.startsWith('emergency.') && applied.has(`${m.clientId}:${m.id}`))
  if (relevant.length && deps.webPush) {
    void notifyApplied(deps.webPush, relevant).catch((e: unknown) => deps.log?.(`web push failed: ${e instanceof Error ? e.name : 'error'}`))
  }
}

export function syncRoutes(deps: AppDeps): Hono<AppEnv> {
  const pushes = createPushQueue(deps)
  return new Hono<AppEnv>()
    .post('/push', requireAuth(deps), async (c) => {
      const body = await readJson(c, PushRequest, { versioned: true })
      const results = await pushes.push(c.get('auth'), body)
      if (deps.webPush) notifyAfterPush(deps, body.mutations, results)
      return c.json({ results })
    })
    .post('/pull', requireAuth(deps), compressLarge(), async (c) => {
      const body = await readJson(c, PullRequest, { versioned: true })
      const out = await pull(deps.db, c.get('auth'), body, deps.clock.now())
      await markSeen(deps, c.get('auth'), out.changes) // "seen by N cooperatives" (issue 9)
      return jsonAnswer(c, out)
    })
    .get('/poke', requireAuth(deps, { allowStreamToken: true }), pokeHandler(deps))
    // The stream's own credential (poke-credential.ts), never the token; it expires with its cookie.
    // Secure when the request came over https, which the demo on a LAN does not.
    .post('/poke-session', requireAuth(deps), async (c) => {
      const credential = issuePokeCredential(await pokeKey(deps.db), c.get('auth').tokenHash, deps.clock.now())
      setCookie(c, POKE_COOKIE, credential.value, {
        path: POKE_PATH,
        httpOnly: true,
        sameSite: 'Strict',
        maxAge: credential.maxAgeSeconds,
        secure: new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https',
      })
      return c.body(null, 204)
    })
}
