/**
 * The office imports a call's applications (JSON or CSV: applications.csv.ts). Each application is
 * checked on its own; the good ones are written in one transaction under the call's lock, each with
 * the call's next protocol number (B01-00001, B01-00002…), and every bad one is reported with its
 * row, importing nothing of it. An externalRef already in the call (or twice in one file) is
 * `invalid-state`: importing the same file twice adds nothing. A call already assigned takes no more
 * applications (409 `invalid-state`, reason `already-assigned`).
 */
import { randomUUID } from 'node:crypto'
import type { Actor } from '../../../../shared/actor.ts'
import { MAX_IMPORT_ROWS, type ApplicationInput, type ImportAnswer, type ImportError } from '../../../../shared/office/calls.schema.ts'
import { assignable } from '../../../../shared/office/ranking.rules.ts'
import type { TxQueryable } from '../../db/db.ts'
import type { AppDeps } from '../../deps.ts'
import { AppError } from '../../errors.ts'
import type { Candidate } from './applications.csv.ts'
import { recordAudit } from '../audit/audit-log.ts'
import { callOf } from './calls.service.ts'

export const protocolOf = (callNumber: number, n: number): string => `B${String(callNumber).padStart(2, '0')}-${String(n).padStart(5, '0')}`

export async function importApplications(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  officer: Actor,
  callId: string,
  parsed: { candidates: Candidate[]; errors: ImportError[] },
): Promise<ImportAnswer> {
  const rowCount = parsed.candidates.reduce((n, c) => n + c.rows.length, 0) + parsed.errors.length
  if (rowCount > MAX_IMPORT_ROWS) throw new AppError('validation', { reason: 'too-many-rows', max: MAX_IMPORT_ROWS })
  const errors = [...parsed.errors]
  const imported = await deps.db.transaction(async (tx) => {
    const call = await callOf(tx, officer, callId, true)
    const open = assignable(call)
    if (!open.ok) throw new AppError(open.code, open.details)
    const refs = parsed.candidates.flatMap((c) => (c.application.externalRef ? [c.application.externalRef] : []))
    const taken = new Set(
      (await tx.query<{ ref: string }>('SELECT external_ref AS ref FROM applications WHERE call_id = $1 AND external_ref = ANY($2)', [callId, refs])).map((r) => r.ref),
    )
    const fresh: ApplicationInput[] = []
    for (const c of parsed.candidates) {
      const ref = c.application.externalRef
      if (ref !== undefined && taken.has(ref)) {
        for (const row of c.rows) errors.push({ row, code: 'invalid-state', message: `externalRef ${ref}: già presente in questo bando` })
        continue
      }
      if (ref !== undefined) taken.add(ref)
      fresh.push(c.application)
    }
    const first = await takeProtocols(tx, callId, fresh.length)
    insertApplications(tx, fresh.map((a, i) => ({ ...a, id: `app-${randomUUID()}`, protocol: protocolOf(call.number, first + i) })), callId, 'import', deps.clock.now())
    recordAudit(tx, officer, deps.clock.now().toISOString(), [{ action: 'call.import', entity: 'call', entityId: callId, details: { imported: fresh.length, refused: errors.length } }])
    return fresh.length
  })
  return { imported, errors: errors.sort((a, b) => a.row - b.row) }
}

/** The first of `n` protocol numbers of the call (locked by the caller). */
export async function takeProtocols(tx: TxQueryable, callId: string, n: number): Promise<number> {
  const [counter] = await tx.query<{ first: number }>('UPDATE calls SET next_protocol = next_protocol + $2 WHERE id = $1 RETURNING next_protocol - $2 AS first', [callId, n])
  return counter?.first ?? 1
}

export type NewApplication = Omit<ApplicationInput, 'children'> & {
  id: string
  protocol: string
  familyId?: string
  children: (ApplicationInput['children'][number] & { childId?: string })[]
}

/** The applications and their children, in two set-based statements. */
export function insertApplications(tx: TxQueryable, apps: readonly NewApplication[], callId: string, source: 'import' | 'app', now: Date): void {
  if (apps.length === 0) return
  const col = <T>(f: (a: NewApplication) => T) => apps.map(f)
  tx.send(
    `INSERT INTO applications (id, call_id, protocol, external_ref, source, applicant_name, employer, shift_worker,
       household_fragility, isee_cents, submitted_at, created_at, family_id)
     SELECT u.id, $1, u.protocol, u.ref, $2, u.name, u.employer, u.shift, u.fragility, u.isee, u.submitted, $3, u.family
     FROM unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::boolean[], $10::boolean[], $11::int[],
       $12::timestamptz[], $13::text[]) AS u(id, protocol, ref, name, employer, shift, fragility, isee, submitted, family)`,
    [
      callId, source, now.toISOString(), col((a) => a.id), col((a) => a.protocol), col((a) => a.externalRef ?? null),
      col((a) => a.applicantName), col((a) => a.employer ?? null), col((a) => a.shiftWorker), col((a) => a.householdFragility),
      col((a) => a.iseeCents ?? null), col((a) => a.submittedAt), col((a) => a.familyId ?? null),
    ],
  )
  const kids = apps.flatMap((a) => a.children.map((c, i) => ({ ...c, applicationId: a.id, position: i + 1 })))
  tx.send(
    `INSERT INTO application_children (application_id, position, first_name, birth_date, disability, dsa, child_id)
     SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::date[], $5::boolean[], $6::boolean[], $7::text[])`,
    [kids.map((k) => k.applicationId), kids.map((k) => k.position), kids.map((k) => k.firstName), kids.map((k) => k.birthDate),
      kids.map((k) => k.disability), kids.map((k) => k.dsa), kids.map((k) => k.childId ?? null)],
  )
}
