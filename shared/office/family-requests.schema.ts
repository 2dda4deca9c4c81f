/**
 * What families ask of the office and the office answers (issue 10):
 * - birth dates (once a voucher exists the birth date decides eligibility, so the office sets it):
 *   GET  /api/office/birth-date-requests              → BirthDateRequestsAnswer
 *   POST /api/office/birth-date-requests/:id/approve  → BirthDateDecisionAnswer
 *   POST /api/office/birth-date-requests/:id/reject   { reason } → BirthDateDecisionAnswer
 * - erasure: POST /api/family/erasure-request (parent) → ErasureRequestAnswer; GET the same → the
 *   family's latest; GET /api/office/erasure-requests → ErasureRequestsAnswer; the office erases with
 *   POST /api/office/families/:id/erase, which marks the family's pending requests done.
 * - the family's devices: GET /api/family/devices → DevicesAnswer; DELETE /api/family/devices/:id.
 * - the family's export: GET /api/family/export (JSON, FamilyExport) or ?format=html (readable).
 */
import { z } from 'zod'
import { BIRTH_DATE_REQUEST_STATUSES } from '../family/family.schema.ts'
import { Id, Text } from '../ids.ts'

export const RequestParams = z.object({ id: Id })

export const BirthDateRequestRow = z.object({
  id: z.string(),
  childId: z.string(),
  familyId: z.string(),
  familyName: z.string(),
  childFirstName: z.string(),
  birthDate: z.string(),
  previousBirthDate: z.string(),
  status: z.enum(BIRTH_DATE_REQUEST_STATUSES),
  requestedAt: z.string(),
  decidedAt: z.string().nullable(),
  reason: z.string().nullable(),
})
export type BirthDateRequestRow = z.infer<typeof BirthDateRequestRow>
export const BirthDateRequestsAnswer = z.object({ requests: z.array(BirthDateRequestRow) })
export type BirthDateRequestsAnswer = z.infer<typeof BirthDateRequestsAnswer>

export const BirthDateRejectBody = z.object({ reason: Text(500).trim().min(1) })
export const BirthDateDecisionAnswer = z.object({ id: z.string(), status: z.enum(['approved', 'rejected']), decidedAt: z.string() })
export type BirthDateDecisionAnswer = z.infer<typeof BirthDateDecisionAnswer>

export const ErasureRequestRow = z.object({
  id: z.string(),
  familyId: z.string(),
  familyName: z.string(),
  requestedAt: z.string(),
  status: z.enum(['pending', 'done']),
  handledAt: z.string().nullable(),
})
export type ErasureRequestRow = z.infer<typeof ErasureRequestRow>
export const ErasureRequestsAnswer = z.object({ requests: z.array(ErasureRequestRow) })
export type ErasureRequestsAnswer = z.infer<typeof ErasureRequestsAnswer>
/** The family's own view of its request (no family name: it is theirs). */
export const ErasureRequestAnswer = z.object({
  request: z.object({ id: z.string(), requestedAt: z.string(), status: z.enum(['pending', 'done']), handledAt: z.string().nullable() }).nullable(),
})
export type ErasureRequestAnswer = z.infer<typeof ErasureRequestAnswer>

export const Device = z.object({
  id: z.string(),
  name: z.string().nullable(),
  createdAt: z.string(),
  /** The device asking (it can sign itself out from the menu; revoking it here works too). */
  current: z.boolean(),
  revokedAt: z.string().nullable(),
})
export type Device = z.infer<typeof Device>
export const DevicesAnswer = z.object({ devices: z.array(Device) })
export type DevicesAnswer = z.infer<typeof DevicesAnswer>
