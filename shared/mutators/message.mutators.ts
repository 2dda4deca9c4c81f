/**
 * message.send: the family or the provider of a booking adds a message to its thread ("agree the
 * details with the provider"). Written on the phone offline like any mutation; the server checks the
 * author is the booking's family or provider. Any status: a family may still write after a decline.
 */
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
  const mine = actor.role === 'parent' ? booking.familyId === actor.familyId : actor.role === 'provider' && booking.providerId === actor.providerId
  if (!mine) return refuse('forbidden')
  if (await store.get('message', args.messageId)) return refuse('invalid-state', { reason: 'message-exists' })
  const message: Message = {
    id: args.messageId,
    bookingId: booking.id,
    familyId: booking.familyId,
    providerId: booking.providerId,
    authorRole: actor.role === 'parent' ? 'parent' : 'provider',
    body: args.body,
    createdAt: now,
  }
  await store.insert('message', message)
  return ok(undefined)
}
