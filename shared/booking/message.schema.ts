/**
 * A message of a booking's thread ("agree the details with the provider"): written by the family or
 * the provider of that booking, pulled by both and by no one else. `familyId` and `providerId` are the
 * booking's, copied so the row knows its own spaces.
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
  body: z.string().min(1).max(MESSAGE_MAX_LENGTH),
  createdAt: IsoDateTime,
})
export type Message = z.infer<typeof Message>
