/**
 * The audit log (migration 0006): who changed what and when, written by the transaction that makes
 * the change (so it is there exactly when the change is), append-only (a trigger refuses UPDATE and
 * DELETE). Who = the activation code behind the token (`Actor.personId`): an officer's code is one
 * person, a provider's is its coordinator's devices, an operator's (when operators get codes) one
 * operator. Ids and codes only: no names, notes or amounts a person typed (a statement's payment
 * names its bank reference: the transfer's identifier, no personal data).
 *
 * Writers: every office service (`recordAudit` inside its transaction) and the push path (decide.ts:
 * every mutation of a provider or operator that was applied). Parents' own mutations are their data,
 * in their family's space, and are not logged here.
 */
import type { Actor } from '../../../../shared/actor.ts'
import type { AuditAnswer, AuditEntity, AuditEntry, AuditQuery } from '../../../../shared/office/audit.schema.ts'
import type { Queryable, TxQueryable } from '../../db/db.ts'

export interface AuditRecord {
  action: string
  /** One of the kinds the office's screen knows (audit.schema.ts AUDIT_ENTITIES): a new kind is added there first. */
  entity: AuditEntity
  entityId: string
  /** Ids, statuses, counts: never personal data. */
  details?: Record<string, unknown>
}

/** Appends the records to the log in `tx` (sent with the COMMIT: if the change fails, so does this). */
export function recordAudit(tx: TxQueryable, actor: Actor, at: string, records: readonly AuditRecord[]): void {
  sendAudit(tx, at, records.map((r) => ({ ...r, actor })))
}

/** The same for records of several actors (a push batch decides several tokens' mutations at once). */
export function sendAudit(tx: TxQueryable, at: string, records: readonly (AuditRecord & { actor: Actor })[]): void {
  if (records.length === 0) return
  tx.send(
    `INSERT INTO audit_log (at, program_id, person_id, role, action, entity, entity_id, details)
     SELECT $1::timestamptz, u.program_id, u.person_id, u.role, u.action, u.entity, u.entity_id, u.details::jsonb
     FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
       WITH ORDINALITY AS u(program_id, person_id, role, action, entity, entity_id, details, n) ORDER BY n`,
    [at, records.map((r) => r.actor.programId), records.map((r) => r.actor.personId ?? null), records.map((r) => r.actor.role),
      records.map((r) => r.action), records.map((r) => r.entity), records.map((r) => r.entityId), records.map((r) => JSON.stringify(r.details ?? {}))],
  )
}

/** The entities a statement pays, and the column of `statement_rows` naming one (UNIQUE: one statement each). */
const PAID_BY_STATEMENT: Record<string, string | undefined> = { booking: 'booking_id', emergencyRequest: 'emergency_request_id' }

/**
 * The rows that are part of another's log, as SQL on that one's id (`$1`: the officer's program):
 * - a provider's accreditations: `acc-{provider}-{service}` (providers.service.ts accreditationId), one
 *   per service of the program (a service deleted since, with nothing using it, takes its old
 *   accreditations' entries out of the provider's log: the whole log still has them);
 * - a program's territories and services: saved with its configuration (program.service.ts), and in
 *   this log only when the program is the officer's (a program created here is configured by its own office).
 */
const PARTS_OF: Record<string, ((id: string) => string) | undefined> = {
  provider: (id) => `(entity = 'accreditation' AND entity_id IN (SELECT 'acc-' || ${id} || '-' || s.id FROM services s WHERE s.program_id = $1))`,
  program: (id) => `(entity IN ('territory', 'service') AND ${id} = $1)`,
}

/**
 * The officer's program's entries, newest first, filtered by row (entity, entityId) or person. A
 * booking's or emergency request's entries include the `statement.pay` of the statement that paid it;
 * a provider's its accreditations', a program's its territories' and services' (PARTS_OF).
 */
export async function readAudit(q: Queryable, officer: Actor, f: AuditQuery): Promise<AuditAnswer> {
  const where = ['program_id = $1']
  const params: unknown[] = [officer.programId]
  const add = (sql: string, v: unknown) => {
    params.push(v)
    where.push(sql.replace('?', `$${params.length}`))
  }
  // Own keys only: `?entity=constructor` is a kind like any other (no entries), not the object's prototype.
  const paidBy = f.entity && Object.hasOwn(PAID_BY_STATEMENT, f.entity) ? PAID_BY_STATEMENT[f.entity] : undefined
  const parts = f.entity && Object.hasOwn(PARTS_OF, f.entity) ? PARTS_OF[f.entity] : undefined
  if (f.entity && f.entityId && paidBy) {
    // A booking (or emergency request) paid by a statement has no entry of its own for the payment:
    // paying is one officer's action on the statement, logged once as `statement.pay` (one entry for
    // 5,000 bookings, bench/README "Pay under 300 ms"). The row's statement row finds that entry.
    params.push(f.entity, f.entityId)
    const [e, id] = [`$${params.length - 1}`, `$${params.length}`]
    where.push(`((entity = ${e} AND entity_id = ${id}) OR (entity = 'statement' AND action = 'statement.pay'
      AND entity_id = (SELECT r.statement_id FROM statement_rows r WHERE r.${paidBy} = ${id})))`)
  } else if (f.entity && f.entityId && parts) {
    // A provider's services and a program's catalogue are logged as rows of their own (accreditation,
    // territory, service), changed from the provider's or the program's screen: its log shows them too.
    params.push(f.entity, f.entityId)
    const [e, id] = [`$${params.length - 1}`, `$${params.length}`]
    where.push(`((entity = ${e} AND entity_id = ${id}) OR ${parts(id)})`)
  } else {
    if (f.entity) add('entity = ?', f.entity)
    if (f.entityId) add('entity_id = ?', f.entityId)
  }
  if (f.personId) add('person_id = ?', f.personId)
  if (f.before) add('id < ?', f.before)
  params.push(f.limit + 1)
  const rows = await q.query<AuditEntry>(
    `SELECT id, at, person_id AS "personId", role, action, entity, entity_id AS "entityId", details
     FROM audit_log WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT $${params.length}`,
    params,
  )
  const more = rows.length > f.limit
  const entries = more ? rows.slice(0, f.limit) : rows
  return { entries, before: more ? entries[entries.length - 1]!.id : null }
}
