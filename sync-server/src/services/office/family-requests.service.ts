/**
 * What families ask of the office (issue 10): birth dates once a voucher exists, and erasure.
 *
 * Birth dates: the family's phone records a pending `birthDateRequest` (mutation
 * child.requestBirthDate); an officer of the family's program approves it (the child's birth date
 * changes, the child's history keeps the change with the request's id) or rejects it with a reason.
 * Both through the versioned write, so the family's phones pull the decision; both audited.
 * Lock order: the child's vouchers (as the push path's `child.upsert` takes them after its bookings),
 * then the request.
 *
 * Erasure: a family asks (one pending request at a time, asking again answers the pending one);
 * the office lists the requests and erases with the existing erase command
 * (family-data.service.ts), which marks the family's pending requests done in its transaction.
 */
import { randomUUID } from 'node:crypto'
import type { Actor } from '../../../../shared/actor.ts'
import { def } from '../../../../shared/entities/registry.ts'
import type { ChildChange } from '../../../../shared/family/family.schema.ts'
import type {
  BirthDateDecisionAnswer, BirthDateRequestsAnswer, ErasureRequestAnswer, ErasureRequestsAnswer,
} from '../../../../shared/office/family-requests.schema.ts'
import type { AppDeps } from '../../deps.ts'
import { AppError } from '../../errors.ts'
import { recordAudit } from '../audit/audit-log.ts'
import { loadByIds, sqlOf } from '../sync/sql.ts'
import { versionedWrite } from '../sync/versioned-write.ts'

type Deps = Pick<AppDeps, 'db' | 'clock' | 'notifier'>

export async function listBirthDateRequests(deps: Pick<AppDeps, 'db'>, officer: Actor): Promise<BirthDateRequestsAnswer> {
  const requests = await deps.db.query<BirthDateRequestsAnswer['requests'][number]>(
    `SELECT r.id, r.child_id AS "childId", r.family_id AS "familyId", f.name AS "familyName", c.first_name AS "childFirstName",
       r.birth_date AS "birthDate", r.previous_birth_date AS "previousBirthDate", r.status, r.requested_at AS "requestedAt",
       r.decided_at AS "decidedAt", r.reason
     FROM birth_date_requests r JOIN children c ON c.id = r.child_id JOIN families f ON f.id = r.family_id
     WHERE r.program_id = $1 ORDER BY (r.status = 'pending') DESC, r.requested_at DESC, r.id LIMIT 500`,
    [officer.programId],
  )
  return { requests }
}

export async function decideBirthDateRequest(
  deps: Deps,
  officer: Actor,
  id: string,
  decision: { approve: true } | { approve: false; reason: string },
): Promise<BirthDateDecisionAnswer> {
  const now = deps.clock.now().toISOString()
  return versionedWrite(deps, async (tx, changes) => {
    const [found] = await tx.query<{ childId: string; programId: string }>(
      'SELECT child_id AS "childId", program_id AS "programId" FROM birth_date_requests WHERE id = $1', [id])
    if (!found || found.programId !== officer.programId) throw new AppError('not-found', { entity: 'birthDateRequest', id })
    // The push path's order: the child's vouchers, then the request (no one else locks the request).
    await tx.query('SELECT id FROM vouchers WHERE child_id = $1 ORDER BY id FOR UPDATE', [found.childId])
    const [request] = await tx.query<{ status: string; birthDate: string; familyId: string }>(
      `SELECT status, birth_date AS "birthDate", family_id AS "familyId" FROM birth_date_requests WHERE id = $1 FOR UPDATE`, [id])
    if (request!.status !== 'pending') throw new AppError('invalid-state', { reason: 'already-decided', status: request!.status })
    const status = decision.approve ? 'approved' : 'rejected'
    tx.send('UPDATE birth_date_requests SET status = $2, decided_at = $3, reason = $4, decided_by = $5 WHERE id = $1',
      [id, status, now, decision.approve ? null : decision.reason, officer.personId ?? null])
    if (decision.approve) {
      const [child] = await tx.query<{ birthDate: string }>('SELECT birth_date AS "birthDate" FROM children WHERE id = $1 FOR UPDATE', [found.childId])
      const change: ChildChange = {
        id: `${id.slice(0, 48)}_office`, childId: found.childId, familyId: request!.familyId, field: 'birthDate', before: child!.birthDate,
        after: request!.birthDate, changedAt: now, changedBy: 'officer', requestId: id,
      }
      tx.send('UPDATE children SET birth_date = $2 WHERE id = $1', [found.childId, request!.birthDate])
      tx.send(`${sqlOf('childChange').insert}`, sqlOf('childChange').fields.map((f) => [change[f as keyof ChildChange]]))
      changes.touch(def('childChange').spaces(change), 'childChange', change.id)
      const [c] = await loadByIds(tx, 'child', [found.childId])
      changes.touch(def('child').spaces(c ?? { id: found.childId, familyId: request!.familyId, firstName: '', birthDate: request!.birthDate }), 'child', found.childId)
    }
    const [r] = await loadByIds(tx, 'birthDateRequest', [id])
    changes.touch(def('birthDateRequest').spaces(r!), 'birthDateRequest', id)
    recordAudit(tx, officer, now, [{ action: `birth-date.${decision.approve ? 'approve' : 'reject'}`, entity: 'child', entityId: found.childId, details: { requestId: id } }])
    return { id, status, decidedAt: now }
  })
}

export async function requestErasure(deps: Pick<AppDeps, 'db' | 'clock'>, parent: Actor): Promise<ErasureRequestAnswer & { created: boolean }> {
  const now = deps.clock.now().toISOString()
  const familyId = parent.familyId
  if (!familyId) throw new AppError('forbidden')
  return deps.db.transaction(async (tx) => {
    await tx.query('SELECT id FROM families WHERE id = $1 FOR UPDATE', [familyId])
    const [pending] = await tx.query<NonNullable<ErasureRequestAnswer['request']>>(
      `SELECT id, requested_at AS "requestedAt", status, handled_at AS "handledAt" FROM erasure_requests WHERE family_id = $1 AND status = 'pending'`, [familyId])
    if (pending) return { request: pending, created: false }
    const id = randomUUID()
    await tx.query(`INSERT INTO erasure_requests (id, family_id, program_id, requested_at, status) VALUES ($1, $2, $3, $4, 'pending')`,
      [id, familyId, parent.programId, now])
    return { request: { id, requestedAt: now, status: 'pending', handledAt: null }, created: true }
  })
}

export async function erasureOfFamily(deps: Pick<AppDeps, 'db'>, parent: Actor): Promise<ErasureRequestAnswer> {
  const [request] = await deps.db.query<NonNullable<ErasureRequestAnswer['request']>>(
    `SELECT id, requested_at AS "requestedAt", status, handled_at AS "handledAt" FROM erasure_requests WHERE family_id = $1
     ORDER BY requested_at DESC, id LIMIT 1`, [parent.familyId])
  return { request: request ?? null }
}

export async function listErasureRequests(deps: Pick<AppDeps, 'db'>, officer: Actor): Promise<ErasureRequestsAnswer> {
  const requests = await deps.db.query<ErasureRequestsAnswer['requests'][number]>(
    `SELECT r.id, r.family_id AS "familyId", f.name AS "familyName", r.requested_at AS "requestedAt", r.status, r.handled_at AS "handledAt"
     FROM erasure_requests r JOIN families f ON f.id = r.family_id
     WHERE r.program_id = $1 ORDER BY (r.status = 'pending') DESC, r.requested_at DESC, r.id LIMIT 500`,
    [officer.programId],
  )
  return { requests }
}
