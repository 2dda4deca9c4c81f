/**
 * Calls, applications, assignment and ranking (architecture.md, "Office API"; officer token, any
 * other role 403; another program's call 404):
 *   GET  /calls                      → { calls: [...] }
 *   POST /calls                      { name, budgetCents, voucherCents, opensAt, closesAt, policy, points } → 201 { id }
 *   POST /calls/:id/applications     { applications: [...] } or text/csv (one row per child) → { imported, errors }
 *   POST /calls/:id/assign           → { funded, notFunded, assignedCents, budgetCents }; again → 409
 *   GET  /calls/:id/ranking          → { budgetCents, assignedCents, entries: [...] }
 * Schemas: shared/office/calls.schema.ts; services: services/office/{calls,applications,assign}.service.ts.
 */
import { Hono, type Context } from 'hono'
import {
  CallParams, CreateCallRequest, ImportRequest,
  type AssignAnswer, type CallsAnswer, type CreateCallAnswer, type ImportAnswer, type RankingAnswer,
} from '../../../../shared/office/calls.schema.ts'
import type { AppDeps } from '../../deps.ts'
import { AppError } from '../../errors.ts'
import { parseApplicationsCsv, parseApplicationsJson } from '../../services/office/applications.csv.ts'
import { importApplications } from '../../services/office/applications.service.ts'
import { assignCall } from '../../services/office/assign.service.ts'
import { createCall, listCalls, ranking } from '../../services/office/calls.service.ts'
import { bodyText, readJson, requireAuth, requireRole, type AppEnv } from '../http.ts'

function callId(c: Context<AppEnv>): string {
  const p = CallParams.safeParse({ id: c.req.param('id') })
  if (!p.success) throw new AppError('not-found', { entity: 'call' })
  return p.data.id
}

export function callsRoutes(deps: Pick<AppDeps, 'db' | 'clock' | 'notifier' | 'tokens' | 'demo'>): Hono<AppEnv> {
  const officer = [requireAuth(deps), requireRole('officer')] as const
  const logged = (c: Context<AppEnv>, action: string) => c.get('security')?.({ event: 'office-action', action, role: 'officer' })
  return new Hono<AppEnv>()
    .get('/calls', ...officer, async (c) => c.json((await listCalls(deps.db, c.get('auth').actor)) satisfies CallsAnswer))
    .post('/calls', ...officer, async (c) => {
      const answer = await createCall(deps, c.get('auth').actor, await readJson(c, CreateCallRequest))
      logged(c, 'call-created')
      return c.json(answer satisfies CreateCallAnswer, 201)
    })
    .post('/calls/:id/applications', ...officer, async (c) => {
      const id = callId(c)
      const csv = /^text\/csv\b/i.test(c.req.header('content-type') ?? '')
      let parsed
      if (csv) parsed = parseApplicationsCsv(await bodyText(c))
      else parsed = parseApplicationsJson((await readJson(c, ImportRequest)).applications)
      const answer = await importApplications(deps, c.get('auth').actor, id, parsed)
      logged(c, csv ? 'applications-imported-csv' : 'applications-imported')
      return c.json(answer satisfies ImportAnswer)
    })
    .post('/calls/:id/assign', ...officer, async (c) => {
      const answer = await assignCall(deps, c.get('auth').actor, callId(c))
      logged(c, 'call-assigned')
      return c.json(answer satisfies AssignAnswer)
    })
    .get('/calls/:id/ranking', ...officer, async (c) => c.json((await ranking(deps.db, c.get('auth').actor, callId(c))) satisfies RankingAnswer))
}
