/**
 * GET /api/office/liquidation?from=YYYY-MM-DD&to=YYYY-MM-DD[&format=csv] (officer token; else 403)
 * → { programId, from, to, providers: [{providerId, name, deliveredCount, amountCents}], totalCents }
 *   or the same as a CSV file for the accounting office.
 * POST /api/office/codes/revoke { code } | { familyId } | { providerId } (officer token; else 403)
 * → { revokedCodes, revokedTokens }: the code(s) and every device token they issued; 404 outside
 *   the officer's program.
 */
import { Hono } from 'hono'
import { z } from 'zod'
import { Id, IsoDate } from '../../../../shared/ids.ts'
import type { AppDeps } from '../../deps.ts'
import { AppError } from '../../errors.ts'
import { revokeCodes } from '../../services/auth/revoke.service.ts'
import { liquidation, liquidationCsv } from '../../services/office/liquidation.service.ts'
import { issuesOf, readJson, requireAuth, requireRole, type AppEnv } from '../http.ts'

const LiquidationQuery = z
  .object({ from: IsoDate, to: IsoDate, format: z.enum(['json', 'csv']).default('json') })
  .refine((q) => q.from <= q.to, { message: 'from must not be after to', path: ['to'] })

const RevokeBody = z.union([
  z.strictObject({ code: z.string().trim().min(3).max(64) }),
  z.strictObject({ familyId: Id }),
  z.strictObject({ providerId: Id }),
])

export function officeRoutes(deps: Pick<AppDeps, 'db' | 'clock' | 'notifier'>): Hono<AppEnv> {
  return new Hono<AppEnv>()
    .post('/codes/revoke', requireAuth(deps), requireRole('officer'), async (c) => {
      const target = await readJson(c, RevokeBody)
      return c.json(await revokeCodes(deps, c.get('auth').actor, target))
    })
    .get('/liquidation', requireAuth(deps), requireRole('officer'), async (c) => {
      const q = LiquidationQuery.safeParse(c.req.query())
      if (!q.success) throw new AppError('validation', issuesOf(q.error))
      const { from, to, format } = q.data
      const report = await liquidation(deps.db, c.get('auth').actor, from, to)
      if (format === 'json') return c.json(report)
      return c.body(liquidationCsv(report), 200, {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="liquidazione_${from}_${to}.csv"`,
      })
    })
}
