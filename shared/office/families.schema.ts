/**
 * A family's data for the office (GDPR access and erasure requests, issue 11):
 * GET /api/office/families/:id/export → everything the platform holds about the family;
 * POST /api/office/families/:id/erase → the family pseudonymised, keeping what the accounts must keep.
 */
import { z } from 'zod'
import { Id } from '../ids.ts'

export const FamilyParams = z.object({ id: Id })

const rows = z.array(z.record(z.string(), z.unknown()))

/** The export: the family's rows as stored, by table (ids, amounts and dates included). */
export const FamilyExport = z.object({
  exportedAt: z.string(),
  family: z.record(z.string(), z.unknown()),
  children: rows,
  vouchers: rows,
  ledger: rows,
  bookings: rows,
  messages: rows,
  devices: rows,
  emergencyRequests: rows,
  applications: rows,
  pushSubscriptions: rows,
  calendarFeeds: rows,
  /** Issue 10: the children's history, the birth dates asked of the office, the erasure requests. */
  childChanges: rows,
  birthDateRequests: rows,
  erasureRequests: rows,
  /** The waiting lists the family joined, and its recurring plans' dates as the server decided them. */
  waitlistEntries: rows,
  planDates: rows,
})
export type FamilyExport = z.infer<typeof FamilyExport>

export const EraseAnswer = z.object({
  familyId: z.string(),
  erasedAt: z.string(),
  children: z.number().int().nonnegative(),
  bookings: z.number().int().nonnegative(),
  messagesDeleted: z.number().int().nonnegative(),
  tokensRevoked: z.number().int().nonnegative(),
  /** Also covered (sync-server/src/services/office/erasure.ts classifies every column). */
  emergencyRequests: z.number().int().nonnegative(),
  applications: z.number().int().nonnegative(),
  pushSubscriptionsDeleted: z.number().int().nonnegative(),
  calendarFeedsDeleted: z.number().int().nonnegative(),
})
export type EraseAnswer = z.infer<typeof EraseAnswer>

/**
 * POST /api/office/families/:id/reissue-code: the family's codes and devices revoked, a new code issued
 * (60 random bits, shown once here and on the call's letter). `applications`: the family's funded
 * applications whose letter now carries the new code.
 */
export const ReissueCodeAnswer = z.object({
  familyId: z.string(),
  codeId: z.string(),
  code: z.string(),
  codesRevoked: z.number().int().nonnegative(),
  tokensRevoked: z.number().int().nonnegative(),
  applications: z.number().int().nonnegative(),
})
export type ReissueCodeAnswer = z.infer<typeof ReissueCodeAnswer>

/** The names an erased family's rows carry instead of its own (what the accounts still show). */
export const ERASED = { familyName: 'Famiglia cancellata', childName: 'Bambino/a' } as const
