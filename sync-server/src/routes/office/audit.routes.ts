/**
 * GET /api/office/audit[?entity=&entityId=][&personId=][&before=&limit=] (officer token; else 403)
 * → { entries: [{ id, at, personId, role, action, entity, entityId, details }], before }: the program's
 * audit log, newest first (services/audit/audit-log.ts).
 */
import { Hono } from 'hono'
import { AuditQuery, type AuditAnswer } from '../../../../shared/office/audit.schema.ts'
import type { AppDeps } from '../../deps.ts'
import { AppError } from '../../errors.ts'
import { readAudit } from '../../services/audit/audit-log.ts'
import { issuesOf, requireAuth, requireRole, type AppEnv } from '../http.ts'

export function auditRoutes(deps: Pick<AppDeps, 'db' | 'clock' | 'tokens' | 'demo'>): Hono<AppEnv> {
  return new Hono<AppEnv>().get('/audit', requireAuth(deps), requireRole('officer'), async (c) => {
    const q = AuditQuery.safeParse(c.req.query())
    if (!q.success) throw new AppError('validation', issuesOf(q.error))
    return c.json((await readAudit(deps.db, c.get('auth').actor, q.data)) satisfies AuditAnswer)
  })
}
