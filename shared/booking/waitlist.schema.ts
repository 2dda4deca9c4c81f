/**
 * A place on a full session's waiting list ("avvisami se si libera un posto"): one child, one session,
 * the quantity the family would book. When a place frees (a cancel, a decline, the provider raising
 * the places) the first entry still `waiting` whose voucher covers it becomes a booking request in the
 * same transaction (`promoted`, with the booking's id: the entry's own id); the others keep their turn.
 * A closed session closes its entries (`closed`); the family may leave (`left`). An entry still waiting
 * when its session starts ends (`expired`: no place freed in time), written by the server's sweep
 * (services/waitlist/expire.ts) and shown so by the phone from the session's start (waitlist.rules.ts).
 * `familyId`, `serviceId` and `providerId` are copied from the child and the session so the row knows
 * its spaces and the phone can show it without the session.
 */
import { z } from 'zod'
import { Id, IsoDateTime } from '../ids.ts'

export const WAITLIST_STATUSES = ['waiting', 'promoted', 'left', 'closed', 'expired'] as const
export const WaitlistStatus = z.enum(WAITLIST_STATUSES)
export type WaitlistStatus = z.infer<typeof WaitlistStatus>

export const WaitlistEntry = z.object({
  id: Id,
  childId: Id,
  familyId: Id,
  sessionId: Id,
  serviceId: Id,
  providerId: Id,
  quantity: z.number().int().positive(),
  status: WaitlistStatus,
  /** The booking the entry became (promoted), else null. */
  bookingId: Id.nullable(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
})
export type WaitlistEntry = z.infer<typeof WaitlistEntry>
