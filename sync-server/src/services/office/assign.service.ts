/**
 * Assigns a call once (docs/office-commands.md, worked example). In one transaction under the call's
 * lock: rank and assign with the shared rules, then for each funded family create its family, its
 * eligible children, a voucher each (the call's voucherCents) and one activation code of 60 random
 * bits (activation-codes.ts; stored hashed, its text kept with the application for the office's
 * letter), store every application's rank, score and outcome, and mark the call assigned. The new
 * rows are stamped in their family's space, so the family's first pull brings them. A second
 * assignment is refused (409 invalid-state, reason already-assigned) and changes nothing.
 */
import { randomUUID } from 'node:crypto'
import type { Actor } from '../../../../shared/actor.ts'
import type { AssignAnswer } from '../../../../shared/office/calls.schema.ts'
import { assign, assignable, isEligible, rank } from '../../../../shared/office/ranking.rules.ts'
import type { AppDeps } from '../../deps.ts'
import { AppError } from '../../errors.ts'
import { insertNew } from '../../db/insert-rows.ts'
import { recordAudit, type AuditRecord } from '../audit/audit-log.ts'
import { generateActivationCode } from '../auth/activation-codes.ts'
import { hashCode } from '../auth/auth.service.ts'
import { putNew } from '../sync/put-entities.ts'
import { space } from '../sync/spaces.ts'
import { versionedWrite } from '../sync/versioned-write.ts'
import { applicationsOf, callOf, closingDay } from './calls.service.ts'

/** The prefix of a family's activation code (FAM-XXXX-XXXX-XXXX). */
export const FAMILY_CODE_PREFIX = 'FAM'

export async function assignCall(deps: Pick<AppDeps, 'db' | 'clock' | 'notifier'>, officer: Actor, callId: string): Promise<AssignAnswer> {
  return versionedWrite(deps, async (tx, changes) => {
    const call = await callOf(tx, officer, callId, true)
    const ok = assignable(call)
    if (!ok.ok) throw new AppError(ok.code, ok.details)
    const closesOn = closingDay(call)
    const outcome = assign(rank(await applicationsOf(tx, callId), call.points, closesOn), call)
    const now = deps.clock.now().toISOString()
    const programId = officer.programId

    const funded = outcome.entries.filter((e) => e.funded).map((e) => {
      const a = e.application
      const familyId = a.familyId ?? `fam-${randomUUID()}`
      // A family that applied in the app names its own children; an imported one's are created here.
      const children = a.children.filter((c) => isEligible(c, closesOn)).map((c) => ({ ...c, id: c.childId ?? `chd-${randomUUID()}`, isNew: c.childId === null }))
      return { entry: e, familyId, isNew: a.familyId === null, children, codeId: `cod-${randomUUID()}`, code: generateActivationCode(FAMILY_CODE_PREFIX) }
    })
    await putNew(tx, changes, 'family', funded.filter((f) => f.isNew).map((f) => ({ id: f.familyId, programId, name: f.entry.application.applicantName })))
    await putNew(tx, changes, 'child', funded.flatMap((f) => f.children.filter((c) => c.isNew).map((c) => ({ id: c.id, familyId: f.familyId, firstName: c.firstName, birthDate: c.birthDate }))))
    // A child who already holds a voucher in this program has it topped up (one voucher per child and program).
    const existing = await tx.query<{ id: string; childId: string; familyId: string }>(
      `SELECT id, child_id AS "childId", family_id AS "familyId" FROM vouchers WHERE program_id = $1 AND child_id = ANY($2) ORDER BY id FOR UPDATE`,
      [programId, funded.flatMap((f) => f.children.filter((c) => !c.isNew).map((c) => c.id))],
    )
    const topped = new Set(existing.map((v) => v.childId))
    if (existing.length > 0) {
      tx.send('UPDATE vouchers SET amount_cents = amount_cents + $2, balance_cents = balance_cents + $2 WHERE id = ANY($1)', [existing.map((v) => v.id), call.voucherCents])
      for (const v of existing) changes.touch([space.family(v.familyId)], 'voucher', v.id) // the registry's voucher space
    }
    await putNew(tx, changes, 'voucher', funded.flatMap((f) => f.children.filter((c) => !topped.has(c.id)).map((c) => ({
      id: `vch-${randomUUID()}`, childId: c.id, familyId: f.familyId, programId, amountCents: call.voucherCents, balanceCents: call.voucherCents, heldCents: 0, spentCents: 0,
    }))))
    // A family that applied in the app already has its code; a new one gets its letter's code.
    const issued = funded.filter((f) => f.isNew)
    await insertNew(tx, 'activation_codes', ['id', 'code_hash', 'role', 'program_id', 'family_id', 'display_name', 'created_at'],
      issued.map((f) => [f.codeId, hashCode(f.code), 'parent', programId, f.familyId, f.entry.application.applicantName, now]))
    // Monitoring's flags (migration 0006, not pulled by any phone): shift workers, children with a disability.
    tx.send('UPDATE families SET shift_worker = true WHERE id = ANY($1::text[])', [funded.filter((f) => f.entry.application.shiftWorker).map((f) => f.familyId)])
    tx.send('UPDATE children SET disability = true WHERE id = ANY($1::text[])', [funded.flatMap((f) => f.children.filter((c) => c.disability).map((c) => c.id))])
    // DSA/ADHD (migration 0012): with the disability, the needs the services' accepted needs are checked against.
    tx.send('UPDATE children SET dsa = true WHERE id = ANY($1::text[])', [funded.flatMap((f) => f.children.filter((c) => c.dsa).map((c) => c.id))])

    const byId = new Map(funded.map((f) => [f.entry.application.id, f]))
    const e = outcome.entries
    tx.send(
      `UPDATE applications a SET rank = u.rank, score = u.score, eligible_children = u.eligible, breakdown = u.breakdown,
         funded = u.funded, voucher_cents = u.cents, family_id = coalesce(u.family, a.family_id),
         activation_code_id = u.code_id, activation_code = u.code
       FROM unnest($1::text[], $2::int[], $3::int[], $4::int[], $5::jsonb[], $6::boolean[], $7::int[], $8::text[], $9::text[], $10::text[])
         AS u(id, rank, score, eligible, breakdown, funded, cents, family, code_id, code)
       WHERE a.id = u.id`,
      [
        e.map((x) => x.application.id), e.map((x) => x.rank), e.map((x) => x.score), e.map((x) => x.eligibleChildren),
        e.map((x) => JSON.stringify(x.breakdown)), e.map((x) => x.funded), e.map((x) => x.voucherCents),
        e.map((x) => byId.get(x.application.id)?.familyId ?? null),
        e.map((x) => { const f = byId.get(x.application.id); return f?.isNew ? f.codeId : null }),
        e.map((x) => { const f = byId.get(x.application.id); return f?.isNew ? f.code : null }),
      ],
    )
    tx.send('UPDATE calls SET assigned_at = $2, assigned_cents = $3 WHERE id = $1', [callId, now, outcome.assignedCents])
    // Ids and counts only: the applicants' names stay in the applications.
    recordAudit(tx, officer, now, [
      { action: 'call.assign', entity: 'call', entityId: callId, details: { funded: outcome.funded, notFunded: outcome.notFunded, assignedCents: outcome.assignedCents } },
      ...issued.map((f): AuditRecord => ({ action: 'code.issue', entity: 'family', entityId: f.familyId, details: { codeId: f.codeId, callId } })),
    ])
    return { funded: outcome.funded, notFunded: outcome.notFunded, assignedCents: outcome.assignedCents, budgetCents: outcome.budgetCents }
  })
}
