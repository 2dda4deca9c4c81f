/**
 * session.create / session.update: a provider's own sessions (rules: catalogue/session-edit.rules.ts).
 * Both read only the session (locked) and what they check it against, so they batch; an update that
 * adds places also reads the session's waiting list and promotes the first in line (waitlist.mutators.ts).
 */
import { editSession, validTimes, withinAccreditation } from '../catalogue/session-edit.rules.ts'
import type { Session } from '../catalogue/catalogue.schema.ts'
import { ok, refuse, type Result } from '../result.ts'
import type { SessionCreateArgs, SessionUpdateArgs } from './args.ts'
import { via, type Actor, type MutationContext, type MutatorStore, type Read } from './store.ts'
import { promoteWaiting, waitingOf } from './waitlist.mutators.ts'

export const createSessionReads = (a: SessionCreateArgs, actor: Actor): Read[] => [
  { entity: 'session', id: a.sessionId },
  { entity: 'service', id: a.serviceId },
  ...(actor.providerId ? [{ entity: 'provider' as const, id: actor.providerId }] : []),
  ...(actor.providerId ? [{ entity: 'accreditation' as const, lookup: 'ofProviderService', key: [actor.providerId, a.serviceId] }] : []),
]
export const updateSessionReads = (a: SessionUpdateArgs, actor: Actor): Read[] => [
  { entity: 'session', id: a.sessionId },
  // (Its waiting list, when places are added, is read only when someone waits: waitingOf.)
  ...(actor.providerId ? [
    { entity: 'provider' as const, id: actor.providerId },
    { entity: 'accreditation' as const, lookup: 'ofProviderService', key: [actor.providerId, via('session', a.sessionId, 'serviceId')] },
  ] : []),
]

/** The provider's accreditation for a service (issue 11). */
const accreditationOf = async (store: MutatorStore, providerId: string, serviceId: string) =>
  (await store.find('accreditation', 'ofProviderService', [providerId, serviceId]))[0]

export async function createSession(store: MutatorStore, args: SessionCreateArgs, { actor, now }: MutationContext): Promise<Result<void>> {
  if (!actor.providerId) return refuse('forbidden')
  if (await store.get('session', args.sessionId)) return refuse('invalid-state', { reason: 'session-exists' })
  const [service, provider] = await Promise.all([store.get('service', args.serviceId), store.get('provider', actor.providerId)])
  if (!service || service.programId !== actor.programId) return refuse('not-found', { entity: 'service', id: args.serviceId })
  if (!provider) return refuse('not-found', { entity: 'provider', id: actor.providerId })
  const accredited = withinAccreditation(provider, await accreditationOf(store, provider.id, service.id), service.id, args.unitPriceCents)
  if (!accredited.ok) return accredited
  const times = validTimes(args, now)
  if (!times.ok) return times
  const session: Session = {
    id: args.sessionId,
    serviceId: service.id,
    providerId: provider.id,
    territoryId: provider.territoryId,
    ...times.value,
    places: args.places,
    placesLeft: args.places,
    unitPriceCents: args.unitPriceCents,
    unitsMax: args.unitsMax,
    status: 'open',
    waiting: 0,
  }
  await store.insert('session', session)
  return ok(undefined)
}

export async function updateSession(store: MutatorStore, args: SessionUpdateArgs, { actor, now }: MutationContext): Promise<Result<void>> {
  const session = await store.get('session', args.sessionId)
  if (!session) return refuse('not-found', { entity: 'session', id: args.sessionId })
  if (session.providerId !== actor.providerId) return refuse('forbidden')
  const { sessionId: _, ...change } = args
  if (change.unitPriceCents !== undefined && change.unitPriceCents !== session.unitPriceCents) {
    const provider = await store.get('provider', session.providerId)
    if (!provider) return refuse('not-found', { entity: 'provider', id: session.providerId })
    const accredited = withinAccreditation(provider, await accreditationOf(store, provider.id, session.serviceId), session.serviceId, change.unitPriceCents)
    if (!accredited.ok) return accredited
  }
  const edited = editSession(session, change, now)
  if (!edited.ok) return edited
  await store.update('session', edited.value)
  // More places than before: the families waiting get them, in their turn.
  if (edited.value.placesLeft > session.placesLeft) await promoteWaiting(store, edited.value, await waitingOf(store, session), { actor, now })
  return ok(undefined)
}
