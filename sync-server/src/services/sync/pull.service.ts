/**
 * Pull: what changed since the cookie, within the spaces the token sees (spaces.ts), plus the
 * client group's lastMutationIds and the refusals not yet acknowledged.
 *
 * Everything is read inside ONE REPEATABLE READ transaction, i.e. one MVCC snapshot S, and the new
 * cookie is S itself (`pg_current_snapshot()`), see docs/sync.md:
 *  - lastMutationIds, results, row stamps and row values all come from S, so they agree: a mutation
 *    counted in lastMutationIds has its effects in this response or in an earlier one.
 *  - Changed since the cookie C = row_versions stamped by a transaction C did not see
 *    (`xid >= xmin(C) AND NOT pg_visible_in_snapshot(xid, C)`), and the bookings of statements paid
 *    by such a transaction (`statements.paid_xid`, read as their stamps: PAID_STATEMENT_STAMPS). A transaction still running when C
 *    was taken is in C's xip list (or >= its xmax), so whenever it commits, the next pull returns
 *    its rows: nothing committed "out of order" is ever skipped.
 *  - Values are the rows' values in S; a vanished or deleted row is a `del`.
 * Cost: a few small queries plus the rows stamped since xmin(C) in the token's spaces (index on
 * (space, xid)), whatever the size of the database.
 */
import { ENTITY_NAMES, project, receives, type EntityName } from '../../../../shared/entities/registry.ts'
import type { Role } from '../../../../shared/mutators/store.ts'
import { pastSessionsHorizon, type Change, type MutationResult, type PullRequest, type PullResponse } from '../../../../shared/sync/protocol.ts'
import type { Db, Queryable } from '../../db/db.ts'
import type { Auth } from '../auth/principal.ts'
import { decodeCookie, encodeCookie, scopeHash } from './cookie.ts'
import { loadByIds } from './sql.ts'
import { space, spacesOf } from './spaces.ts'

export interface PullOutcome extends PullResponse {
  /** true when the response is a full snapshot: the client must drop its mirror first. */
  reset: boolean
}

interface ResultRow {
  clientId: string
  mutationId: number
  code: MutationResult['code']
  message: string
  details: Record<string, unknown>
}

async function forgetAcked(db: Db, auth: Auth, acked: Record<string, number>): Promise<void> {
  const entries = Object.entries(acked).filter(([, id]) => id > 0)
  if (entries.length === 0) return
  await db.query(
    `DELETE FROM mutation_results r USING unnest($2::text[], $3::bigint[]) AS a(client_id, acked), clients c
     WHERE r.client_id = a.client_id AND r.mutation_id <= a.acked AND c.id = r.client_id AND c.principal = $1`,
    [auth.principal, entries.map(([k]) => k), entries.map(([, v]) => v)],
  )
}

async function clientState(tx: Queryable, auth: Auth, clientGroupId: string) {
  const clients = await tx.query<{ id: string; last: number }>(
    'SELECT id, last_mutation_id AS last FROM clients WHERE client_group_id = $1 AND principal = $2',
    [clientGroupId, auth.principal],
  )
  const rows = await tx.query<ResultRow>(
    `SELECT r.client_id AS "clientId", r.mutation_id AS "mutationId", r.code, r.message, r.details
     FROM mutation_results r JOIN clients c ON c.id = r.client_id
     WHERE c.client_group_id = $1 AND c.principal = $2 ORDER BY r.client_id, r.mutation_id`,
    [clientGroupId, auth.principal],
  )
  const results: MutationResult[] = rows.map((r) => ({
    clientId: r.clientId, id: r.mutationId, status: 'rejected', code: r.code, message: r.message, details: r.details,
  }))
  return { lastMutationIds: Object.fromEntries(clients.map((c) => [c.id, c.last])), results }
}

/** The ids of the spaces of one kind in `scope` (`orders:` → provider ids). */
const inScope = (scope: readonly string[], prefix: string): string[] => scope.filter((s) => s.startsWith(prefix)).map((s) => s.slice(prefix.length))

/**
 * A paid statement's stamps (migration 0025): paying writes `statements.paid_xid` once instead of a
 * row_versions stamp per booking in the family's and the provider's space (bench/README, "Pay under
 * 300 ms"). Read here as exactly those stamps: each booking of a statement paid by a transaction the
 * cookie did not see, in the scope's `orders:` spaces ($4: all the statement's bookings) and `family:`
 * spaces ($5: the family's bookings, found from the family, ~20 index entries, each one probe of
 * statement_rows' UNIQUE booking_id; a subquery, not a join, so that no plan, custom or the generic one
 * of the prepared statement, hashes the statement's 5,000 rows or ANDs the provider's index for each
 * family: ~66 buffers, bench/README). Never `deleted`: a liquidated booking stays in its family's and
 * provider's spaces. `cardinality($5) > 0`: with no family in scope the branch is not run at all.
 * A booking also stamped in row_versions comes twice; the caller merges keys. No statement paid since
 * the cookie (nearly every pull): one probe of the partial index statements_paid_xid.
 */
const PAID_STATEMENT_STAMPS = `SELECT 'booking', x.id, false FROM statements s CROSS JOIN LATERAL (
    SELECT r.booking_id AS id FROM statement_rows r
    WHERE r.statement_id = s.id AND r.booking_id IS NOT NULL AND s.provider_id = ANY($4::text[])
    UNION ALL
    SELECT b.id FROM bookings b
    WHERE cardinality($5::text[]) > 0 AND b.family_id = ANY($5::text[])
      AND (SELECT r.statement_id FROM statement_rows r WHERE r.booking_id = b.id) = s.id) x
  WHERE 'booking' = ANY($3::text[]) AND s.paid_xid >= pg_snapshot_xmin($2::pg_snapshot) AND NOT pg_visible_in_snapshot(s.paid_xid, $2::pg_snapshot)`

/**
 * The rows of `scope` stamped by a transaction `since` did not see (all of them when `since` is null),
 * each as `role` receives it (the registry's projection: no field a role does not need).
 */
async function changesSince(tx: Queryable, scope: readonly string[], since: string | null, now: Date, role: Role): Promise<Change[]> {
  // Only the entities this role receives (the office reads no message): filtered by the database.
  const entities = ENTITY_NAMES.filter((e) => receives(e, role))
  const touched = since === null
    ? await tx.query<{ entity: EntityName; key: string; deleted: boolean }>(
      'SELECT entity, key, deleted FROM row_versions WHERE space = ANY($1::text[]) AND entity = ANY($2::text[])', [scope, entities])
    : await tx.query<{ entity: EntityName; key: string; deleted: boolean }>(
      `SELECT entity, key, deleted FROM row_versions
       WHERE space = ANY($1::text[]) AND entity = ANY($3::text[])
         AND xid >= pg_snapshot_xmin($2::pg_snapshot) AND NOT pg_visible_in_snapshot(xid, $2::pg_snapshot)
       UNION ALL
       ${PAID_STATEMENT_STAMPS}`,
      [scope, since, entities, inScope(scope, space.orders('')), inScope(scope, space.family(''))])
  // A key is visible if any in-scope space still holds it undeleted.
  const byEntity = new Map<EntityName, Map<string, boolean>>()
  for (const t of touched) {
    const keys = byEntity.get(t.entity) ?? new Map<string, boolean>()
    keys.set(t.key, (keys.get(t.key) ?? false) || !t.deleted)
    byEntity.set(t.entity, keys)
  }
  const changes = new Map<EntityName, Change[]>()
  const bookedSessions = new Set<string>()
  // A first pull leaves out sessions long past that no booking in it refers to (PAST_SESSIONS_KEPT_DAYS:
  // the catalogue offers sessions to come; a booking's page shows its own session, which is kept).
  const horizon = pastSessionsHorizon(now)
  // Bookings before sessions, so the sessions they refer to are known.
  for (const entity of ['booking' as const, ...ENTITY_NAMES.filter((e) => e !== 'booking')]) {
    const keys = byEntity.get(entity)
    if (!keys) continue
    const live = [...keys].filter(([, visible]) => visible).map(([k]) => k)
    const values = new Map(live.length > 0 ? (await loadByIds(tx, entity, live)).map((v) => [v.id, v]) : [])
    const out: Change[] = []
    for (const key of [...keys.keys()].sort()) {
      const value = keys.get(key) ? values.get(key) : undefined
      if (entity === 'booking' && value) bookedSessions.add((value as { sessionId: string }).sessionId)
      const longPast = entity === 'session' && value && !bookedSessions.has(key) && (value as { endsAt: string }).endsAt < horizon
      if (since === null && longPast) continue
      out.push(value ? { entity, key, op: 'put', value: project(entity, value, role) } : { entity, key, op: 'del' })
    }
    changes.set(entity, out)
  }
  return ENTITY_NAMES.flatMap((entity) => changes.get(entity) ?? [])
}

export async function pull(db: Db, auth: Auth, req: PullRequest, now: Date): Promise<PullOutcome> {
  await forgetAcked(db, auth, req.resultsAcked ?? {})
  return db.transaction(async (tx) => {
    // The first statement fixes the transaction's snapshot S; every read below sees S.
    const [head] = await tx.query<{ snapshot: string; epoch: string | null }>(
      "SELECT pg_current_snapshot()::text AS snapshot, (SELECT value FROM meta WHERE key = 'epoch') AS epoch")
    const snapshot = head?.snapshot ?? ''
    const epoch = head?.epoch ?? ''
    const { lastMutationIds, results } = await clientState(tx, auth, req.clientGroupId)
    const scope = await spacesOf(tx, auth.actor)
    const h = scopeHash(scope)
    const since = decodeCookie(req.cookie, epoch, h)
    const changes = await changesSince(tx, scope, since, now, auth.actor.role)
    return { cookie: encodeCookie({ e: epoch, s: snapshot, h }), lastMutationIds, changes, results, reset: since === null }
  }, { snapshot: true })
}
