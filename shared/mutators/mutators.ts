/**
 * The named commands both sides run: optimistically on the phone, authoritatively on the server
 * (whose answer wins). Names and args are contract (architecture.md): extend, never rename.
 * Each mutator re-parses its args with the same zod schema on both sides.
 *
 * `reads` declares what a mutator is about to read (a hint the server uses to fetch a whole batch's
 * rows in one round trip; it never changes an answer). `batch: true` opts a mutator in to group commit
 * (sync-server/src/services/sync/push-queue.ts): only mutators whose locks all come from their
 * declared reads, so a batch can take them in the global lock order. The others (session.close, which
 * locks bookings found through its session) are decided in a transaction of their own.
 */
import { z } from 'zod'
import {
  BookingCancelArgs,
  BookingChangeQuantityArgs,
  BookingConfirmArgs,
  BookingDeclineArgs,
  BookingDeliverArgs,
  BookingProposalAnswerArgs,
  BookingProposeArgs,
  BookingRequestArgs,
  ChildRequestBirthDateArgs,
  ChildUpsertArgs,
  EmergencyAcceptArgs,
  EmergencyCancelArgs,
  EmergencyDeliverArgs,
  EmergencyRequestArgs,
  MessageSendArgs,
  WaitlistJoinArgs,
  WaitlistLeaveArgs,
  SessionCloseArgs,
  SessionCreateArgs,
  SessionUpdateArgs,
  OperatorUpsertArgs,
} from './args.ts'
import type { Result } from '../result.ts'
import { ok, refuse } from '../result.ts'
import type { Actor, MutationContext, MutatorStore, Read, Role } from './store.ts'
import {
  actionReads,
  confirmReads,
  cancelBooking,
  cancelReads,
  changeBookingQuantity,
  changeQuantityReads,
  confirmBooking,
  declineBooking,
  deliverBooking,
  endReads,
  requestBooking,
  requestReads,
} from './booking.mutators.ts'
import { requestBirthDate, requestBirthDateReads, upsertChild, upsertChildReads } from './child.mutators.ts'
import {
  acceptEmergency,
  acceptEmergencyReads,
  cancelEmergency,
  cancelEmergencyReads,
  deliverEmergency,
  deliverEmergencyReads,
  requestEmergency,
  requestEmergencyReads,
} from './emergency.mutators.ts'
import { sendMessage, sendMessageReads } from './message.mutators.ts'
import { joinWaitlist, joinWaitlistReads, leaveWaitlist, leaveWaitlistReads } from './waitlist.mutators.ts'
import { acceptProposal, acceptProposalReads, declineProposal, declineProposalReads, proposeTime, proposeReads } from './proposal.mutators.ts'
import { closeSession } from './session.mutators.ts'
import { upsertOperator, upsertOperatorReads } from './operator.mutators.ts'
import { createSession, createSessionReads, updateSession, updateSessionReads } from './session-edit.mutators.ts'

export interface Mutator<A> {
  args: z.ZodType<A>
  roles: readonly Role[]
  apply(store: MutatorStore, args: A, ctx: MutationContext): Promise<Result<void>>
  /** What `apply` will read (a prefetch hint). */
  reads?: (args: A, actor: Actor) => Read[]
  /** Opt in to group commit (requires `reads`). */
  batch?: boolean
  /**
   * These args are decided alone even so (their locks do not all come from `reads`: a recurring
   * request). Given the RAW args, before any parsing: the push queue asks it of every mutation it
   * groups, and a schema parse here doubled the parse of each push (decide.ts parses them again).
   * Args that turn out invalid are refused either way, alone or in a batch.
   */
  alone?: (rawArgs: unknown) => boolean
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null

const define = <A>(m: Mutator<A> & ({ batch?: false } | { batch: true; reads: NonNullable<Mutator<A>['reads']> })): Mutator<A> => m

const ends = actionReads({ session: true, voucher: true })

export const mutators = {
  'booking.request': define({
    // A recurring plan item locks each date's session (found through a lookup): decided alone.
    args: BookingRequestArgs, roles: ['parent'], apply: requestBooking, reads: requestReads, batch: true, alone: (a) => isObject(a) && !!a.recurrence,
  }),
  // A freed place goes to the first family waiting (waitlist.mutators.ts): its voucher is locked when found.
  'booking.cancel': define({ args: BookingCancelArgs, roles: ['parent'], apply: cancelBooking, reads: cancelReads, batch: true }),
  'booking.changeQuantity': define({
    args: BookingChangeQuantityArgs, roles: ['parent'], apply: changeBookingQuantity, reads: changeQuantityReads, batch: true,
  }),
  'booking.confirm': define({
    // Assigning an operator moves the booking's thread to them (message.mutators.ts moveThread: unlocked reads).
    args: BookingConfirmArgs, roles: ['provider'], apply: confirmBooking, reads: confirmReads, batch: true,
  }),
  'booking.decline': define({ args: BookingDeclineArgs, roles: ['provider'], apply: declineBooking, reads: endReads, batch: true }),
  'booking.deliver': define({
    // The coordinator, or the operator assigned to the booking (recorded as `deliveredBy`).
    args: BookingDeliverArgs, roles: ['provider', 'operator'], apply: deliverBooking, reads: ends, batch: true,
  }),
  'child.upsert': define({ args: ChildUpsertArgs, roles: ['parent'], apply: upsertChild, reads: upsertChildReads, batch: true }),
  // Issue 10: a birth date that decides eligibility is asked of the office once a voucher exists.
  'child.requestBirthDate': define({
    args: ChildRequestBirthDateArgs, roles: ['parent'], apply: requestBirthDate, reads: requestBirthDateReads, batch: true,
  }),
  'session.close': define({ args: SessionCloseArgs, roles: ['provider'], apply: closeSession }),
  'session.create': define({ args: SessionCreateArgs, roles: ['provider'], apply: createSession, reads: createSessionReads, batch: true }),
  'session.update': define({ args: SessionUpdateArgs, roles: ['provider'], apply: updateSession, reads: updateSessionReads, batch: true }),
  'operator.upsert': define({ args: OperatorUpsertArgs, roles: ['provider'], apply: upsertOperator, reads: upsertOperatorReads, batch: true }),
  // The waiting list of a full session (issue 10): promotion happens where a place frees.
  'waitlist.join': define({ args: WaitlistJoinArgs, roles: ['parent'], apply: joinWaitlist, reads: joinWaitlistReads, batch: true }),
  'waitlist.leave': define({ args: WaitlistLeaveArgs, roles: ['parent'], apply: leaveWaitlist, reads: leaveWaitlistReads, batch: true }),
  // The operator assigned to the booking answers too (on the provider's side).
  'message.send': define({ args: MessageSendArgs, roles: ['parent', 'provider', 'operator'], apply: sendMessage, reads: sendMessageReads, batch: true }),
  // Emergency babysitting (issue 9): the first acceptance wins under the request's row lock.
  'emergency.request': define({ args: EmergencyRequestArgs, roles: ['parent'], apply: requestEmergency, reads: requestEmergencyReads, batch: true }),
  // A coordinator (naming who goes), or an operator on call for themselves (issue 9).
  'emergency.accept': define({ args: EmergencyAcceptArgs, roles: ['provider', 'operator'], apply: acceptEmergency, reads: acceptEmergencyReads, batch: true }),
  'emergency.cancel': define({ args: EmergencyCancelArgs, roles: ['parent'], apply: cancelEmergency, reads: cancelEmergencyReads, batch: true }),
  // The winner's coordinator, or the operator assigned (recorded as `deliveredBy`); settles the voucher.
  'emergency.deliver': define({
    args: EmergencyDeliverArgs, roles: ['provider', 'operator'], apply: deliverEmergency, reads: deliverEmergencyReads, batch: true,
  }),
  // Propose another time (issue 9, proposal.mutators.ts). Accepting locks two sessions, in id order by
  // the rule itself (not from its declared reads alone), so it is decided in a transaction of its own.
  'booking.propose': define({ args: BookingProposeArgs, roles: ['provider'], apply: proposeTime, reads: proposeReads, batch: true }),
  'booking.acceptProposal': define({ args: BookingProposalAnswerArgs, roles: ['parent'], apply: acceptProposal, reads: acceptProposalReads }),
  'booking.declineProposal': define({ args: BookingProposalAnswerArgs, roles: ['parent'], apply: declineProposal, reads: declineProposalReads, batch: true }),
} as const

export type MutationName = keyof typeof mutators
export type MutationArgs<N extends MutationName> = z.infer<(typeof mutators)[N]['args']>
export const MUTATION_NAMES = Object.keys(mutators) as MutationName[]

const SAFE_NAME = /^[A-Za-z0-9._-]{1,64}$/

export const isMutationName = (name: string): name is MutationName => Object.hasOwn(mutators, name)

/** Does this mutation take part in group commit? (Unknown names are refused alone, at once.) */
export const isBatched = (name: string, args?: unknown): boolean => {
  if (!isMutationName(name)) return false
  const m = mutators[name] as Mutator<unknown>
  if (m.batch !== true) return false
  return !m.alone?.(args)
}

export interface Prepared {
  mutator: Mutator<unknown>
  args: unknown
}

/**
 * Parse one named mutation for `actor`. Unknown names and bad args are refused `validation`, a role
 * that may not run it `forbidden`.
 */
export function prepareMutation(name: string, rawArgs: unknown, actor: Actor): Result<Prepared> {
  // The name is echoed only when it looks like one: it is stored with the result (jsonb, no NUL).
  if (!isMutationName(name)) return refuse('validation', { reason: 'unknown-mutation', ...(SAFE_NAME.test(name) ? { name } : {}) })
  const m = mutators[name] as Mutator<unknown>
  const parsed = m.args.safeParse(rawArgs)
  if (!parsed.success) return refuse('validation', { issues: z.treeifyError(parsed.error) })
  if (!m.roles.includes(actor.role)) return refuse('forbidden', { role: actor.role })
  return ok({ mutator: m, args: parsed.data })
}

/** Run a prepared mutation. */
export async function applyPrepared(store: MutatorStore, p: Prepared, ctx: MutationContext): Promise<Result<void>> {
  const result = await p.mutator.apply(store, p.args, ctx)
  return result.ok ? ok(undefined) : result
}

/** Parse and run one named mutation; the mutator decides. */
export async function runMutation(store: MutatorStore, name: string, rawArgs: unknown, ctx: MutationContext): Promise<Result<void>> {
  const prepared = prepareMutation(name, rawArgs, ctx.actor)
  return prepared.ok ? applyPrepared(store, prepared.value, ctx) : prepared
}
