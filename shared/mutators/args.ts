/** Argument schemas of the mutations (contract names; extra optional fields are extensions). */
import { z } from 'zod'
import { Id, IsoDate, IsoDateTime } from '../ids.ts'

export const BookingRequestArgs = z.object({
  bookingId: Id,
  childId: Id,
  sessionId: Id,
  quantity: z.number().int().min(1).max(1000),
  note: z.string().max(500).optional(),
  /** The unit price the phone showed; if the server's differs the request is refused `price-changed`. */
  expectedUnitPriceCents: z.number().int().nonnegative().optional(),
})
export const BookingCancelArgs = z.object({ bookingId: Id })
export const BookingConfirmArgs = z.object({ bookingId: Id, operatorId: Id.optional() })
export const BookingDeclineArgs = z.object({ bookingId: Id, reason: z.string().trim().min(1).max(500) })
export const BookingDeliverArgs = z.object({ bookingId: Id, deliveredAt: IsoDateTime.optional() })
export const ChildUpsertArgs = z.object({
  childId: Id,
  firstName: z.string().trim().min(1).max(60),
  birthDate: IsoDate,
})

export type BookingRequestArgs = z.infer<typeof BookingRequestArgs>
export type BookingCancelArgs = z.infer<typeof BookingCancelArgs>
export type BookingConfirmArgs = z.infer<typeof BookingConfirmArgs>
export type BookingDeclineArgs = z.infer<typeof BookingDeclineArgs>
export type BookingDeliverArgs = z.infer<typeof BookingDeliverArgs>
export type ChildUpsertArgs = z.infer<typeof ChildUpsertArgs>
