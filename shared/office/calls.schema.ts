/**
 * Calls for applications, their applications, the ranking and the assignment (architecture.md,
 * "Office API": contract). Requests are read with these schemas by the routes; answers are built
 * typed by them and parsed by the officer's screen. Every amount in cents. The rules that rank and
 * assign: ranking.rules.ts; how office commands are built: docs/office-commands.md.
 */
import { z } from 'zod'
import { Cents, Id, IsoDate, IsoDateTime, Text } from '../ids.ts'

const points = z.number().int().min(0).max(1000)
const count = z.number().int().nonnegative()
const name = (max: number) => Text(max).trim().min(1)

/** Points of each criterion (higher score first). */
export const Points = z.object({
  perChild: points,
  disabledChild: points,
  dsaChild: points,
  householdFragility: points,
  shiftWorker: points,
})
export type Points = z.infer<typeof Points>

/**
 * `strict`: assignment stops at the first family whose vouchers no longer fit the budget left;
 * `fill`: that family is skipped, later ones that fit are funded.
 */
export const Policy = z.enum(['strict', 'fill'])
export type Policy = z.infer<typeof Policy>

/** POST /api/office/calls */
export const CreateCallRequest = z
  .object({
    name: name(160),
    budgetCents: Cents,
    voucherCents: Cents.refine((c) => c > 0, 'voucherCents must be more than 0'),
    opensAt: IsoDateTime,
    closesAt: IsoDateTime,
    policy: Policy,
    points: Points,
  })
  .refine((c) => Date.parse(c.opensAt) < Date.parse(c.closesAt), { message: 'closesAt must be after opensAt', path: ['closesAt'] })
export type CreateCallRequest = z.infer<typeof CreateCallRequest>

export const CreateCallAnswer = z.object({ id: Id })
export type CreateCallAnswer = z.infer<typeof CreateCallAnswer>

export const CallParams = z.object({ id: Id })

/** One child of an application. `dsa`: a specific learning disorder or ADHD. */
export const ApplicationChild = z.object({
  firstName: name(60),
  birthDate: IsoDate,
  disability: z.boolean(),
  dsa: z.boolean(),
})
export type ApplicationChild = z.infer<typeof ApplicationChild>

/** One family's application, as the office imports it (or a family submits it in the app). */
export const ApplicationInput = z.object({
  /** The office's own reference (e.g. the paper form's number); unique within a call. */
  externalRef: name(64).optional(),
  applicantName: name(120),
  employer: name(160).optional(),
  shiftWorker: z.boolean(),
  householdFragility: z.boolean(),
  /** Missing: ranked after every family with an ISEE, on equal score. */
  iseeCents: Cents.optional(),
  submittedAt: IsoDateTime,
  children: z.array(ApplicationChild).min(1).max(12),
})
export type ApplicationInput = z.infer<typeof ApplicationInput>

/** The most applications (or CSV rows) one import may carry; a bigger file is sent in parts. */
export const MAX_IMPORT_ROWS = 5000

/**
 * POST /api/office/calls/:id/applications as JSON. Each application is checked on its own (the
 * service parses it with `ApplicationInput`), so one bad application does not hide the others'.
 */
export const ImportRequest = z.object({ applications: z.array(z.unknown()).min(1).max(MAX_IMPORT_ROWS) })

/**
 * A row that was not imported (its message in Italian, for the office). `row`: the application's position in `applications` (from 1); in a
 * CSV file, the line (the header is line 1). `code`: `validation` (a field is wrong: `message` says
 * which) or `invalid-state` (its externalRef is already in the call, or twice in the file).
 */
export const ImportError = z.object({ row: z.number().int().positive(), code: z.string(), message: z.string() })
export type ImportError = z.infer<typeof ImportError>

export const ImportAnswer = z.object({ imported: count, errors: z.array(ImportError) })
export type ImportAnswer = z.infer<typeof ImportAnswer>

export const AssignAnswer = z.object({ funded: count, notFunded: count, assignedCents: count, budgetCents: count })
export type AssignAnswer = z.infer<typeof AssignAnswer>

/** The points a family scored, criterion by criterion (they add up to `score`). */
export const Breakdown = z.object({
  perChild: count,
  disabledChild: count,
  dsaChild: count,
  householdFragility: count,
  shiftWorker: count,
})
export type Breakdown = z.infer<typeof Breakdown>

/**
 * One line of the office's ranking. `voucherCents`: what the family was assigned (the call's
 * voucher × its eligible children; 0 when not funded). `activationCode`: the funded family's code,
 * for its letter, while the code is not revoked.
 */
export const RankingEntry = z.object({
  applicationId: Id,
  externalRef: z.string().optional(),
  protocol: z.string(),
  rank: z.number().int().positive(),
  score: count,
  breakdown: Breakdown,
  funded: z.boolean(),
  voucherCents: count,
  activationCode: z.string().optional(),
  /** Also for the office's screen (never in the published view). */
  applicantName: z.string().optional(),
  /** The family funded (or that applied in the app): the letters screen reissues its code. */
  familyId: z.string().optional(),
  eligibleChildren: count.optional(),
})
export type RankingEntry = z.infer<typeof RankingEntry>

/** GET /api/office/calls/:id/ranking (after the assignment; before it, `entries` is the provisional order). */
export const RankingAnswer = z.object({
  budgetCents: count,
  assignedCents: count,
  assigned: z.boolean().optional(),
  entries: z.array(RankingEntry),
})
export type RankingAnswer = z.infer<typeof RankingAnswer>

/** A call as the office's list shows it (GET /api/office/calls). */
export const CallSummary = z.object({
  id: Id,
  number: z.number().int().positive(),
  name: z.string(),
  budgetCents: count,
  voucherCents: count,
  opensAt: IsoDateTime,
  closesAt: IsoDateTime,
  policy: Policy,
  points: Points,
  applications: count,
  assignedAt: IsoDateTime.nullable(),
  assignedCents: count,
})
export type CallSummary = z.infer<typeof CallSummary>

export const CallsAnswer = z.object({ calls: z.array(CallSummary) })
export type CallsAnswer = z.infer<typeof CallsAnswer>
