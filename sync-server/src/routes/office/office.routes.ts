/**
 * GET /api/office/liquidation?from=YYYY-MM-DD&to=YYYY-MM-DD[&format=csv] (officer token; else 403)
 * → { programId, from, to, providers: [{providerId, name, deliveredCount, amountCents}], totalCents }
 *   or the same as a CSV file for the accounting office.
 * POST /api/office/codes/revoke { code } | { familyId } | { providerId } (officer token; else 403)
 * → { revokedCodes, revokedTokens }: the code(s) and every device token they issued; 404 outside
 *   the officer's program.
 * Request and answer schemas: shared/office/office.schema.ts (docs/office-commands.md).
 */
import { Hono } from 'hono'
import { LiquidationQuery, RevokeRequest, type LiquidationReport, type RevokeAnswer } from '../../../../shared/office/office.schema.ts'
import type { AppDeps } from '../../deps.ts'
import { AppError } from '../../errors.ts'
import { revokeCodes } from '../../services/auth/revoke.service.ts'
import { liquidation, liquidationCsv } from '../../services/office/liquidation.service.ts'
import { issuesOf, readJson, requireAuth, requireRole, type AppEnv } from '../http.ts'
import { auditRoutes } from './audit.routes.ts'
import { callsRoutes } from './calls.routes.ts'
import { employersRoutes } from './employers.routes.ts'
import { familiesRoutes } from './families.routes.ts'
import { familyRequestsRoutes } from './family-requests.routes.ts'
import { monitoringRoutes } from './monitoring.routes.ts'
import { programRoutes } from './program.routes.ts'
import { statementsRoutes } from './statements.routes.ts'

export function officeRoutes(deps: Pick<AppDeps, 'db' | 'clock' | 'notifier' | 'tokens' | 'demo'>): Hono<AppEnv> {
  return new Hono<AppEnv>()
    .route('/', callsRoutes(deps))
    .route('/', statementsRoutes(deps))
    .route('/', auditRoutes(deps))
    .route('/', monitoringRoutes(deps))
    .route('/', familiesRoutes(deps))
    .route('/', programRoutes(deps))
    .route('/', familyRequestsRoutes(deps))
    .route('/', employersRoutes(deps))
    .post('/codes/revoke', requireAuth(deps), requireRole('officer'), async (c) => {
      const target = await readJson(c, RevokeRequest)
      const answer = await revokeCodes(deps, c.get('auth').actor, target)
      c.get('security')?.({ event: 'revoked', by: 'officer', codes: answer.revokedCodes, tokens: answer.revokedTokens })
      return c.json(answer satisfies RevokeAnswer)
    })
    .get('/liquidation', requireAuth(deps), requireRole('officer'), async (c) => {
      const q = LiquidationQuery.safeParse(c.req.query())
      if (!q.success) throw new AppError('validation', issuesOf(q.error))
      const { from, to, format } = q.data
      const report = await liquidation(deps.db, c.get('auth').actor, from, to)
      c.get('security')?.({ event: 'office-action', action: `liquidation-report-${format}`, role: 'officer' })
      if (format === 'json') return c.json(report satisfies LiquidationReport)
      return c.body(liquidationCsv(report), 200, {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="liquidazione_${from}_${to}.csv"`,
      })
    })
}
