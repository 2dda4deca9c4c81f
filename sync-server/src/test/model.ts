/**
 * The in-memory model the property tests compare the server with: the shared mutators' MemoryState,
 * loaded from what the server holds now, as phones would see it (pulled by some families and an
 * officer: the catalogue and every booking from the officer, children, vouchers and the families' own
 * bookings, with the fields the office does not receive, from the families).
 */
import type { Hono } from 'hono'
import { ENTITIES, ENTITY_NAMES, schemaFor } from '../../../shared/entities/registry.ts'
import { stateFrom, type MemoryState, type StateRows } from '../../../shared/mutators/memory-store.ts'
import type { Role as AppRole } from '../../../shared/mutators/store.ts'
import type { AppEnv } from '../routes/http.ts'
import { SyncClient } from './sync-client.ts'

export async function modelFromServer(
  app: Hono<AppEnv>, familyTokens: readonly string[], officerToken: string, providerTokens: readonly string[] = [],
): Promise<MemoryState> {
  const families = familyTokens.map((token) => ({ client: new SyncClient(app, token), role: 'parent' as AppRole }))
  const officer = { client: new SyncClient(app, officerToken), role: 'officer' as AppRole }
  // Providers only for their staff: the office does not receive operators' on-call windows, which the
  // emergency rules read (who may go).
  const providers = providerTokens.map((token) => ({ client: new SyncClient(app, token), role: 'provider' as AppRole }))
  const all = [officer, ...families] // later ones win: a family's own booking carries its note
  await Promise.all([...all, ...providers].map((c) => c.client.pull()))
  const rows: Record<string, unknown[]> = {}
  for (const e of ENTITY_NAMES) {
    const byId = new Map<string, unknown>()
    for (const { client, role } of e === 'operator' ? [...all, ...providers] : all) {
      for (const r of client.rows<{ id: string }>(e)) byId.set(r.id, { ...(byId.get(r.id) as object), ...(schemaFor(e, role).parse(r) as object) })
    }
    rows[ENTITIES[e].mirror] = [...byId.values()]
  }
  return stateFrom(rows as StateRows)
}
