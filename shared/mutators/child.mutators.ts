/**
 * A parent adds a child or corrects a name, a note (allergies) or, while no voucher decides the
 * child's eligibility, a birth date; vouchers are assigned by the office. Every change is kept in the
 * child's history (`childChange`, the family's only). Once a voucher exists the birth date is the
 * office's: the phone asks for it (`child.requestBirthDate`) and an officer approves it
 * (sync-server/src/services/office/family-requests.service.ts), so `child.upsert` with another birth date
 * is refused `invalid-state` {reason: 'birth-date-by-office'}.
 * A rename is copied onto the child's bookings (`childFirstName`): the provider, who never receives
 * the family's children, reads the name there. The copy is this rule's, so the model sees it too.
 */
import type { BirthDateRequest, Child, ChildChange, ChildField } from '../family/family.schema.ts'
import { ok, refuse, type Result } from '../result.ts'
import type { ChildRequestBirthDateArgs, ChildUpsertArgs } from './args.ts'
import type { Actor, MutationContext, MutatorStore, Read } from './store.ts'

/** Every field a change records (family.schema.ts CHILD_FIELDS, which would bring zod to the phone's first screen). */
const FIELDS = ['added', 'firstName', 'birthDate', 'note'] as const satisfies readonly ChildField[]
/** Fails to compile when CHILD_FIELDS gains a field FIELDS lacks. */
export const everyFieldRead: Exclude<ChildField, (typeof FIELDS)[number]> extends never ? true : never = true

/**
 * The child, its bookings (locked) for the copy of its name, its voucher (does the office decide its
 * birth date?), and the history entries this change may write (are they written already?), when the
 * phone names the change: their ids are then known before the rule runs (without a changeId they
 * depend on the deciding clock, and are read when asked).
 */
export const upsertChildReads = (a: ChildUpsertArgs, actor: Actor): Read[] => [
  { entity: 'booking', lookup: 'ofChild', key: [a.childId] },
  { entity: 'child', id: a.childId },
  { entity: 'voucher', lookup: 'ofChild', key: [a.childId, actor.programId] },
  ...(a.changeId ? FIELDS.map((field) => ({ entity: 'childChange' as const, id: changeIdOf(a, '', field) })) : []),
]

/** The id of one history entry: `<changeId>_<field>`, or `<childId>_<time>_<field>` for phones that send no changeId. */
export function changeIdOf(args: { childId: string; changeId?: string | undefined }, now: string, field: ChildField): string {
  const base = args.changeId ?? `${args.childId.slice(0, 32)}_${now.replace(/\D/g, '').slice(0, 17)}`
  return `${base}_${field}`
}

const noteOf = (note: string | null | undefined): string | null => (note ? note : null)

export async function upsertChild(
  store: MutatorStore,
  args: ChildUpsertArgs,
  { actor, now }: MutationContext,
): Promise<Result<void>> {
  if (!actor.familyId) return refuse('forbidden')
  const familyId = actor.familyId
  const bookings = await store.find('booking', 'ofChild', [args.childId])
  const existing = await store.get('child', args.childId)
  if (existing && existing.familyId !== familyId) return refuse('forbidden')
  const vouchers = existing ? await store.find('voucher', 'ofChild', [args.childId, actor.programId]) : []
  const note = args.note === undefined ? noteOf(existing?.note) : noteOf(args.note)
  // Needs are the office's (from the application): a parent's edit keeps them as they are.
  const child: Child = { ...existing, id: args.childId, familyId, firstName: args.firstName, birthDate: args.birthDate, note }

  const history: ChildChange[] = []
  const entry = (field: ChildField, before: string | null, after: string | null): ChildChange => ({
    id: changeIdOf(args, now, field), childId: child.id, familyId, field, before, after, changedAt: now, changedBy: 'parent', requestId: null,
  })
  if (!existing) {
    history.push(entry('added', null, `${child.firstName} · ${child.birthDate}`))
    if (note) history.push(entry('note', null, note))
  } else {
    if (existing.birthDate !== child.birthDate) {
      // Once a voucher exists, the birth date decides eligibility: the office changes it, on request.
      if (vouchers.length > 0) return refuse('invalid-state', { reason: 'birth-date-by-office', childId: child.id })
      history.push(entry('birthDate', existing.birthDate, child.birthDate))
    }
    if (existing.firstName !== child.firstName) history.push(entry('firstName', existing.firstName, child.firstName))
    if (noteOf(existing.note) !== note) history.push(entry('note', noteOf(existing.note), note))
  }
  for (const h of history) {
    if (await store.get('childChange', h.id)) return refuse('invalid-state', { reason: 'change-exists' })
  }

  if (!existing) await store.insert('child', child)
  else if (history.length > 0) await store.update('child', child)
  for (const h of history) await store.insert('childChange', h)
  for (const b of bookings) {
    if (b.familyId === familyId && b.childFirstName !== child.firstName) await store.update('booking', { ...b, childFirstName: child.firstName })
  }
  return ok(undefined)
}

export const requestBirthDateReads = (a: ChildRequestBirthDateArgs, _actor: Actor): Read[] => [
  { entity: 'child', id: a.childId },
  { entity: 'birthDateRequest', lookup: 'ofChild', key: [a.childId] },
  { entity: 'birthDateRequest', id: a.requestId },
]

/**
 * The family asks the office for another birth date. One pending request per child (a second is
 * `invalid-state` {reason: 'request-pending'}; the database's partial unique index backs it up).
 */
export async function requestBirthDate(
  store: MutatorStore,
  args: ChildRequestBirthDateArgs,
  { actor, now }: MutationContext,
): Promise<Result<void>> {
  if (!actor.familyId) return refuse('forbidden')
  const child = await store.get('child', args.childId)
  if (!child) return refuse('not-found', { entity: 'child', id: args.childId })
  if (child.familyId !== actor.familyId) return refuse('forbidden')
  if (child.birthDate === args.birthDate) return refuse('invalid-state', { reason: 'same-birth-date' })
  const requests = await store.find('birthDateRequest', 'ofChild', [args.childId])
  if (requests.some((r) => r.status === 'pending')) return refuse('invalid-state', { reason: 'request-pending' })
  if (await store.get('birthDateRequest', args.requestId)) return refuse('invalid-state', { reason: 'request-exists' })
  const request: BirthDateRequest = {
    id: args.requestId, childId: child.id, familyId: child.familyId, programId: actor.programId, birthDate: args.birthDate,
    previousBirthDate: child.birthDate, status: 'pending', requestedAt: now, decidedAt: null, reason: null,
  }
  await store.insert('birthDateRequest', request)
  return ok(undefined)
}
