/** Argument schemas of the mutations (contract names; extra optional fields are extensions). */
import { z } from 'zod'
import { MESSAGE_MAX_LENGTH } from '../booking/message.schema.ts'
import { CHILD_NOTE_MAX_LENGTH } from '../family/family.schema.ts'
import { ADDRESS_MAX_LENGTH, EMERGENCY_NOTE_MAX_LENGTH } from '../emergency/emergency.schema.ts'
import { Cents, Id, IsoDate, IsoDateTime, Text } from '../ids.ts'
import { OPERATOR_TRACKS } from '../catalogue/catalogue.schema.ts'
import { parseOnCallWindows } from '../provider/operators.rules.ts'
import { PHONE_MAX_LENGTH } from '../limits.ts'
import { isPhone } from '../phone.ts'

// Reading args not validated yet (no zod: the phone's first screen uses them): arg-readers.ts, which
// imports this file's types only; re-exporting its readers here made an import circle.

export const BookingRequestArgs = z.object({
  bookingId: Id,
  childId: Id,
  sessionId: Id,
  quantity: z.number().int().min(1).max(1000),
  note: Text(500).optional(),
  /** Where the service happens, for at-home services (kept only for those): the provider's and the operator's. */
  address: Text(200).trim().optional(),
  /** The unit price the phone showed; if the server's differs the request is refused `price-changed`. */
  expectedUnitPriceCents: z.number().int().nonnegative().optional(),
  /**
   * A recurring plan item (extension): this session and the same service's sessions of the same
   * provider, at the same time, on these ISO weekdays (1 = Monday) until this day; the server decides
   * each date (booking/recurrence.rules.ts). The other dates' booking ids are this id plus `_YYYYMMDD`.
   */
  recurrence: z.object({
    weekdays: z.array(z.number().int().min(1).max(7)).min(1).max(7),
    until: IsoDate,
  }).optional(),
}).refine((a) => !a.recurrence || a.bookingId.length <= 55, { message: 'a recurring plan item\'s id has at most 55 characters', path: ['bookingId'] })
/** A child joins a full session's waiting list (the quantity it would book). */
export const WaitlistJoinArgs = z.object({
  entryId: Id,
  childId: Id,
  sessionId: Id,
  quantity: z.number().int().min(1).max(1000),
})
export const WaitlistLeaveArgs = z.object({ entryId: Id })
export type WaitlistJoinArgs = z.infer<typeof WaitlistJoinArgs>
export type WaitlistLeaveArgs = z.infer<typeof WaitlistLeaveArgs>
export const BookingCancelArgs = z.object({ bookingId: Id })
/** The provider proposes another of its sessions for a requested order (proposal.mutators.ts). */
export const BookingProposeArgs = z.object({ bookingId: Id, sessionId: Id, note: Text(500).trim().optional() })
/** The family's answer to a proposal: booking.acceptProposal / booking.declineProposal. */
export const BookingProposalAnswerArgs = z.object({ bookingId: Id })
/** A live booking's new quantity (instead of a second booking of the same session for the same child). */
export const BookingChangeQuantityArgs = z.object({
  bookingId: Id,
  quantity: z.number().int().min(1).max(1000),
})
export const BookingConfirmArgs = z.object({ bookingId: Id, operatorId: Id.optional() })
export const BookingDeclineArgs = z.object({ bookingId: Id, reason: Text(500).trim().min(1) })
/**
 * Delivery (extended, never narrowed): `deliveredQuantity` (≤ the booked quantity; default: all of
 * it) or `noShow: true`; `deliveredAt` within the session (default: now, kept within it).
 */
export const BookingDeliverArgs = z
  .object({
    bookingId: Id,
    deliveredAt: IsoDateTime.optional(),
    deliveredQuantity: z.number().int().min(1).max(1000).optional(),
    noShow: z.literal(true).optional(),
  })
  .refine((a) => !(a.noShow && a.deliveredQuantity !== undefined), { message: 'noShow and deliveredQuantity exclude each other', path: ['noShow'] })
/**
 * A child added or corrected. `note`: allergies and the like (absent: kept as it is; null or empty:
 * removed). `changeId`: names this change in the child's history (ids `<changeId>:<field>`); older
 * phones send none and the history then uses `<childId>:<time>`.
 */
export const ChildUpsertArgs = z.object({
  childId: Id,
  firstName: Text(60).trim().min(1),
  birthDate: IsoDate,
  note: Text(CHILD_NOTE_MAX_LENGTH).trim().nullable().optional(),
  changeId: Id.max(48).optional(),
})
/** A birth date asked of the office (once a voucher exists the phone cannot change it). */
export const ChildRequestBirthDateArgs = z.object({ requestId: Id, childId: Id, birthDate: IsoDate })
/** A message in a booking's thread, by its family or its provider. */
export const MessageSendArgs = z.object({
  messageId: Id,
  bookingId: Id,
  body: Text(MESSAGE_MAX_LENGTH).trim().min(1),
})
/** A provider closes one of its sessions; every open booking is declined with this reason. */
export const SessionCloseArgs = z.object({ sessionId: Id, reason: Text(500).trim().min(1) })

/** A provider adds a session of a program's service (its own provider and territory). */
export const SessionCreateArgs = z.object({
  sessionId: Id,
  serviceId: Id,
  startsAt: IsoDateTime,
  endsAt: IsoDateTime,
  places: z.number().int().min(1).max(500),
  unitPriceCents: Cents,
  unitsMax: z.number().int().min(1).max(1000),
})
/** A provider edits one of its sessions: only the fields given change (rules: session-edit.rules.ts). */
export const SessionUpdateArgs = z.object({
  sessionId: Id,
  startsAt: IsoDateTime.optional(),
  endsAt: IsoDateTime.optional(),
  places: z.number().int().min(0).max(500).optional(),
  unitPriceCents: Cents.optional(),
  unitsMax: z.number().int().min(1).max(1000).optional(),
})

/** A coordinator adds or edits one of its operators (their code is issued online: /api/provider). */
export const OperatorUpsertArgs = z.object({
  operatorId: Id,
  name: Text(100).trim().min(1),
  track: z.enum(OPERATOR_TRACKS).nullable(),
  qualifications: Text(500).trim(),
  takesMildlyIll: z.boolean(),
  onCall: z.boolean(),
  onCallWindows: Text(200).trim().refine((t) => parseOnCallWindows(t) !== null, 'on-call windows: e.g. "1-5 05:30-14:00; 6 07:00-13:00"'),
  /** Extension (0028): the work phone ('' removes it; absent: kept as it was, for a phone not yet updated). */
  phone: Text(PHONE_MAX_LENGTH).trim().refine((t) => t === '' || isPhone(t), 'phone: digits, spaces, dots or dashes, e.g. "+39 347 300 1000"').optional(),
})
export type OperatorUpsertArgs = z.infer<typeof OperatorUpsertArgs>
export type SessionCreateArgs = z.infer<typeof SessionCreateArgs>
export type SessionUpdateArgs = z.infer<typeof SessionUpdateArgs>
/** emergency.request: contract {requestId, childId, startsAt, endsAt, address?, note?}; the rest are extensions. */
export const EmergencyRequestArgs = z.object({
  requestId: Id,
  childId: Id,
  startsAt: IsoDateTime,
  endsAt: IsoDateTime,
  address: Text(ADDRESS_MAX_LENGTH).trim().optional(),
  note: Text(EMERGENCY_NOTE_MAX_LENGTH).trim().optional(),
  /** "Tell me by" (default: one hour before the start, see emergency.rules.ts `defaultDeadline`). */
  deadlineAt: IsoDateTime.optional(),
  /** Where the sitter is needed (default: the family's last request's, else its bookings', else the program's first). */
  territoryId: Id.optional(),
})
export const EmergencyAcceptArgs = z.object({ requestId: Id, operatorId: Id.optional() })
export const EmergencyCancelArgs = z.object({ requestId: Id })
/**
 * emergency.deliver (the winner's coordinator or the assigned operator): `deliveredHours` (whole hours,
 * at most the hours begun of the request; default: all of them) or `noShow: true`; `deliveredAt`
 * within the request's time (default: now, kept within it).
 */
export const EmergencyDeliverArgs = z
  .object({
    requestId: Id,
    deliveredAt: IsoDateTime.optional(),
    deliveredHours: z.number().int().min(1).max(24).optional(),
    noShow: z.literal(true).optional(),
  })
  .refine((a) => !(a.noShow && a.deliveredHours !== undefined), { message: 'noShow and deliveredHours exclude each other', path: ['noShow'] })

export type EmergencyRequestArgs = z.infer<typeof EmergencyRequestArgs>
export type EmergencyAcceptArgs = z.infer<typeof EmergencyAcceptArgs>
export type EmergencyCancelArgs = z.infer<typeof EmergencyCancelArgs>
export type EmergencyDeliverArgs = z.infer<typeof EmergencyDeliverArgs>
export type BookingRequestArgs = z.infer<typeof BookingRequestArgs>
export type BookingCancelArgs = z.infer<typeof BookingCancelArgs>
export type BookingProposeArgs = z.infer<typeof BookingProposeArgs>
export type BookingProposalAnswerArgs = z.infer<typeof BookingProposalAnswerArgs>
export type BookingChangeQuantityArgs = z.infer<typeof BookingChangeQuantityArgs>
export type BookingConfirmArgs = z.infer<typeof BookingConfirmArgs>
export type BookingDeclineArgs = z.infer<typeof BookingDeclineArgs>
export type BookingDeliverArgs = z.infer<typeof BookingDeliverArgs>
export type ChildUpsertArgs = z.infer<typeof ChildUpsertArgs>
export type ChildRequestBirthDateArgs = z.infer<typeof ChildRequestBirthDateArgs>
export type SessionCloseArgs = z.infer<typeof SessionCloseArgs>
export type MessageSendArgs = z.infer<typeof MessageSendArgs>
