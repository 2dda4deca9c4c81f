/**
 * Employers funding the vouchers (issue 11; officer token, other roles 403; another program's
 * employer 404; a program not funded by employers 409). Schemas: shared/office/employers.schema.ts.
 *   GET  /employers                → EmployersAnswer
 *   POST /employers                {name, budgetCents} → 201 EmployerEntry
 *   POST /employers/:id/employees  {employees: [...]} or text/csv → ImportEmployeesAnswer
 *   PUT  /employers/:id            {budgetCents} → EmployerEntry | 409 config-conflicts (below what its vouchers took)
 */
import { Hono, type Context } from 'hono'
import {
  CreateEmployerRequest, EmployerParams, ImportEmployeesRequest, UpdateEmployerRequest, type EmployerEntry, type EmployersAnswer, type ImportEmployeesAnswer,
} from '../../../../shared/office/employers.schema.ts'
import type { AppDeps } from '../../deps.ts'
import { AppError } from '../../errors.ts'
import { createEmployer, importEmployees, listEmployers, parseEmployeesCsv, updateEmployer } from '../../services/office/employers.service.ts'
import { bodyText, readJson, requireAuth, requireRole, type AppEnv } from '../http.ts'

function employerId(c: Context<AppEnv>): string {
  const p = EmployerParams.safeParse({ id: c.req.param('id') })
  if (!p.success) throw new AppError('not-found', { entity: 'employer' })
  return p.data.id
}

export function employersRoutes(deps: Pick<AppDeps, 'db' | 'clock' | 'notifier' | 'tokens' | 'demo'>): Hono<AppEnv> {
  const officer = [requireAuth(deps), requireRole('officer')] as const
  const logged = (c: Context<AppEnv>, action: string) => c.get('security')?.({ event: 'office-action', action, role: 'officer' })
  return new Hono<AppEnv>()
    .get('/employers', ...officer, async (c) => c.json((await listEmployers(deps.db, c.get('auth').actor)) satisfies EmployersAnswer))
    .post('/employers', ...officer, async (c) => {
      const answer = await createEmployer(deps, c.get('auth').actor, await readJson(c, CreateEmployerRequest))
      logged(c, 'employer-created')
      return c.json(answer satisfies EmployerEntry, 201)
    })
    .put('/employers/:id', ...officer, async (c) => {
      const id = employerId(c)
      const answer = await updateEmployer(deps, c.get('auth').actor, id, await readJson(c, UpdateEmployerRequest))
      logged(c, 'employer-budget')
      return c.json(answer satisfies EmployerEntry)
    })
    .post('/employers/:id/employees', ...officer, async (c) => {
      const id = employerId(c)
      const csv = /^text\/csv\b/i.test(c.req.header('content-type') ?? '')
      const rows = csv ? parseEmployeesCsv(await bodyText(c)) : (await readJson(c, ImportEmployeesRequest)).employees.map((value, i) => ({ row: i + 1, value }))
      const answer = await importEmployees(deps, c.get('auth').actor, id, rows)
      logged(c, csv ? 'employees-imported-csv' : 'employees-imported')
      return c.json(answer satisfies ImportEmployeesAnswer)
    })
}
