/**
 * The family's own data (parent token; any other role 403), issue 10:
 *   GET    /export[?format=html]   → everything the platform holds about the family (FamilyExport), or a
 *                                    readable HTML page of the same (a file to keep or print)
 *   GET    /devices                → { devices: [{ id, name, createdAt, current, revokedAt }] } signed in now
 *   DELETE /devices/:id            → { revoked: true }: that device is signed out at once (its next call
 *                                    answers 401 {reason: 'revoked'} and the phone wipes the family's data)
 *   POST   /erasure-request        → 201 { request } (200 with the pending one when asked again)
 *   GET    /erasure-request        → { request | null }: the latest, and whether the office handled it
 * Schemas: shared/office/family-requests.schema.ts.
 */
import { Hono } from 'hono'
import type { FamilyExport } from '../../../../shared/office/families.schema.ts'
import { RequestParams, type DevicesAnswer, type ErasureRequestAnswer } from '../../../../shared/office/family-requests.schema.ts'
import type { AppDeps } from '../../deps.ts'
import { AppError } from '../../errors.ts'
import { afterRevoke, revokeWhere } from '../../services/auth/revoke.service.ts'
import { exportFamily } from '../../services/office/family-data.service.ts'
import { exportHtml } from '../../services/office/family-export.html.ts'
import { erasureOfFamily, requestErasure } from '../../services/office/family-requests.service.ts'
import { requireAuth, requireRole, type AppEnv } from '../http.ts'

export function familyDataRoutes(deps: Pick<AppDeps, 'db' | 'clock' | 'notifier' | 'tokens' | 'demo'>): Hono<AppEnv> {
  const parent = [requireAuth(deps), requireRole('parent')] as const
  return new Hono<AppEnv>()
    .get('/export', ...parent, async (c) => {
      const actor = c.get('auth').actor
      const format = c.req.query('format') ?? 'json'
      if (format !== 'json' && format !== 'html') throw new AppError('validation', { format: 'json or html' })
      const data = await exportFamily(deps, actor, actor.familyId!)
      const day = data.exportedAt.slice(0, 10)
      c.header('Cache-Control', 'no-store')
      if (format === 'html') {
        const lang = c.req.query('lang') === 'en' ? 'en' : 'it'
        return c.body(exportHtml(data, lang), 200, {
          'Content-Type': 'text/html; charset=utf-8',
          'Content-Disposition': `attachment; filename="i-miei-dati_${day}.html"`,
        })
      }
      c.header('Content-Disposition', `attachment; filename="i-miei-dati_${day}.json"`)
      return c.json(data satisfies FamilyExport)
    })
    .get('/devices', ...parent, async (c) => {
      const { actor, tokenHash } = c.get('auth')
      const devices = await deps.db.query<DevicesAnswer['devices'][number]>(
        `SELECT t.device_id AS id, t.device_name AS name, t.created_at AS "createdAt", t.token_hash = $2 AS current, t.revoked_at AS "revokedAt"
         FROM tokens t JOIN activation_codes c ON c.id = t.code_id
         WHERE c.family_id = $1 AND c.role = 'parent' AND t.revoked_at IS NULL AND c.revoked_at IS NULL AND t.expires_at > $3
         ORDER BY t.created_at DESC, t.device_id`,
        [actor.familyId, tokenHash, deps.clock.now().toISOString()],
      )
      c.header('Cache-Control', 'no-store')
      return c.json({ devices } satisfies DevicesAnswer)
    })
    .delete('/devices/:id', ...parent, async (c) => {
      const p = RequestParams.safeParse({ id: c.req.param('id') })
      if (!p.success) throw new AppError('not-found', { entity: 'device' })
      const { actor } = c.get('auth')
      const now = deps.clock.now().toISOString()
      const revoked = await deps.db.transaction((tx) => revokeWhere(tx, now, "family_id = $1 AND role = 'parent'", [actor.familyId], p.data.id))
      if (revoked.revokedTokens === 0) throw new AppError('not-found', { entity: 'device' })
      c.get('security')?.({ event: 'revoked', by: 'family', codes: 0, tokens: revoked.revokedTokens })
      // The family's open poke streams re-check their tokens: the revoked device's closes at once.
      await afterRevoke(deps, revoked.principals)
      return c.json({ revoked: true })
    })
    .post('/erasure-request', ...parent, async (c) => {
      const { created, ...answer } = await requestErasure(deps, c.get('auth').actor)
      return c.json(answer satisfies ErasureRequestAnswer, created ? 201 : 200)
    })
    .get('/erasure-request', ...parent, async (c) => c.json((await erasureOfFamily(deps, c.get('auth').actor)) satisfies ErasureRequestAnswer))
}
