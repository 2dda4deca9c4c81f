/**
 * Families apply in the app (issue 11): an online parent command, not a mutator, for the same
 * reasons as the office's (docs/office-commands.md): the protocol number and the timestamp are the
 * server's, given once, and the answer is needed at once. The draft lives on the phone until then.
 *   GET  /api/family/calls                    → the program's calls open, upcoming or applied to, each with this family's application
 *   POST /api/family/calls/:id/applications   { shiftWorker, householdFragility, employer?, iseeCents?, children } → 201 { applicationId, protocol, submittedAt }
 * Children are the family's own (child.upsert adds one first): `childId` and the two flags.
 */
import { z } from 'zod'
import { Cents, Id, IsoDateTime, Text } from '../ids.ts'
import { Breakdown, Points } from './calls.schema.ts'

const count = z.number().int().nonnegative()

export const ApplyChild = z.object({ childId: Id, disability: z.boolean(), dsa: z.boolean() })
export type ApplyChild = z.infer<typeof ApplyChild>

export const ApplyRequest = z.object({
  employer: Text(160).trim().min(1).optional(),
  shiftWorker: z.boolean(),
  householdFragility: z.boolean(),
  iseeCents: Cents.optional(),
  children: z.array(ApplyChild).min(1).max(12).refine((c) => new Set(c.map((x) => x.childId)).size === c.length, 'each child once'),
})
export type ApplyRequest = z.infer<typeof ApplyRequest>

export const ApplyAnswer = z.object({ applicationId: Id, protocol: z.string(), submittedAt: IsoDateTime })
export type ApplyAnswer = z.infer<typeof ApplyAnswer>

/** The family's own outcome, once the call is assigned: its rank among `applicants`. */
export const MyResult = z.object({
  rank: z.number().int().positive(),
  applicants: count,
  score: count,
  breakdown: Breakdown,
  funded: z.boolean(),
  voucherCents: count,
})
export type MyResult = z.infer<typeof MyResult>

export const MyApplication = z.object({
  applicationId: Id,
  protocol: z.string(),
  submittedAt: IsoDateTime,
  result: MyResult.nullable(),
  /** Not funded: every applicant may ask for a free personal consultation (the program's promise). */
  consultation: z.boolean(),
})
export type MyApplication = z.infer<typeof MyApplication>

export const CallState = z.enum(['upcoming', 'open', 'closed', 'assigned'])
export type CallState = z.infer<typeof CallState>

export const FamilyCall = z.object({
  id: Id,
  name: z.string(),
  opensAt: IsoDateTime,
  closesAt: IsoDateTime,
  voucherCents: count,
  points: Points,
  state: CallState,
  application: MyApplication.nullable(),
})
export type FamilyCall = z.infer<typeof FamilyCall>

export const FamilyCallsAnswer = z.object({ calls: z.array(FamilyCall) })
export type FamilyCallsAnswer = z.infer<typeof FamilyCallsAnswer>

/** Where a call stands at `now` (applications are taken while `open`). */
export function callState(call: { opensAt: string; closesAt: string; assignedAt: string | null }, now: string): CallState {
  if (call.assignedAt !== null) return 'assigned'
  const t = Date.parse(now)
  if (t < Date.parse(call.opensAt)) return 'upcoming'
  return t < Date.parse(call.closesAt) ? 'open' : 'closed'
}
