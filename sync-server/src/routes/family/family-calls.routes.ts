/**
 * A family's calls (parent token; any other role 403; another program's call 404):
 *   GET  /calls                    → { calls: [...] } open or upcoming, or applied to, each with this family's application and result
 *   POST /calls/:id/applications   { shiftWorker, householdFragility, employer?, iseeCents?, children: [{ childId, disability, dsa }] }
 *                                  → 201 { applicationId, protocol, submittedAt }; outside the window or a second time 409 invalid-state
 * Schemas: shared/office/apply.schema.ts; service: services/office/apply.service.ts.
 */
import { Hono } from 'hono'
import { ApplyRequest, type ApplyAnswer, type FamilyCallsAnswer } from '../../../../shared/office/apply.schema.ts'
import { CallParams } from '../../../../shared/office/calls.schema.ts'
import type { AppDeps } from '../../deps.ts'
import { AppError } from '../../errors.ts'
import { applyInApp, familyCalls } from '../../services/office/apply.service.ts'
import { readJson, requireAuth, requireRole, type AppEnv } from '../http.ts'

export function familyCallsRoutes(deps: Pick<AppDeps, 'db' | 'clock' | 'tokens' | 'demo'>): Hono<AppEnv> {
  const parent = [requireAuth(deps), requireRole('parent')] as const
  return new Hono<AppEnv>()
    .get('/calls', ...parent, async (c) => c.json((await familyCalls(deps, c.get('auth').actor)) satisfies FamilyCallsAnswer))
    .post('/calls/:id/applications', ...parent, async (c) => {
      const id = CallParams.safeParse({ id: c.req.param('id') })
      if (!id.success) throw new AppError('not-found', { entity: 'call' })
      const answer = await applyInApp(deps, c.get('auth').actor, id.data.id, await readJson(c, ApplyRequest))
      return c.json(answer satisfies ApplyAnswer, 201)
    })
}
