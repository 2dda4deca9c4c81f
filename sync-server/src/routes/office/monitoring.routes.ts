/**
 * GET /api/office/monitoring?from=&to=[&territoryId=][&format=csv] (officer token; else 403)
 * → the program's indicators (shared/office/monitoring.schema.ts), or the Italian CSV of them.
 */
import { Hono } from 'hono'
import { MonitoringQuery, type MonitoringAnswer } from '../../../../shared/office/monitoring.schema.ts'
import type { AppDeps } from '../../deps.ts'
import { AppError } from '../../errors.ts'
import { monitoring, monitoringCsv } from '../../services/office/monitoring.service.ts'
import { issuesOf, requireAuth, requireRole, type AppEnv } from '../http.ts'

export function monitoringRoutes(deps: Pick<AppDeps, 'db' | 'clock' | 'tokens' | 'demo'>): Hono<AppEnv> {
  return new Hono<AppEnv>().get('/monitoring', requireAuth(deps), requireRole('officer'), async (c) => {
    const q = MonitoringQuery.safeParse(c.req.query())
    if (!q.success) throw new AppError('validation', issuesOf(q.error))
    const { from, to, territoryId, format } = q.data
    const answer = await monitoring(deps.db, c.get('auth').actor, from, to, territoryId)
    if (format === 'json') return c.json(answer satisfies MonitoringAnswer)
    return c.body(monitoringCsv(answer), 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="monitoraggio_${from}_${to}.csv"`,
    })
  })
}
