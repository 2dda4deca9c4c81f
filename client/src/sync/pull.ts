/**
 * Pull: ask for what changed since our cookie and apply it in ONE transaction together with
 * (1) the refusals it carries, (2) removing outbox entries the server reports as processed
 * (`lastMutationIds[clientId] >= id`), (3) the new cookie. Mirror rows and outbox therefore move
 * together: a pending booking is replaced by the server's row in the same instant, never both nor neither.
 * Results are acknowledged (`resultsAcked`) only once stored by a pull: the server keeps resending
 * them until then, so a lost response loses nothing.
 */
import {
  isEntityName, pastSessionsHorizon, PROTOCOL_VERSION, PullResponse, schemaFor, stringArg, type Change, type PullRequest, type Role,
} from '../../../shared/index.ts'
import { allTables, mirrorTables, type ConciliappDb } from '../db/db.ts'
import { getMeta, setMeta } from '../db/meta.ts'
import { requestJson, SyncHttpError, type FetchFn } from './http.ts'
import { storeRejections } from './results.ts'

export interface PullOutcome {
  applied: boolean
  changes: number
  invalid: number
  acknowledged: number
}

/**
 * Apply one change; returns false when the value does not match the entity's schema as this role
 * receives it (fields the registry withholds from the role may be absent): skipped.
 */
async function applyChange(db: ConciliappDb, c: Change, role: Role): Promise<boolean> {
  if (!isEntityName(c.entity)) return true // entities this version of the app does not show yet
  const table = db.mirror(c.entity)
  if (c.op === 'del') {
    await table.delete(c.key)
    return true
  }
  const parsed = schemaFor(c.entity, role).safeParse(c.value)
  if (!parsed.success) return false
  // Keep fields this app does not know yet (the contract says "add freely"), validated ones win.
  await table.put({ ...(c.value as object), ...(parsed.data as object) } as never)
  return true
}

/**
 * The server's first-pull rule, kept on the phone (PAST_SESSIONS_KEPT_DAYS, shared): sessions that
 * ended longer ago than that, and that no booking in the mirror and no queued mutation refers to,
 * leave the mirror. A phone in use for a year would otherwise hold every session of the year, read
 * them all at each cold start and keep them in memory (the view holds the whole mirror). One that
 * changes again comes back with the next pull. Runs inside the pull's transaction.
 */
export async function forgetPastSessions(db: ConciliappDb, now: Date): Promise<number> {
  const horizon = Date.parse(pastSessionsHorizon(now))
  // A session that ended before the horizon started before it: the startsAt index narrows the scan
  // (compared as text, so with a day to spare for times written with an offset), Date.parse decides.
  const roughly = new Date(horizon + 86_400_000).toISOString()
  const past = (await db.sessions.where('startsAt').below(roughly).toArray()).filter((s) => Date.parse(s.endsAt) < horizon)
  if (past.length === 0) return 0
  // Only the bookings of those sessions are read (their index), and the queue only if any is left.
  const booked = new Set((await db.bookings.where('sessionId').anyOf(past.map((s) => s.id)).keys()).map(String))
  const unbooked = past.filter((s) => !booked.has(s.id))
  if (unbooked.length === 0) return 0
  const queued = new Set((await db.outbox.toArray()).map((e) => stringArg(e.args, 'sessionId')))
  const gone = unbooked.filter((s) => !queued.has(s.id)).map((s) => s.id)
  await db.sessions.bulkDelete(gone)
  return gone.length
}

export async function pull(db: ConciliappDb, fetchFn: FetchFn, token: string, now: () => Date): Promise<PullOutcome> {
  const [clientGroupId, clientId, cookie, resultsAcked, auth] = await Promise.all([
    getMeta(db, 'clientGroupId'),
    getMeta(db, 'clientId'),
    getMeta(db, 'cookie'),
    getMeta(db, 'resultsAcked'),
    getMeta(db, 'auth'),
  ])
  if (!clientGroupId || !clientId || !auth) return { applied: false, changes: 0, invalid: 0, acknowledged: 0 }
  const body: PullRequest = {
    protocolVersion: PROTOCOL_VERSION,
    clientGroupId,
    cookie: cookie ?? null,
    resultsAcked: resultsAcked ?? {},
  }
  const raw = await requestJson<unknown>(fetchFn, '/api/sync/pull', { token, body })
  const parsed = PullResponse.safeParse(raw)
  if (!parsed.success) throw new SyncHttpError('server', 200, 'bad-response', 'pull response does not match the protocol')
  const res = parsed.data
  // Extension: `reset: true` means a full snapshot (e.g. the server's data was re-seeded): drop the mirror first.
  const reset = cookie == null || (raw as { reset?: unknown }).reset === true

  return db.transaction('rw', allTables(db), async () => {
    // Another tab pulled meanwhile (no Web Locks): our response is older than the mirror; drop it.
    if (((await getMeta(db, 'cookie')) ?? null) !== (cookie ?? null)) {
      return { applied: false, changes: 0, invalid: 0, acknowledged: 0 }
    }
    if (reset) await Promise.all(mirrorTables(db).map((t) => t.clear()))
    let invalid = 0
    for (const c of res.changes) if (!(await applyChange(db, c, auth.role))) invalid += 1

    await storeRejections(db, res.results, now())
    const acked = { ...(resultsAcked ?? {}) }
    for (const r of res.results) acked[r.clientId] = Math.max(acked[r.clientId] ?? 0, r.id)
    await setMeta(db, 'resultsAcked', acked)

    const last = res.lastMutationIds[clientId]
    let acknowledged = 0
    if (last !== undefined) {
      acknowledged = await db.outbox.where('id').belowOrEqual(last).and((e) => e.clientId === clientId).delete()
      await setMeta(db, 'lastMutationId', Math.max(last, (await getMeta(db, 'lastMutationId')) ?? 0))
    }
    await setMeta(db, 'cookie', res.cookie)
    await forgetPastSessions(db, now())
    if (invalid > 0) console.warn(`pull: ${invalid} change(s) did not match the schema and were skipped`)
    return { applied: true, changes: res.changes.length, invalid, acknowledged }
  })
}
