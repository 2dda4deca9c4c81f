/**
 * The family's calendar feed (contract, architecture.md). Thin: `POST /api/calendar/feed` (a parent's
 * token) → `{ url }`, a new secret address (an earlier one stops working); `DELETE /api/calendar/feed`
 * → 204, revoked; `GET /api/calendar/feed/<secret>.ics` (no token: calendar apps cannot send one; the
 * secret is the credential) → `text/calendar`, or 404 for an unknown or revoked secret.
 */
import { Hono } from 'hono'
import type { AppDeps } from '../../deps.ts'
import { AppError } from '../../errors.ts'
import { familyCalendar, familyOfFeed, issueFeed, revokeFeed } from '../../services/calendar/calendar.service.ts'
import { requireAuth, type AppEnv } from '../http.ts'

const SECRET = /^([A-Za-z0-9_-]{24})\.ics$/

export function calendarRoutes(deps: AppDeps): Hono<AppEnv> {
  const familyOf = (actor: { role: string; familyId: string | null }) => {
    if (actor.role !== 'parent' || !actor.familyId) throw new AppError('forbidden')
    return actor.familyId
  }
  return new Hono<AppEnv>()
    .post('/feed', requireAuth(deps), async (c) => {
      const secret = await issueFeed(deps.db, familyOf(c.get('auth').actor))
      return c.json({ url: `${new URL(c.req.url).origin}/api/calendar/feed/${secret}.ics` }, 201)
    })
    .delete('/feed', requireAuth(deps), async (c) => {
      await revokeFeed(deps.db, familyOf(c.get('auth').actor))
      return c.body(null, 204)
    })
    .get('/feed/:file', async (c) => {
      const secret = SECRET.exec(c.req.param('file'))?.[1]
      const familyId = secret ? await familyOfFeed(deps.db, secret) : null
      if (!familyId) throw new AppError('not-found')
      return c.body(await familyCalendar(deps.db, familyId), 200, { 'content-type': 'text/calendar; charset=utf-8' })
    })
}
