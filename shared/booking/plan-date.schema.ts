/**
 * One date of a recurring plan item, as the server decided it (issue 10): booked (the booking's id) or
 * skipped with the reason (a rejection code and, where it has one, the reason's key). Written with the
 * plan's bookings in the same transaction (booking.mutators requestSeries), so every phone of the
 * family shows the same outcome, with the reasons of the moment the dates were decided (not the
 * session and voucher as a phone sees them later). The id is the booking id the date has or would
 * have had (recurrence.rules planBookingId). Only the family receives it.
 */
import { z } from 'zod'
import { Id, IsoDateTime } from '../ids.ts'

export const PlanDateRow = z.object({
  id: Id,
  planId: Id,
  familyId: Id,
  childId: Id,
  sessionId: Id,
  startsAt: IsoDateTime,
  bookingId: Id.nullable(),
  code: z.string().max(40).nullable(),
  reason: z.string().max(40).nullable(),
  createdAt: IsoDateTime,
})
export type PlanDateRow = z.infer<typeof PlanDateRow>
