/**
 * The audit log as the office reads it (GET /api/office/audit): who (the activation code behind the
 * token: one person, or one family's shared code), did what, to which row, when. Ids only.
 */
import { z } from 'zod'
import type { EntityName } from '../entities/registry.ts'
import { MIRROR_ENTITIES } from '../entities/mirror-tables.ts'
import { Id } from '../ids.ts'

/**
 * Every kind of row the log names (an entry's `entity`): the office's own (call, employer, statement)
 * and every synced entity (a provider's or operator's mutation may write any of them, and decide.ts
 * logs each row it wrote). The writers accept only these (services/audit/audit-log.ts `AuditRecord`),
 * and the office's words name each one (it.staff.ts `officeAudit.entities`): a writer logging a new
 * kind is a type error until it is here, and a kind here without words is one too. The API still says
 * `entity` as a string (a query for an unknown kind answers no entries).
 */
const OFFICE_KINDS = ['call', 'employer', 'statement'] as const
export type AuditEntity = EntityName | (typeof OFFICE_KINDS)[number]
/** The registry's entities (through mirror-tables.ts: their names without the zod schemas) and the office's own. */
export const AUDIT_ENTITIES: readonly AuditEntity[] = [...MIRROR_ENTITIES, ...OFFICE_KINDS]
export const isAuditEntity = (s: string): s is AuditEntity => (AUDIT_ENTITIES as readonly string[]).includes(s)

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
