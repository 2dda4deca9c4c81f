/**
 * Reimbursement statements (officer token; any other role 403; another program's statement 404):
 * POST /statements {providerId, from, to} → 201 draft with rows and totalCents
 * GET  /statements[?providerId=&status=] → { statements } · GET /statements/:id → the statement with rows
 * POST /statements/:id/approve → approved (by another officer; the preparer: 403 same-officer)
 * POST /statements/:id/pay {paidAt, reference} → paid; its bookings become liquidated
 * GET  /statements/:id/export?format=xlsx|csv → the spreadsheet for the accounting office (Italian)
 * Schemas: shared/office/statements.schema.ts; service: services/office/statements.service.ts.
 */
import { Hono } from 'hono'
import type { z } from 'zod'
import {
  CreateStatementRequest, PayStatementRequest, StatementExportQuery, StatementListQuery, StatementParams, type Statement, type StatementList,
} from '../../../../shared/office/statements.schema.ts'
import type { AppDeps } from '../../deps.ts'
import { AppError } from '../../errors.ts'
import { approveStatement, createStatement, exportStatement, getStatement, listStatements, payStatement } from '../../services/office/statements.service.ts'
import { issuesOf, readJson, requireAuth, requireRole, type AppEnv } from '../http.ts'

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

const parse = <S extends z.ZodType>(schema: S, value: unknown): z.infer<S> => {
  const r = schema.safeParse(value)
  if (!r.success) throw new AppError('validation', issuesOf(r.error))
  return r.data
}

export function statementsRoutes(deps: Pick<AppDeps, 'db' | 'clock' | 'notifier' | 'tokens' | 'demo'>): Hono<AppEnv> {
  const auth = [requireAuth(deps), requireRole('officer')] as const
  return new Hono<AppEnv>()
    .post('/statements', ...auth, async (c) => {
      const req = await readJson(c, CreateStatementRequest)
      return c.json((await createStatement(deps, c.get('auth').actor, req)) satisfies Statement, 201)
    })
    .get('/statements', ...auth, async (c) => {
      const q = parse(StatementListQuery, c.req.query())
      return c.json((await listStatements(deps.db, c.get('auth').actor, q)) satisfies StatementList)
    })
    .get('/statements/:id', ...auth, async (c) => {
      const { id } = parse(StatementParams, { id: c.req.param('id') })
      return c.json((await getStatement(deps.db, c.get('auth').actor, id)) satisfies Statement)
    })
    .get('/statements/:id/export', ...auth, async (c) => {
      const { id } = parse(StatementParams, { id: c.req.param('id') })
      const { format } = parse(StatementExportQuery, c.req.query())
      const file = await exportStatement(deps.db, c.get('auth').actor, id, format)
      const disposition = `attachment; filename="${file.name}"`
      if (typeof file.body === 'string') return c.body(file.body, 200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': disposition })
      return c.body(new Uint8Array(file.body), 200, { 'Content-Type': XLSX_TYPE, 'Content-Disposition': disposition })
    })
    .post('/statements/:id/approve', ...auth, async (c) => {
      const { id } = parse(StatementParams, { id: c.req.param('id') })
      return c.json((await approveStatement(deps, c.get('auth').actor, id)) satisfies Statement)
    })
    .post('/statements/:id/pay', ...auth, async (c) => {
      const { id } = parse(StatementParams, { id: c.req.param('id') })
      const req = await readJson(c, PayStatementRequest)
      return c.json((await payStatement(deps, c.get('auth').actor, id, req)) satisfies Statement)
    })
}
