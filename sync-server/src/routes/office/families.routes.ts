/**
 * A family's data for the office (officer token; else 403; another program's family 404):
 * GET  /families/:id/export → { exportedAt, family, children, vouchers, ledger, bookings, messages, devices }
 * POST /families/:id/erase  → { familyId, erasedAt, children, bookings, messagesDeleted, tokensRevoked, … }
 * POST /families/:id/reissue-code → { familyId, codeId, code, codesRevoked, tokensRevoked, applications }
 * (services/office/family-data.service.ts says what is kept and how it is pseudonymised).
 */
import { Hono } from 'hono'
import { FamilyParams, type EraseAnswer, type FamilyExport, type ReissueCodeAnswer } from '../../../../shared/office/families.schema.ts'
import type { AppDeps } from '../../deps.ts'
import { AppError } from '../../errors.ts'
import { eraseFamily, exportFamily, reissueCode } from '../../services/office/family-data.service.ts'
import { issuesOf, requireAuth, requireRole, type AppEnv } from '../http.ts'

const idOf = (raw: string) => {
  const p = FamilyParams.safeParse({ id: raw })
  if (!p.success) throw new AppError('validation', issuesOf(p.error))
  return p.data.id
}

export function familiesRoutes(deps: Pick<AppDeps, 'db' | 'clock' | 'notifier' | 'tokens' | 'demo'>): Hono<AppEnv> {
  const auth = [requireAuth(deps), requireRole('officer')] as const
  return new Hono<AppEnv>()
    .get('/families/:id/export', ...auth, async (c) => {
      const id = idOf(c.req.param('id'))
      const answer = await exportFamily(deps, c.get('auth').actor, id)
      c.header('Content-Disposition', `attachment; filename="famiglia_${id}.json"`)
      return c.json(answer satisfies FamilyExport)
    })
    .post('/families/:id/erase', ...auth, async (c) => {
      const id = idOf(c.req.param('id'))
      return c.json((await eraseFamily(deps, c.get('auth').actor, id)) satisfies EraseAnswer)
    })
    .post('/families/:id/reissue-code', ...auth, async (c) => {
      const id = idOf(c.req.param('id'))
      const answer = await reissueCode(deps, c.get('auth').actor, id)
      c.get('security')?.({ event: 'office-action', action: 'code-reissued', role: 'officer' })
      return c.json(answer satisfies ReissueCodeAnswer)
    })
}
