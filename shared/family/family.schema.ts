import { z } from 'zod'
import { Id, IsoDate, IsoDateTime } from '../ids.ts'

export const Family = z.object({ id: Id, programId: Id, name: z.string() })
export type Family = z.infer<typeof Family>

/** A child's note (allergies, what the provider must know): short, the family's own words. */
export const CHILD_NOTE_MAX_LENGTH = 500

export const Child = z.object({
  id: Id,
  familyId: Id,
  firstName: z.string().trim().min(1).max(60),
  birthDate: IsoDate,
  /**
   * Needs that decide which services the child may use (needs.rules.ts): set by the office from the
   * application (a disability; DSA/ADHD), never by the phone. Null: none declared.
   */
  disability: z.boolean().nullish(),
  dsa: z.boolean().nullish(),
  /** Allergies and what a carer must know; the family's only (the provider reads a booking's own note). */
  note: z.string().max(CHILD_NOTE_MAX_LENGTH).nullish(),
})
export type Child = z.infer<typeof Child>

/** What a history entry records (issue 10: every change of a child is kept, visible to the family). */
export const CHILD_FIELDS = ['added', 'firstName', 'birthDate', 'note'] as const
export type ChildField = (typeof CHILD_FIELDS)[number]

/**
 * One change of a child: `added` (its first name and birth date as typed), a corrected name or note,
 * a birth date (by the parent while no voucher decides eligibility, by an officer's approval after).
 */
export const ChildChange = z.object({
  id: Id,
  childId: Id,
  familyId: Id,
  field: z.enum(CHILD_FIELDS),
  before: z.string().nullable(),
  after: z.string().nullable(),
  changedAt: IsoDateTime,
  changedBy: z.enum(['parent', 'officer']),
  /** The birth-date request an officer approved, if that is how the change came. */
  requestId: Id.nullable(),
})
export type ChildChange = z.infer<typeof ChildChange>

export const BIRTH_DATE_REQUEST_STATUSES = ['pending', 'approved', 'rejected'] as const
/**
 * A birth date the family asks the office to set: once a voucher exists the birth date decides
 * eligibility, so the phone cannot change it; an officer approves (the child changes, the history keeps
 * it) or rejects with a reason.
 */
export const BirthDateRequest = z.object({
  id: Id,
  childId: Id,
  familyId: Id,
  programId: Id,
  birthDate: IsoDate,
  previousBirthDate: IsoDate,
  status: z.enum(BIRTH_DATE_REQUEST_STATUSES),
  requestedAt: IsoDateTime,
  decidedAt: IsoDateTime.nullable(),
  reason: z.string().max(500).nullable(),
})
export type BirthDateRequest = z.infer<typeof BirthDateRequest>
