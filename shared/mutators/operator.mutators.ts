/**
 * operator.upsert: a coordinator keeps its staff (issue 9): name, training track, qualifications,
 * mildly ill children, on-call windows. Only its own provider's operators. The name a family already
 * read on a booking (`operatorName`, stamped at confirm) is not rewritten here (a rename reaches new
 * assignments; docs/security.md), but a rename does reach the emergencies this operator accepted and
 * has still to deliver: a parent waiting at 5 a.m. reads "arriva <name>" and must read the right one.
 * So does a corrected work phone (0028: the number that family calls).
 * Operators are not locked: the coordinator is the only writer.
 */
import type { Operator } from '../catalogue/catalogue.schema.ts'
import { ok, refuse, type Result } from '../result.ts'
import type { OperatorUpsertArgs } from './args.ts'
import type { MutationContext, MutatorStore, Read } from './store.ts'

export const upsertOperatorReads = (a: OperatorUpsertArgs): Read[] => [
  { entity: 'emergencyRequest', lookup: 'acceptedOfOperator', key: [a.operatorId] },
  { entity: 'operator', id: a.operatorId },
]

export async function upsertOperator(store: MutatorStore, args: OperatorUpsertArgs, { actor, now }: MutationContext): Promise<Result<void>> {
  if (!actor.providerId) return refuse('forbidden')
  const existing = await store.get('operator', args.operatorId)
  if (existing && existing.providerId !== actor.providerId) return refuse('forbidden')
  const { operatorId, phone, ...fields } = args
  const row: Operator = { id: operatorId, providerId: actor.providerId, ...fields, phone: phone === undefined ? (existing?.phone ?? null) : phone || null }
  if (existing) await store.update('operator', row)
  else await store.insert('operator', row)
  if (existing && (existing.name !== row.name || (existing.phone ?? null) !== row.phone)) {
    for (const r of await store.find('emergencyRequest', 'acceptedOfOperator', [row.id])) {
      if (r.status === 'accepted' && r.providerId === actor.providerId && (r.operatorName !== row.name || (r.contactPhone ?? null) !== row.phone)) {
        await store.update('emergencyRequest', { ...r, operatorName: row.name, contactPhone: row.phone, updatedAt: now })
      }
    }
  }
  return ok(undefined)
}
