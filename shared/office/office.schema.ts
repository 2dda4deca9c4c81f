/**
 * The office's requests and answers (architecture.md, "Office API"), as zod schemas both sides use:
 * the server reads requests and builds answers typed by them, the officer's screen parses what
 * arrives with them instead of trusting JSON. Answers are plain objects (unknown keys dropped): a
 * newer server may add fields, an older screen still reads the ones it knows. Every amount in cents.
 * How the coming office commands fit here: docs/office-commands.md.
 */
import { z } from 'zod'
import { ErrorAnswer } from '../error-answer.ts'
import { Id, IsoDate } from '../ids.ts'

const amount = z.number().int().nonnegative()

/** GET /api/office/liquidation?from=&to=[&format=csv] */
export const LiquidationQuery = z
  .object({ from: IsoDate, to: IsoDate, format: z.enum(['json', 'csv']).default('json') })
  .refine((q) => q.from <= q.to, { message: 'from must not be after to', path: ['to'] })

/** One provider's line: delivered bookings in the period and the voucher-covered amount owed. */
export const LiquidationRow = z.object({ providerId: z.string(), name: z.string(), deliveredCount: amount, amountCents: amount })
export type LiquidationRow = z.infer<typeof LiquidationRow>

/** The liquidation's answer: what the program owes each provider for the period (`from`..`to`, days). */
export const LiquidationReport = z.object({
  programId: z.string(),
  from: IsoDate,
  to: IsoDate,
  providers: z.array(LiquidationRow),
  totalCents: amount,
})
export type LiquidationReport = z.infer<typeof LiquidationReport>

/** POST /api/office/codes/revoke: one code by its text, a family's codes or a provider's. */
export const RevokeRequest = z.union([
  z.strictObject({ code: z.string().trim().min(3).max(64) }),
  z.strictObject({ familyId: Id }),
  z.strictObject({ providerId: Id }),
])
export type RevokeRequest = z.infer<typeof RevokeRequest>

/** The revocation's answer. */
export const RevokeAnswer = z.object({
  /** Codes revoked now (0 when they already were). */
  revokedCodes: amount,
  /** Tokens revoked now, over all those codes. */
  revokedTokens: amount,
})
export type RevokeAnswer = z.infer<typeof RevokeAnswer>

/** An office route's error: the one envelope of every route (shared/errors.ts), nothing office-only. */
export const OfficeError = ErrorAnswer
export type OfficeError = ErrorAnswer
