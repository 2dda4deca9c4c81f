/**
 * The spaces a token sees (the names and what lives where: shared/sync/spaces.ts; which spaces a
 * row lives in: the registry, shared/entities/registry.ts).
 */
import type { Actor } from '../../../../shared/mutators/store.ts'
import { space } from '../../../../shared/sync/spaces.ts'
import type { Queryable } from '../../db/db.ts'

export { space }

/** The spaces a token sees, in a stable order. */
export async function spacesOf(q: Queryable, actor: Actor): Promise<string[]> {
  const providers = await q.query<{ id: string }>('SELECT id FROM providers WHERE program_id = $1 ORDER BY id', [actor.programId])
  const out = [space.program(actor.programId), ...providers.map((p) => space.catalog(p.id))]
  if (actor.role === 'parent' && actor.familyId) out.push(space.family(actor.familyId))
  if (actor.role === 'provider' && actor.providerId) {
    out.push(space.orders(actor.providerId), space.staff(actor.providerId))
    const territory = await emergencyTerritoryOf(q, actor.providerId)
    if (territory) out.push(space.emergency(territory))
  }
  // An operator sees the program's catalogue and the bookings assigned to them, not the whole provider's
  // orders; the emergencies they may take (issue 9): their own (usual or assigned: `assigned:`) and,
  // while on call, the open ones of their cooperative's territory once it may take them.
  if (actor.role === 'operator' && actor.operatorId) {
    out.push(space.assigned(actor.operatorId))
    if (actor.providerId) {
      const [me] = await q.query<{ onCall: boolean }>('SELECT on_call AS "onCall" FROM operators WHERE id = $1 AND provider_id = $2', [actor.operatorId, actor.providerId])
      const territory = me?.onCall ? await emergencyTerritoryOf(q, actor.providerId) : null
      if (territory) out.push(space.emergency(territory))
    }
  }
  if (actor.role === 'officer') out.push(...providers.flatMap((p) => [space.orders(p.id), space.staff(p.id)]), space.office(actor.programId))
  return out
}

/**
 * The territory whose open emergency requests a provider receives: its own, if it may take them,
 * i.e. it offers at-home babysitting for sick children (a session of that service) and has an operator
 * on call. Otherwise none. (A change of either changes the token's scope: its next pull starts over.)
 */
export async function emergencyTerritoryOf(q: Queryable, providerId: string): Promise<string | null> {
  const [row] = await q.query<{ territoryId: string }>(
    `SELECT p.territory_id AS "territoryId" FROM providers p
     WHERE p.id = $1
       AND EXISTS (SELECT 1 FROM operators o WHERE o.provider_id = p.id AND o.on_call)
       AND EXISTS (SELECT 1 FROM sessions s JOIN services v ON v.id = s.service_id
                   WHERE s.provider_id = p.id AND v.category = 'sick-child-babysitting')`,
    [providerId],
  )
  return row?.territoryId ?? null
}
