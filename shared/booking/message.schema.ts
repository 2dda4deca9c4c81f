/**
 * A message of a booking's thread ("agree the details with the provider"): written by the family or
 * the provider of that booking (its coordinator or the operator assigned to it), pulled by the family,
 * the provider and that operator, by no one else. `familyId`, `providerId` and `operatorId` are the
 * booking's, copied so the row knows its own spaces (a booking's assignment re-copies `operatorId`
 * onto its messages: booking.confirm). `writtenBy` is which person wrote it (`personOf`, shared/actor.ts):
 * `operator:<id>` or `person:<codeId>`; an operator writes on the provider's side (`authorRole` provider).
 */
import { z } from 'zod'
import { Id, IsoDateTime } from '../ids.ts'
import { MESSAGE_MAX_LENGTH } from '../limits.ts'

export { MESSAGE_MAX_LENGTH }

export const Message = z.object({
  id: Id,
  bookingId: Id,
  familyId: Id,
  providerId: Id,
  authorRole: z.enum(['parent', 'provider']),
  /** The operator assigned to the booking (the thread is theirs to read too), null while none is. */
  operatorId: Id.nullable(),
  /** Which person wrote it: `operator:<operatorId>` or `person:<codeId>`; null when unknown (rows before 0020). */
  writtenBy: z.string().max(80).nullable(),
  body: z.string().min(1).max(MESSAGE_MAX_LENGTH),
  createdAt: IsoDateTime,
})
export type Message = z.infer<typeof Message>
