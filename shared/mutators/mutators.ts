/**
 * The named commands both sides run: optimistically on the phone, authoritatively on the server
 * (whose answer wins). Names and args are contract (architecture.md): extend, never rename.
 * Each mutator re-parses its args with the same zod schema on both sides.
 */
import { z } from 'zod'
import {
  BookingCancelArgs,
  BookingConfirmArgs,
  BookingDeclineArgs,
  BookingDeliverArgs,
  BookingRequestArgs,
  ChildUpsertArgs,
  SessionCloseArgs,
} from './args.ts'
import type { Result } from '../result.ts'
import { ok, refuse } from '../result.ts'
import type { MutationContext, MutatorStore, Role } from './store.ts'
import { cancelBooking, confirmBooking, declineBooking, deliverBooking, requestBooking } from './booking.mutators.ts'
import { upsertChild } from './child.mutators.ts'
import { closeSession } from './session.mutators.ts'

export interface Mutator<A> {
  args: z.ZodType<A>
  roles: readonly Role[]
  apply(store: MutatorStore, args: A, ctx: MutationContext): Promise<Result<void>>
}

const define = <A>(m: Mutator<A>): Mutator<A> => m

export const mutators = {
  'booking.request': define({ args: BookingRequestArgs, roles: ['parent'], apply: requestBooking }),
  'booking.cancel': define({ args: BookingCancelArgs, roles: ['parent'], apply: cancelBooking }),
  'booking.confirm': define({ args: BookingConfirmArgs, roles: ['provider'], apply: confirmBooking }),
  'booking.decline': define({ args: BookingDeclineArgs, roles: ['provider'], apply: declineBooking }),
  'booking.deliver': define({ args: BookingDeliverArgs, roles: ['provider'], apply: deliverBooking }),
  'child.upsert': define({ args: ChildUpsertArgs, roles: ['parent'], apply: upsertChild }),
  'session.close': define({ args: SessionCloseArgs, roles: ['provider'], apply: closeSession }),
} as const

export type MutationName = keyof typeof mutators
export type MutationArgs<N extends MutationName> = z.infer<(typeof mutators)[N]['args']>
export const MUTATION_NAMES = Object.keys(mutators) as MutationName[]

const SAFE_NAME = /^[A-Za-z0-9._-]{1,64}$/

export const isMutationName = (name: string): name is MutationName => Object.hasOwn(mutators, name)

/**
 * Parse and run one named mutation. Unknown names and bad args are refused `validation`,
 * a role that may not run it `forbidden`; otherwise the mutator decides.
 */
export async function runMutation(
  store: MutatorStore,
  name: string,
  rawArgs: unknown,
  ctx: MutationContext,
): Promise<Result<void>> {
  // The name is echoed only when it looks like one: it is stored with the result (jsonb, no NUL).
  if (!isMutationName(name)) return refuse('validation', { reason: 'unknown-mutation', ...(SAFE_NAME.test(name) ? { name } : {}) })
  const m = mutators[name] as Mutator<unknown>
  const parsed = m.args.safeParse(rawArgs)
  if (!parsed.success) return refuse('validation', { issues: z.treeifyError(parsed.error) })
  if (!m.roles.includes(ctx.actor.role)) return refuse('forbidden', { role: ctx.actor.role })
  const result = await m.apply(store, parsed.data, ctx)
  return result.ok ? ok(undefined) : result
}
