/**
 * message.send: the family or the provider of a booking adds a message to its thread ("agree the
 * details with the provider"). Written on the phone offline like any mutation; the server checks the
 * author is the booking's family, its provider, or the operator assigned to it (issue 9: operators read
 * and answer their assignments' threads, on the provider's side). Any status: a family may still write
 * after a decline. The message records which person wrote it (`writtenBy`).
 */
import { personOf } from '../actor.ts'
import type { Message } from '../booking/message.schema.ts'
import { ok, refuse, type Result } from '../result.ts'
import type { MessageSendArgs } from './args.ts'
import type { Actor, MutationContext, MutatorStore, Read } from './store.ts'

export const sendMessageReads = (a: MessageSendArgs, _actor: Actor): Read[] => [
  { entity: 'booking', id: a.bookingId },
  { entity: 'message', id: a.messageId },
]

export async function sendMessage(store: MutatorStore, args: MessageSendArgs, { actor, now }: MutationContext): Promise<Result<void>> {
  const booking = await store.get('booking', args.bookingId)
  if (!booking) return refuse('not-found', { entity: 'booking', id: args.bookingId })
  const mine = actor.role === 'parent'
    ? booking.familyId === actor.familyId
    : actor.role === 'operator'
      ? booking.providerId === actor.providerId && !!actor.operatorId && booking.operatorId === actor.operatorId
      : actor.role === 'provider' && booking.providerId === actor.providerId
  if (!mine) return refuse('forbidden')
  if (await store.get('message', args.messageId)) return refuse('invalid-state', { reason: 'message-exists' })
  const message: Message = {
    id: args.messageId,
    bookingId: booking.id,
    familyId: booking.familyId,
    providerId: booking.providerId,
    authorRole: actor.role === 'parent' ? 'parent' : 'provider',
    operatorId: booking.operatorId,
    writtenBy: personOf(actor),
    body: args.body,
    createdAt: now,
  }
  await store.insert('message', message)
  return ok(undefined)
}

/**
 * A booking's messages follow its assignment: the operator assigned now reads the thread (from its
 * start), one assigned before no longer does (the registry's spaces; the old space gets a deletion).
 * Called where a booking's `operatorId` changes, under the booking's lock, which `sendMessage` takes too.
 */
export async function moveThread(store: MutatorStore, bookingId: string, operatorId: string | null): Promise<void> {
  for (const m of await store.find('message', 'ofBooking', [bookingId])) {
    if (m.operatorId !== operatorId) await store.update('message', { ...m, operatorId })
  }
}
