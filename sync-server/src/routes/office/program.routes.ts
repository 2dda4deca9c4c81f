/**
 * The program's configuration and its providers (issue 11; officer token, any other role 403;
 * another program's provider 404). Schemas: shared/office/program.schema.ts; rules:
 * shared/office/program.rules.ts; services: services/office/{program,providers}.service.ts.
 *   GET  /program                  → ProgramConfig
 *   PUT  /program                  → ProgramConfig | 409 invalid-state {reason: 'config-conflicts', conflicts}
 *   POST /programs                 → 201 {id, officerCode}
 *   DELETE /territories/:id        → ProgramConfig | 409 config-conflicts {reason: 'in-use', table, count}…; another program's: 404
 *   DELETE /services/:id           → the same for a service
 *   GET  /providers                → {providers}
 *   POST /providers                → 201 {id, coordinatorCode}
 *   PUT  /providers/:id/services   → ProviderEntry | 409 config-conflicts
 *   POST /providers/:id/suspend    {reason} → {declined, sessionsClosed, provider}; again → 409
 *   POST /providers/:id/reinstate  → ProviderEntry; not suspended → 409
 */
import { Hono, type Context } from 'hono'
import {
  AccreditRequest, CreateProgramRequest, ProviderParams, ProviderServicesRequest, SuspendRequest, UpdateProgramRequest,
  type AccreditAnswer, type CreateProgramAnswer, type ProgramConfig, type ProviderEntry, type ProvidersAnswer, type SuspendAnswer,
} from '../../../../shared/office/program.schema.ts'
import type { AppDeps } from '../../deps.ts'
import { AppError } from '../../errors.ts'
import { createProgram, deleteUnused, programConfig, updateProgram } from '../../services/office/program.service.ts'
import { accreditProvider, listProviders, reinstateProvider, setProviderServices, suspendProvider } from '../../services/office/providers.service.ts'
import { readJson, requireAuth, requireRole, type AppEnv } from '../http.ts'

function providerId(c: Context<AppEnv>): string {
  const p = ProviderParams.safeParse({ id: c.req.param('id') })
  if (!p.success) throw new AppError('not-found', { entity: 'provider' })
  return p.data.id
}

function catalogueId(c: Context<AppEnv>, entity: 'territory' | 'service'): string {
  const p = ProviderParams.safeParse({ id: c.req.param('id') }) // an id like any other
  if (!p.success) throw new AppError('not-found', { entity })
  return p.data.id
}

export function programRoutes(deps: Pick<AppDeps, 'db' | 'clock' | 'notifier' | 'tokens' | 'demo'>): Hono<AppEnv> {
  const officer = [requireAuth(deps), requireRole('officer')] as const
  const logged = (c: Context<AppEnv>, action: string) => c.get('security')?.({ event: 'office-action', action, role: 'officer' })
  return new Hono<AppEnv>()
    .get('/program', ...officer, async (c) => c.json((await programConfig(deps.db, c.get('auth').actor)) satisfies ProgramConfig))
    .put('/program', ...officer, async (c) => {
      const answer = await updateProgram(deps, c.get('auth').actor, await readJson(c, UpdateProgramRequest))
      logged(c, 'program-configured')
      return c.json(answer satisfies ProgramConfig)
    })
    .post('/programs', ...officer, async (c) => {
      const answer = await createProgram(deps, c.get('auth').actor, await readJson(c, CreateProgramRequest))
      logged(c, 'program-created')
      return c.json(answer satisfies CreateProgramAnswer, 201)
    })
    .delete('/territories/:id', ...officer, async (c) => {
      const answer = await deleteUnused(deps, c.get('auth').actor, 'territory', catalogueId(c, 'territory'))
      logged(c, 'territory-deleted')
      return c.json(answer satisfies ProgramConfig)
    })
    .delete('/services/:id', ...officer, async (c) => {
      const answer = await deleteUnused(deps, c.get('auth').actor, 'service', catalogueId(c, 'service'))
      logged(c, 'service-deleted')
      return c.json(answer satisfies ProgramConfig)
    })
    .get('/providers', ...officer, async (c) => c.json((await listProviders(deps.db, c.get('auth').actor)) satisfies ProvidersAnswer))
    .post('/providers', ...officer, async (c) => {
      const answer = await accreditProvider(deps, c.get('auth').actor, await readJson(c, AccreditRequest))
      logged(c, 'provider-accredited')
      return c.json(answer satisfies AccreditAnswer, 201)
    })
    .put('/providers/:id/services', ...officer, async (c) => {
      const id = providerId(c)
      const { services } = await readJson(c, ProviderServicesRequest)
      const answer = await setProviderServices(deps, c.get('auth').actor, id, services)
      logged(c, 'provider-services')
      return c.json(answer satisfies ProviderEntry)
    })
    .post('/providers/:id/suspend', ...officer, async (c) => {
      const id = providerId(c)
      const { reason } = await readJson(c, SuspendRequest)
      const answer = await suspendProvider(deps, c.get('auth').actor, id, reason)
      logged(c, 'provider-suspended')
      return c.json(answer satisfies SuspendAnswer)
    })
    .post('/providers/:id/reinstate', ...officer, async (c) => {
      const answer = await reinstateProvider(deps, c.get('auth').actor, providerId(c))
      logged(c, 'provider-reinstated')
      return c.json(answer satisfies ProviderEntry)
    })
}
