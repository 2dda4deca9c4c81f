/**
 * The coordinator's online commands (provider token; any other role 403):
 * POST   /api/provider/operators/:operatorId/code → 201 { operatorId, code }: the operator's own
 *        activation code (shown once; issuing again replaces the previous one and signs its devices out)
 * DELETE /api/provider/operators/:operatorId/code → { revokedCodes, revokedTokens }
 * An operator of another provider: 404. Adding and editing operators is a mutator (operator.upsert).
 * GET    /api/provider/payments → what the program will pay: delivered → in a statement → approved →
 *        paid, with the expected payment date (shared/provider/payments.schema.ts; docs/provider.md)
 */
import { Hono } from 'hono'
import { Id } from '../../../../shared/ids.ts'
import type { AppDeps } from '../../deps.ts'
import { AppError } from '../../errors.ts'
import { providerPayments } from '../../services/provider/payments.service.ts'
import { issueOperatorCode, revokeOperatorCode } from '../../services/provider/operator-codes.service.ts'
import { issuesOf, requireAuth, requireRole, type AppEnv } from '../http.ts'

const operatorIdOf = (raw: string): string => {
  const id = Id.safeParse(raw)
  if (!id.success) throw new AppError('validation', issuesOf(id.error))
  return id.data
}

export function providerRoutes(deps: Pick<AppDeps, 'db' | 'clock' | 'notifier' | 'tokens' | 'demo'>): Hono<AppEnv> {
  return new Hono<AppEnv>()
    .post('/operators/:operatorId/code', requireAuth(deps), requireRole('provider'), async (c) => {
      const answer = await issueOperatorCode(deps, c.get('auth').actor, operatorIdOf(c.req.param('operatorId')))
      c.get('security')?.({ event: 'office-action', action: 'operator-code-issued', role: 'provider' })
      return c.json(answer, 201)
    })
    .delete('/operators/:operatorId/code', requireAuth(deps), requireRole('provider'), async (c) => {
      const answer = await revokeOperatorCode(deps, c.get('auth').actor, operatorIdOf(c.req.param('operatorId')))
      c.get('security')?.({ event: 'revoked', by: 'provider', codes: answer.revokedCodes, tokens: answer.revokedTokens })
      return c.json(answer)
    })
    .get('/payments', requireAuth(deps), requireRole('provider'), async (c) => c.json(await providerPayments(deps, c.get('auth').actor)))
}
