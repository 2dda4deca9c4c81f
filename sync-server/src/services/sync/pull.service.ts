/**
 * Pull: what changed since the cookie, within the spaces the token sees (spaces.ts), plus the
 * client group's lastMutationIds and the refusals not yet acknowledged.
 *
 * Order matters (docs/sync.md):
 *  1. lastMutationIds and results are read FIRST. Every mutation counted there has committed, so
 *     its space versions are already visible when step 2 reads them: the phone never drops a
 *     pending mutation whose effects this response lacks.
 *  2. The current version V of each space is read before the rows; rows are then asked for in
 *     (cookie version, V]. Versions are handed out under the space row's lock, so everything at or
 *     below a committed V has committed too: nothing is skipped. A row rewritten at a version above
 *     V meanwhile is simply returned by the next pull.
 *  3. Values are the rows' current values (one query per entity); a vanished row is a `del`.
 * Cost: a few small queries plus the rows changed since the cookie (index on (space, version)).
 */
import { ENTITY_NAMES, type Change, type EntityName, type MutationResult, type PullRequest, type PullResponse } from '../../../../shared/sync/protocol.ts'
import type { Db } from '../../db/db.ts'
import type { Auth } from '../auth/principal.ts'
import { decodeCookie, encodeCookie } from './cookie.ts'
import { loadByIds } from './entities.ts'
import { spacesOf } from './spaces.ts'

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

async function clientState(db: Db, auth: Auth, clientGroupId: string) {
  const clients = await db.query<{ id: string; last: number }>(
    'SELECT id, last_mutation_id AS last FROM clients WHERE client_group_id = $1 AND principal = $2',
    [clientGroupId, auth.principal],
  )
  const rows = await db.query<ResultRow>(
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

async function changesBetween(db: Db, from: Record<string, number>, to: Record<string, number>): Promise<Change[]> {
  const spaces = Object.keys(to).filter((s) => (to[s] ?? 0) > (from[s] ?? 0))
  if (spaces.length === 0) return []
  const touched = await db.query<{ entity: EntityName; key: string; deleted: boolean }>(
    `SELECT rv.entity, rv.key, rv.deleted
     FROM unnest($1::text[], $2::bigint[], $3::bigint[]) AS w(space, from_v, to_v)
     JOIN row_versions rv ON rv.space = w.space AND rv.version > w.from_v AND rv.version <= w.to_v`,
    [spaces, spaces.map((s) => from[s] ?? 0), spaces.map((s) => to[s])],
  )
  // A key is visible if any in-scope space still holds it undeleted.
  const byEntity = new Map<EntityName, Map<string, boolean>>()
  for (const t of touched) {
    const keys = byEntity.get(t.entity) ?? new Map<string, boolean>()
    keys.set(t.key, (keys.get(t.key) ?? false) || !t.deleted)
    byEntity.set(t.entity, keys)
  }
  const changes: Change[] = []
  for (const entity of ENTITY_NAMES) {
    const keys = byEntity.get(entity)
    if (!keys) continue
    const live = [...keys].filter(([, visible]) => visible).map(([k]) => k)
    const values = new Map((await loadByIds(db, entity, live)).map((v) => [v.id, v]))
    for (const key of [...keys.keys()].sort()) {
      const value = keys.get(key) ? values.get(key) : undefined
      changes.push(value ? { entity, key, op: 'put', value } : { entity, key, op: 'del' })
    }
  }
  return changes
}

export async function pull(db: Db, auth: Auth, req: PullRequest): Promise<PullOutcome> {
  await forgetAcked(db, auth, req.resultsAcked ?? {})
  const { lastMutationIds, results } = await clientState(db, auth, req.clientGroupId)

  const [epochRow] = await db.query<{ value: string }>("SELECT value FROM meta WHERE key = 'epoch'")
  const epoch = epochRow?.value ?? ''
  const scope = await spacesOf(db, auth.actor)
  const current = new Map(
    (await db.query<{ id: string; version: number }>('SELECT id, version FROM spaces WHERE id = ANY($1)', [scope])).map((r) => [r.id, r.version]),
  )
  const to: Record<string, number> = Object.fromEntries(scope.map((s) => [s, current.get(s) ?? 0]))
  const since = decodeCookie(req.cookie, epoch)
  const from: Record<string, number> = Object.fromEntries(scope.map((s) => [s, Math.min(since?.[s] ?? 0, to[s] ?? 0)]))

  const changes = await changesBetween(db, from, to)
  return { cookie: encodeCookie({ e: epoch, v: to }), lastMutationIds, changes, results, reset: since === null }
}
