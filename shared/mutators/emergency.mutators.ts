/**
 * Emergency requests (issue 9). `emergency.request` (parent): the voucher holds the estimated cost
 * while the request is open; the family's usual cooperative (its last accepted emergency, else its
 * child's last at-home babysitting booking) is asked first, for the program's head start.
 * `emergency.accept` (provider): the first acceptance wins, under the request's row lock; any later
 * one is refused `already-taken`. `emergency.cancel` (parent): the hold goes back.
 * `emergency.deliver` (the winner's coordinator or the assigned operator): the hours actually
 * delivered, or a no-show; the voucher spends the delivered share and releases the rest.
 * Expiry and the move from the usual cooperative to the territory are the server's sweep
 * (`advanceEmergency`, below; sync-server/src/services/emergency/sweep.ts), not a mutation.
 * Reads go emergencyRequest → booking → voucher (the server's lock order).
 */
import type { Booking } from '../booking/booking.schema.ts'
import type { Operator } from '../catalogue/catalogue.schema.ts'
import { onCallFor } from '../provider/operators.rules.ts'
import type { EmergencyRequest } from '../emergency/emergency.schema.ts'
import { personOf } from '../actor.ts'
import { decideEmergencyDelivery, defaultDeadline, EMERGENCY_MAX_HOURS, emergencyEstimate, headStartMinutes, mayTake, pastDeadline, headStartOver } from '../emergency/emergency.rules.ts'
import { ok, refuse, type Result } from '../result.ts'
import { consume, hold, release } from '../voucher/voucher.rules.ts'
import type { EmergencyAcceptArgs, EmergencyCancelArgs, EmergencyDeliverArgs, EmergencyRequestArgs } from './args.ts'
import { via, type Actor, type MutationContext, type MutatorStore, type Read } from './store.ts'

const HOUR = 3_600_000

export const requestEmergencyReads = (a: EmergencyRequestArgs, actor: Actor): Read[] => [
  { entity: 'emergencyRequest', id: a.requestId },
  { entity: 'booking', lookup: 'ofChild', key: [a.childId] },
  { entity: 'voucher', lookup: 'ofChild', key: [a.childId, actor.programId] },
  { entity: 'child', id: a.childId },
  { entity: 'program', id: actor.programId },
  ...(actor.familyId ? [{ entity: 'family' as const, id: actor.familyId }] : []),
  ...(a.territoryId ? [{ entity: 'territory' as const, id: a.territoryId }] : []),
]

export const acceptEmergencyReads = (a: EmergencyAcceptArgs, actor: Actor): Read[] => [
  { entity: 'emergencyRequest', id: a.requestId },
  ...(actor.providerId ? [{ entity: 'provider' as const, id: actor.providerId }, { entity: 'operator' as const, lookup: 'ofProvider', key: [actor.providerId] }] : []),
  { entity: 'program', id: actor.programId },
]

export const cancelEmergencyReads = (a: EmergencyCancelArgs): Read[] => [
  { entity: 'emergencyRequest', id: a.requestId },
  { entity: 'voucher', id: via('emergencyRequest', a.requestId, 'voucherId') },
]

export const deliverEmergencyReads = (a: EmergencyDeliverArgs): Read[] => [
  { entity: 'emergencyRequest', id: a.requestId },
  { entity: 'voucher', id: via('emergencyRequest', a.requestId, 'voucherId') },
]

const newestFirst = <T extends { createdAt: string }>(a: T, b: T) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0)

/**
 * The family's usual cooperative and operator: its last accepted request's (who went), else the
 * child's last at-home babysitting's (its assigned operator), whichever is newer.
 */
async function usualOf(store: MutatorStore, previous: EmergencyRequest[], bookings: Booking[]) {
  const lastAccepted = previous.find((r) => r.providerId !== null)
  const candidates: { providerId: string; operatorId: string | null; createdAt: string }[] = lastAccepted
    ? [{ providerId: lastAccepted.providerId!, operatorId: lastAccepted.operatorId, createdAt: lastAccepted.createdAt }]
    : []
  for (const b of bookings.filter((x) => x.status === 'confirmed' || x.status === 'delivered' || x.status === 'liquidated').sort(newestFirst)) {
    const service = await store.get('service', b.serviceId)
    if (service?.category === 'sick-child-babysitting') {
      candidates.push({ providerId: b.providerId, operatorId: b.operatorId, createdAt: b.createdAt })
      break
    }
  }
  const usual = candidates.sort(newestFirst)[0]
  return { providerId: usual?.providerId ?? null, operatorId: usual?.operatorId ?? null }
}

/** Where the sitter is needed: the one asked for, else the family's last request's, else its usual cooperative's, else the program's first. */
async function territoryOf(store: MutatorStore, args: EmergencyRequestArgs, actor: Actor, previous: EmergencyRequest[], usual: string | null) {
  if (args.territoryId) {
    const t = await store.get('territory', args.territoryId)
    return t && t.programId === actor.programId ? t.id : null
  }
  if (previous[0]) return previous[0].territoryId
  if (usual) {
    const p = await store.get('provider', usual)
    if (p) return p.territoryId
  }
  return (await store.find('territory', 'ofProgram', [actor.programId]))[0]?.id ?? null
}

export async function requestEmergency(store: MutatorStore, args: EmergencyRequestArgs, { actor, now }: MutationContext): Promise<Result<void>> {
  if (await store.get('emergencyRequest', args.requestId)) return refuse('invalid-state', { reason: 'request-exists' })
  const child = await store.get('child', args.childId)
  if (!child) return refuse('not-found', { entity: 'child', id: args.childId })
  if (child.familyId !== actor.familyId) return refuse('forbidden')
  const start = Date.parse(args.startsAt)
  const end = Date.parse(args.endsAt)
  if (end <= start || end - start > EMERGENCY_MAX_HOURS * HOUR) return refuse('validation', { reason: 'bad-times' })
  if (end <= Date.parse(now)) return refuse('invalid-state', { reason: 'ended' })
  const deadlineAt = args.deadlineAt ?? defaultDeadline(args.startsAt, args.endsAt, now)
  if (Date.parse(deadlineAt) > end) return refuse('validation', { reason: 'bad-deadline' })
  if (pastDeadline({ deadlineAt }, now)) return refuse('invalid-state', { reason: 'deadline-passed' })

  const bookings = await store.find('booking', 'ofChild', [child.id])
  const [voucher] = await store.find('voucher', 'ofChild', [child.id, actor.programId])
  const program = await store.get('program', actor.programId)
  if (!program) return refuse('not-found', { entity: 'program', id: actor.programId })
  if (!voucher) return refuse('voucher-insufficient', { balanceCents: 0, neededCents: 1 })
  const family = await store.get('family', child.familyId)
  const previous = (await store.find('emergencyRequest', 'ofFamily', [child.familyId])).sort(newestFirst)
  const { providerId: usual, operatorId: usualOperator } = await usualOf(store, previous, bookings)
  const territoryId = await territoryOf(store, args, actor, previous, usual)
  if (!territoryId) return refuse('not-found', { entity: 'territory', id: args.territoryId })

  const { estimatedCents, heldCents } = emergencyEstimate(program, args.startsAt, args.endsAt)
  const held = hold(voucher, heldCents)
  if (!held.ok) return held
  const headStart = usual ? new Date(Date.parse(now) + headStartMinutes(program) * 60_000).toISOString() : null
  const request: EmergencyRequest = {
    id: args.requestId, familyId: child.familyId, childId: child.id, programId: actor.programId, territoryId,
    startsAt: args.startsAt, endsAt: args.endsAt, deadlineAt, status: 'open',
    providerId: null, operatorId: null, operatorName: null, contactPhone: null, acceptedAt: null,
    address: args.address || null, note: args.note || null,
    familyName: family?.name ?? '', childFirstName: child.firstName, childBirthDate: child.birthDate,
    voucherId: voucher.id, estimatedCents, heldCents,
    deliveredAt: null, deliveredHours: null, noShow: false, deliveredBy: null, spentCents: null,
    stage: usual && headStart && !headStartOver({ headStartEndsAt: headStart }, now) ? 'usual' : 'territory',
    usualProviderId: usual, usualOperatorId: usualOperator, headStartEndsAt: headStart, seenCount: 0, createdAt: now, updatedAt: now,
  }
  await store.insert('emergencyRequest', request)
  await store.update('voucher', held.value)
  await store.ledger({ voucherId: voucher.id, bookingId: request.id, of: 'emergency', kind: 'hold', amountCents: heldCents, at: now })
  return ok(undefined)
}

/**
 * The first acceptance wins. A coordinator names the operator who goes (or lets the rule choose: the
 * family's usual operator if eligible, else the first eligible); an operator (own code) accepts for
 * themselves. Eligible: the provider's own, on call, with on-call windows covering the whole request
 * in the program's time zone (`onCallFor`). The operator's phone has no staff list (the registry's
 * spaces): there it decides without the operator's row, and the server checks.
 */
export async function acceptEmergency(store: MutatorStore, args: EmergencyAcceptArgs, { actor, now }: MutationContext): Promise<Result<void>> {
  const r = await store.get('emergencyRequest', args.requestId)
  if (!r || r.programId !== actor.programId) return refuse('not-found', { entity: 'emergencyRequest', id: args.requestId })
  if (r.status === 'accepted' || r.status === 'delivered') {
    return r.providerId === actor.providerId ? refuse('invalid-state', { status: r.status, reason: 'already-accepted' }) : refuse('already-taken')
  }
  if (r.status !== 'open') return refuse('invalid-state', { status: r.status, action: 'accept' })
  if (pastDeadline(r, now)) return refuse('invalid-state', { status: 'expired', reason: 'deadline-passed' })
  const provider = actor.providerId ? await store.get('provider', actor.providerId) : undefined
  if (!provider || !mayTake(r, provider, now)) return refuse('forbidden')
  if (actor.role === 'operator' && (!actor.operatorId || (args.operatorId && args.operatorId !== actor.operatorId))) return refuse('forbidden')
  const wanted = actor.role === 'operator' ? actor.operatorId! : args.operatorId
  const staff = await store.find('operator', 'ofProvider', [provider.id])
  const program = await store.get('program', actor.programId)
  if (!program) return refuse('not-found', { entity: 'program', id: actor.programId })
  const timeZone = program.timeZone
  const eligible = (o: Operator) => onCallFor(o, r, timeZone)
  let operator: Operator | undefined
  if (wanted) {
    operator = staff.find((o) => o.id === wanted) ?? (await store.get('operator', wanted))
    if (!operator && actor.role === 'operator') {
      // The operator's own phone (no staff rows there): optimistic, the server decides with the row.
      await store.update('emergencyRequest', { ...r, status: 'accepted', providerId: provider.id, operatorId: wanted, operatorName: null, contactPhone: null, acceptedAt: now, updatedAt: now })
      return ok(undefined)
    }
    if (!operator || operator.providerId !== provider.id) return refuse('forbidden')
  } else {
    operator = staff.find((o) => o.id === r.usualOperatorId && eligible(o)) ?? staff.find(eligible)
  }
  if (!operator || !eligible(operator)) return refuse('invalid-state', { reason: 'no-operator-on-call' })
  await store.update('emergencyRequest', {
    ...r, status: 'accepted', providerId: provider.id, operatorId: operator.id, operatorName: operator.name, contactPhone: operator.phone ?? null,
    acceptedAt: now, updatedAt: now,
  })
  return ok(undefined)
}

/** Releases a request's hold (cancel, expiry). */
async function releaseHold(store: MutatorStore, r: EmergencyRequest, now: string): Promise<Result<void>> {
  if (r.heldCents === 0) return ok(undefined)
  const voucher = await store.get('voucher', r.voucherId)
  if (!voucher) return refuse('not-found', { entity: 'voucher', id: r.voucherId })
  const released = release(voucher, r.heldCents)
  if (!released.ok) return released
  await store.update('voucher', released.value)
  await store.ledger({ voucherId: voucher.id, bookingId: r.id, of: 'emergency', kind: 'release', amountCents: r.heldCents, at: now })
  return ok(undefined)
}

export async function cancelEmergency(store: MutatorStore, args: EmergencyCancelArgs, { actor, now }: MutationContext): Promise<Result<void>> {
  const r = await store.get('emergencyRequest', args.requestId)
  if (!r) return refuse('not-found', { entity: 'emergencyRequest', id: args.requestId })
  if (r.familyId !== actor.familyId) return refuse('forbidden')
  if (r.status !== 'open' && r.status !== 'accepted') return refuse('invalid-state', { status: r.status, action: 'cancel' })
  // Once the sitter's time has begun, a cancel would take the whole hold back and leave the cooperative
  // unable to record (and be paid for) what was done: the delivery settles it instead (a no-show, "cancelled
  // at the door", releases it all). An open request past its start can still be withdrawn: nobody is coming.
  if (r.status === 'accepted' && Date.parse(r.startsAt) <= Date.parse(now)) {
    return refuse('invalid-state', { reason: 'emergency-started', action: 'cancel', startsAt: r.startsAt })
  }
  const released = await releaseHold(store, r, now)
  if (!released.ok) return released
  await store.update('emergencyRequest', { ...r, status: 'cancelled', heldCents: 0, updatedAt: now })
  return ok(undefined)
}

/**
 * Delivery of an accepted emergency (emergency.rules.ts `decideEmergencyDelivery`): by the winning
 * cooperative's coordinator, or by the operator assigned to it (an operator's own code); only once it
 * has started, dated within it. The voucher consumes the delivered share and releases the rest of the
 * hold (two ledger rows); a no-show releases it all. Records who did it (`deliveredBy`). The
 * provider's phone has no voucher (the family's): it decides on the request alone, as bookings do; an
 * operator's phone has not even the amounts (heldCents, spentCents): it records the delivery without them.
 */
export async function deliverEmergency(store: MutatorStore, args: EmergencyDeliverArgs, { actor, now }: MutationContext): Promise<Result<void>> {
  const r = await store.get('emergencyRequest', args.requestId)
  if (!r || r.programId !== actor.programId) return refuse('not-found', { entity: 'emergencyRequest', id: args.requestId })
  const mine = r.providerId !== null && r.providerId === actor.providerId &&
    (actor.role === 'provider' || (actor.role === 'operator' && !!actor.operatorId && r.operatorId === actor.operatorId))
  if (!mine) return refuse('forbidden')
  if (r.status !== 'accepted') return refuse('invalid-state', { status: r.status, action: 'deliver' })
  const decided = decideEmergencyDelivery(r, args, now)
  if (!decided.ok) return decided
  const { spentCents } = decided.value
  const voucher = await store.get('voucher', r.voucherId)
  if (voucher) {
    const spent = consume(voucher, spentCents)
    if (!spent.ok) return spent
    const rest = r.heldCents - spentCents
    const released = rest > 0 ? release(spent.value, rest) : spent
    if (!released.ok) return released
    await store.update('voucher', released.value)
    if (spentCents > 0) await store.ledger({ voucherId: voucher.id, bookingId: r.id, of: 'emergency', kind: 'consume', amountCents: spentCents, at: now })
    if (rest > 0) await store.ledger({ voucherId: voucher.id, bookingId: r.id, of: 'emergency', kind: 'release', amountCents: rest, at: now })
  } else if (actor.role !== 'provider' && actor.role !== 'operator') {
    return refuse('not-found', { entity: 'voucher', id: r.voucherId })
  }
  const delivered: Partial<EmergencyRequest> = { ...r, ...decided.value, status: 'delivered', heldCents: 0, deliveredBy: personOf(actor), updatedAt: now }
  // An operator's phone receives no amounts (registry omit): it keeps none rather than guessing them.
  if (r.heldCents === undefined) {
    delete delivered.heldCents
    delete delivered.spentCents
  }
  await store.update('emergencyRequest', delivered as EmergencyRequest)
  return ok(undefined)
}

/**
 * The server's sweep, one request (row locked, SKIP LOCKED): past the deadline with no one, it
 * expires and its hold is released; once the usual cooperative's head start is over, the territory
 * is asked. Answers whether it changed anything.
 */
export async function advanceEmergency(store: MutatorStore, requestId: string, now: string): Promise<Result<boolean>> {
  const r = await store.get('emergencyRequest', requestId)
  if (!r || r.status !== 'open') return ok(false)
  if (pastDeadline(r, now)) {
    const released = await releaseHold(store, r, now)
    if (!released.ok) return released
    await store.update('emergencyRequest', { ...r, status: 'expired', heldCents: 0, updatedAt: now })
    return ok(true)
  }
  if (r.stage === 'usual' && headStartOver(r, now)) {
    await store.update('emergencyRequest', { ...r, stage: 'territory', updatedAt: now })
    return ok(true)
  }
  return ok(false)
}
