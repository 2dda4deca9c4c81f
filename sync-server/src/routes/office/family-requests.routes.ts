/**
 * What families ask of the office (officer token; any other role 403; another program's 404), issue 10:
 *   GET  /birth-date-requests              → { requests } pending first
 *   POST /birth-date-requests/:id/approve  → { id, status: 'approved', decidedAt }: the child's birth date changes
 *   POST /birth-date-requests/:id/reject   { reason } → { id, status: 'rejected', decidedAt }
 *   GET  /erasure-requests                 → { requests } pending first (erase: POST /families/:id/erase)
 * A request already decided: 409 invalid-state {reason: 'already-decided'}. Schemas:
 * shared/office/family-requests.schema.ts; service: services/office/family-requests.service.ts.
 */
import { Hono } from 'hono'
import {
  BirthDateRejectBody, RequestParams, type BirthDateDecisionAnswer, type BirthDateRequestsAnswer, type ErasureRequestsAnswer,
} from '../../../../shared/office/family-requests.schema.ts'
import type { AppDeps } from '../../deps.ts'
import { AppError } from '../../errors.ts'
import { decideBirthDateRequest, listBirthDateRequests, listErasureRequests } from '../../services/office/family-requests.service.ts'
import { readJson, requireAuth, requireRole, type AppEnv } from '../http.ts'

const idOf = (raw: string) => {
  const p = RequestParams.safeParse({ id: raw })
  if (!p.success) throw new AppError('not-found', { entity: 'request' })
  return p.data.id
}

export function familyRequestsRoutes(deps: Pick<AppDeps, 'db' | 'clock' | 'notifier' | 'tokens' | 'demo'>): Hono<AppEnv> {
  const auth = [requireAuth(deps), requireRole('officer')] as const
  return new Hono<AppEnv>()
    .get('/birth-date-requests', ...auth, async (c) => c.json((await listBirthDateRequests(deps, c.get('auth').actor)) satisfies BirthDateRequestsAnswer))
    .post('/birth-date-requests/:id/approve', ...auth, async (c) => {
      const answer = await decideBirthDateRequest(deps, c.get('auth').actor, idOf(c.req.param('id')), { approve: true })
      return c.json(answer satisfies BirthDateDecisionAnswer)
    })
    .post('/birth-date-requests/:id/reject', ...auth, async (c) => {
      const id = idOf(c.req.param('id'))
      const { reason } = await readJson(c, BirthDateRejectBody)
      return c.json((await decideBirthDateRequest(deps, c.get('auth').actor, id, { approve: false, reason })) satisfies BirthDateDecisionAnswer)
    })
    .get('/erasure-requests', ...auth, async (c) => c.json((await listErasureRequests(deps, c.get('auth').actor)) satisfies ErasureRequestsAnswer))
}
