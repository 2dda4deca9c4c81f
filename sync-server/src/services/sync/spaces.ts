/**
 * Spaces: the unit of scoping for pull and pokes (docs/sync.md). Every row lives in one or more spaces,
 * and a token sees a set of spaces; that set IS the scoping rule, so a pull can only ever return
 * rows of spaces its token may see.
 *
 *   program:<programId>   program, territories, providers, services        (every role)
 *   catalog:<providerId>  that provider's sessions and operators           (every role of the program)
 *   family:<familyId>     family, children, vouchers, the family's bookings (that family)
 *   orders:<providerId>   bookings on that provider's sessions              (that provider; officers)
 *   principal:<…>         nothing stored: pokes for a principal's own results
 */
import type { Actor } from '../../../../shared/mutators/store.ts'
import type { Queryable } from '../../db/db.ts'

export const space = {
  program: (programId: string) => `program:${programId}`,
  catalog: (providerId: string) => `catalog:${providerId}`,
  family: (familyId: string) => `family:${familyId}`,
  orders: (providerId: string) => `orders:${providerId}`,
  principal: (principal: string) => `principal:${principal}`,
}

/** The spaces a written row lives in: every writer stamps it in all of them (versioned-write.ts). */
export const rowSpaces = {
  booking: (b: { familyId: string; providerId: string }) => [space.family(b.familyId), space.orders(b.providerId)],
  session: (s: { providerId: string }) => [space.catalog(s.providerId)],
}

/** The spaces a token sees, in a stable order. */
export async function spacesOf(q: Queryable, actor: Actor): Promise<string[]> {
  const providers = await q.query<{ id: string }>('SELECT id FROM providers WHERE program_id = $1 ORDER BY id', [actor.programId])
  const out = [space.program(actor.programId), ...providers.map((p) => space.catalog(p.id))]
  if (actor.role === 'parent' && actor.familyId) out.push(space.family(actor.familyId))
  if (actor.role === 'provider' && actor.providerId) out.push(space.orders(actor.providerId))
  if (actor.role === 'officer') out.push(...providers.map((p) => space.orders(p.id)))
  return out
}
