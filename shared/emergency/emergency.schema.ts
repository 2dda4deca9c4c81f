/**
 * An emergency babysitting request (issue 9): a parent asks for a sitter at home for a sick child,
 * often before an early shift. Contract fields (architecture.md): {id, familyId, childId, startsAt,
 * endsAt, deadlineAt, status, providerId?, operatorId?, acceptedAt?}; the rest are extensions.
 *
 * Who sees it (registry `spaces`): the family always; the program office (no address, no note); while
 * open, the family's usual cooperative during its head start (`stage: 'usual'`), then every eligible
 * cooperative of the territory (`stage: 'territory'`); once accepted, only the winner of the providers.
 */
import { z } from 'zod'
import { Cents, Id, IsoDate, IsoDateTime } from '../ids.ts'
import { ADDRESS_MAX_LENGTH, EMERGENCY_NOTE_MAX_LENGTH } from '../limits.ts'

export const EMERGENCY_STATUSES = ['open', 'accepted', 'cancelled', 'expired', 'delivered'] as const
export const EmergencyStatus = z.enum(EMERGENCY_STATUSES)
export type EmergencyStatus = z.infer<typeof EmergencyStatus>

/** Who is asked now: the family's usual cooperative alone (its head start), then the whole territory. */
export const EmergencyStage = z.enum(['usual', 'territory'])
export type EmergencyStage = z.infer<typeof EmergencyStage>

export { ADDRESS_MAX_LENGTH, EMERGENCY_NOTE_MAX_LENGTH }

export const EmergencyRequest = z.object({
  id: Id,
  familyId: Id,
  childId: Id,
  programId: Id,
  territoryId: Id,
  startsAt: IsoDateTime,
  endsAt: IsoDateTime,
  /** "Tell me by": past it with no one, the request expires and its hold is released. */
  deadlineAt: IsoDateTime,
  status: EmergencyStatus,
  providerId: Id.nullable(),
  operatorId: Id.nullable(),
  /** The assigned operator's name, copied on acceptance: the family sees who comes, never a staff list. */
  operatorName: z.string().nullable(),
  /**
   * How the family reaches who comes: the operator's work phone, copied on acceptance like the name
   * (and kept in step when the coordinator corrects it). Null: none given, or not decided yet (0028).
   */
  contactPhone: z.string().nullish(),
  acceptedAt: IsoDateTime.nullable(),
  /** Where the sitter goes, and what they need to know (symptoms, medicine, keys): not for the office. */
  address: z.string().max(ADDRESS_MAX_LENGTH).nullable(),
  note: z.string().max(EMERGENCY_NOTE_MAX_LENGTH).nullable(),
  /** Who and how old: what a cooperative needs to decide, copied so the row carries it. */
  familyName: z.string(),
  childFirstName: z.string(),
  childBirthDate: IsoDate,
  voucherId: Id,
  /** Estimated cost (hours × the program's hourly rate) and the voucher's share of it, held while open. */
  estimatedCents: Cents,
  heldCents: Cents,
  stage: EmergencyStage,
  usualProviderId: Id.nullable(),
  /**
   * The family's usual operator at the usual cooperative (who went last time, or served the child's
   * last at-home babysitting there): asked first with the cooperative, and proposed when it accepts.
   */
  usualOperatorId: Id.nullable(),
  headStartEndsAt: IsoDateTime.nullable(),
  /** Cooperatives whose phones have received it while open ("seen by N"). */
  seenCount: z.number().int().nonnegative(),
  /**
   * The delivery (`emergency.deliver`, columns since 0013): when, the hours actually delivered (0 for
   * a no-show), who recorded it (`operator:<id>` / `person:<codeId>`, the provider's business), and
   * the voucher share it spent (the rest of the hold went back). Null until delivered.
   */
  deliveredAt: IsoDateTime.nullable(),
  deliveredHours: z.number().int().min(0).max(24).nullable(),
  noShow: z.boolean(),
  deliveredBy: z.string().nullable(),
  spentCents: Cents.nullable(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
})
export type EmergencyRequest = z.infer<typeof EmergencyRequest>
