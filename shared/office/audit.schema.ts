/**
 * The audit log as the office reads it (GET /api/office/audit): who (the activation code behind the
 * token: one person, or one family's shared code), did what, to which row, when. Ids only.
 */
import { z } from 'zod'
import { Id } from '../ids.ts'

export const AuditQuery = z.object({
  entity: z.string().regex(/^[a-zA-Z-]{1,40}$/).optional(),
  entityId: Id.optional(),
  personId: Id.optional(),
  /** Older than this entry id (the next page). */
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
})
export type AuditQuery = z.infer<typeof AuditQuery>

export const AuditEntry = z.object({
  id: z.number().int(),
  at: z.string(),
  personId: z.string().nullable(),
  role: z.string(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string(),
  details: z.record(z.string(), z.unknown()),
})
export type AuditEntry = z.infer<typeof AuditEntry>

/** Newest first; `before` for the next page (null: no more). */
export const AuditAnswer = z.object({ entries: z.array(AuditEntry), before: z.number().int().nullable() })
export type AuditAnswer = z.infer<typeof AuditAnswer>
