/**
 * Families apply in the app (shared/office/apply.schema.ts says why this is an online command).
 * One application per family and call, only while the call is open; the server gives the protocol
 * number and the timestamp. The children are the family's own rows (their names and birth dates
 * are read from them, never trusted from the phone); the family's name is the applicant's.
 * Every query is scoped to the parent's program and family.
 */
import { randomUUID } from 'node:crypto'
import type { Actor } from '../../../../shared/actor.ts'
import { callState, type ApplyAnswer, type ApplyRequest, type FamilyCallsAnswer, type MyApplication } from '../../../../shared/office/apply.schema.ts'
import type { Breakdown, Points } from '../../../../shared/office/calls.schema.ts'
import type { Queryable } from '../../db/db.ts'
import type { AppDeps } from '../../deps.ts'
import { AppError } from '../../errors.ts'
import { insertApplications, protocolOf, takeProtocols } from './applications.service.ts'
import { callOf } from './calls.service.ts'

interface Row {
  id: string
  name: string
  opensAt: string
  closesAt: string
  voucherCents: number
  points: Points
  assignedAt: string | null
  applicationId: string | null
  protocol: string | null
  submittedAt: string | null
  rank: number | null
  score: number | null
  breakdown: Breakdown | null
  funded: boolean | null
  appVoucherCents: number | null
  applicants: number
}

export async function familyCalls(deps: Pick<AppDeps, 'db' | 'clock'>, parent: Actor): Promise<FamilyCallsAnswer> {
  const now = deps.clock.now().toISOString()
  const rows = await deps.db.query<Row>(
    `SELECT c.id, c.name, c.opens_at AS "opensAt", c.closes_at AS "closesAt", c.voucher_cents AS "voucherCents", c.points,
       c.assigned_at AS "assignedAt", a.id AS "applicationId", a.protocol, a.submitted_at AS "submittedAt", a.rank, a.score,
       a.breakdown, a.funded, a.voucher_cents AS "appVoucherCents",
       (SELECT count(*) FROM applications r WHERE r.call_id = c.id AND r.rank IS NOT NULL) AS applicants
     FROM calls c LEFT JOIN applications a ON a.call_id = c.id AND a.family_id = $2 AND a.source = 'app'
     WHERE c.program_id = $1 AND (a.id IS NOT NULL OR (c.assigned_at IS NULL AND c.closes_at > $3))
     ORDER BY c.closes_at DESC`,
    [parent.programId, parent.familyId, now],
  )
  return {
    calls: rows.map((r) => {
      const application: MyApplication | null = r.applicationId && r.protocol && r.submittedAt
        ? {
            applicationId: r.applicationId, protocol: r.protocol, submittedAt: r.submittedAt,
            result: r.rank !== null && r.breakdown
              ? { rank: r.rank, applicants: r.applicants, score: r.score ?? 0, breakdown: r.breakdown, funded: r.funded ?? false, voucherCents: r.appVoucherCents ?? 0 }
              : null,
            consultation: r.rank !== null && r.funded === false,
          }
        : null
      return { id: r.id, name: r.name, opensAt: r.opensAt, closesAt: r.closesAt, voucherCents: r.voucherCents, points: r.points, state: callState(r, now), application }
    }),
  }
}

export async function applyInApp(deps: Pick<AppDeps, 'db' | 'clock'>, parent: Actor, callId: string, req: ApplyRequest): Promise<ApplyAnswer> {
  if (!parent.familyId) throw new AppError('forbidden')
  const familyId = parent.familyId
  const now = deps.clock.now().toISOString()
  return deps.db.transaction(async (tx) => {
    const call = await callOf(tx, parent, callId, true)
    if (callState(call, now) !== 'open') throw new AppError('invalid-state', { reason: 'call-not-open', state: callState(call, now) })
    const [already] = await tx.query<{ protocol: string }>('SELECT protocol FROM applications WHERE call_id = $1 AND family_id = $2', [callId, familyId])
    if (already) throw new AppError('invalid-state', { reason: 'already-applied', protocol: already.protocol })
    const family = await familyOf(tx, familyId, req.children.map((c) => c.childId))
    const missing = req.children.find((c) => !family.children.has(c.childId))
    if (missing) throw new AppError('not-found', { entity: 'child', id: missing.childId })
    const id = `app-${randomUUID()}`
    const protocol = protocolOf(call.number, await takeProtocols(tx, callId, 1))
    insertApplications(tx, [{
      id, protocol, familyId, applicantName: family.name, employer: req.employer, shiftWorker: req.shiftWorker, householdFragility: req.householdFragility,
      iseeCents: req.iseeCents, submittedAt: now,
      children: req.children.map((c) => {
        const child = family.children.get(c.childId)
        return { childId: c.childId, firstName: child?.firstName ?? '', birthDate: child?.birthDate ?? '', disability: c.disability, dsa: c.dsa }
      }),
    }], callId, 'app', deps.clock.now())
    return { applicationId: id, protocol, submittedAt: now }
  })
}

async function familyOf(q: Queryable, familyId: string, childIds: string[]) {
  const [family] = await q.query<{ name: string }>('SELECT name FROM families WHERE id = $1', [familyId])
  if (!family) throw new AppError('not-found', { entity: 'family' })
  const kids = await q.query<{ id: string; firstName: string; birthDate: string }>(
    'SELECT id, first_name AS "firstName", birth_date AS "birthDate" FROM children WHERE family_id = $1 AND id = ANY($2)',
    [familyId, childIds],
  )
  return { name: family.name, children: new Map(kids.map((k) => [k.id, k])) }
}
