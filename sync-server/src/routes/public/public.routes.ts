/**
 * What anyone may read, without a token (issue 11):
 *   GET /api/public/calls/:id/ranking → the published ranking (shared/office/public-ranking.schema.ts):
 *   protocol numbers, scores, ranks, funded; never names, ISEE or health data. 404 for an unknown call.
 */
import { Hono } from 'hono'
import { CallParams } from '../../../../shared/office/calls.schema.ts'
import type { PublicRankingAnswer } from '../../../../shared/office/public-ranking.schema.ts'
import type { AppDeps } from '../../deps.ts'
import { AppError } from '../../errors.ts'
import { publicRanking } from '../../services/office/public-ranking.service.ts'
import type { AppEnv } from '../http.ts'

export function publicRoutes(deps: Pick<AppDeps, 'db'>): Hono<AppEnv> {
  return new Hono<AppEnv>()
    .get('/calls/:id/ranking', async (c) => {
      const p = CallParams.safeParse({ id: c.req.param('id') })
      if (!p.success) throw new AppError('not-found', { entity: 'call' })
      return c.json((await publicRanking(deps.db, p.data.id)) satisfies PublicRankingAnswer)
    })
}
