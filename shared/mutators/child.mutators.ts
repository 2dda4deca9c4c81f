/** A parent adds a child or corrects a name or birth date; vouchers are assigned by the office. */
import { ok, refuse, type Result } from '../result.ts'
import type { ChildUpsertArgs } from './args.ts'
import type { MutationContext, MutatorStore } from './store.ts'

export async function upsertChild(
  store: MutatorStore,
  args: ChildUpsertArgs,
  { actor }: MutationContext,
): Promise<Result<void>> {
  if (!actor.familyId) return refuse('forbidden')
  const existing = await store.child(args.childId)
  if (existing && existing.familyId !== actor.familyId) return refuse('forbidden')
  await store.upsertChild({ id: args.childId, familyId: actor.familyId, firstName: args.firstName, birthDate: args.birthDate })
  return ok(undefined)
}
