/**
 * A parent adds a child or corrects a name or birth date; vouchers are assigned by the office.
 * A rename is copied onto the child's bookings (`childFirstName`): the provider, who never receives
 * the family's children, reads the name there. The copy is this rule's, so the model sees it too.
 */
import { ok, refuse, type Result } from '../result.ts'
import type { ChildUpsertArgs } from './args.ts'
import type { Actor, MutationContext, MutatorStore, Read } from './store.ts'

/** The child, and its bookings (locked) for the copy of its name. */
export const upsertChildReads = (a: ChildUpsertArgs, _actor: Actor): Read[] => [
  { entity: 'booking', lookup: 'ofChild', key: [a.childId] },
  { entity: 'child', id: a.childId },
]

export async function upsertChild(
  store: MutatorStore,
  args: ChildUpsertArgs,
  { actor }: MutationContext,
): Promise<Result<void>> {
  if (!actor.familyId) return refuse('forbidden')
  const existing = await store.get('child', args.childId)
  if (existing && existing.familyId !== actor.familyId) return refuse('forbidden')
  const bookings = await store.find('booking', 'ofChild', [args.childId])
  // Needs are the office's (from the application): a parent's edit keeps them as they are.
  const child = { ...existing, id: args.childId, familyId: actor.familyId, firstName: args.firstName, birthDate: args.birthDate }
  if (!existing) await store.insert('child', child)
  else if (existing.firstName !== child.firstName || existing.birthDate !== child.birthDate) await store.update('child', child)
  for (const b of bookings) {
    if (b.familyId === actor.familyId && b.childFirstName !== child.firstName) await store.update('booking', { ...b, childFirstName: child.firstName })
  }
  return ok(undefined)
}
