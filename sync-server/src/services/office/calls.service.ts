/**
 * Calls for applications: create, list, and read the ranking (the office's full view; the published
 * one is the client's projection of it, protocol numbers only). Importing applications:
 * applications.service.ts; the assignment: assign.service.ts; the rules: shared/office/ranking.rules.ts.
 * Every query is scoped to the officer's program: another program's call is `not-found`.
 */
import { randomUUID } from 'node:crypto'
import type { Actor } from '../../../../shared/actor.ts'
import type { Breakdown, CallsAnswer, CallSummary, CreateCallAnswer, CreateCallRequest, Points, Policy, RankingAnswer } from '../../../../shared/office/calls.schema.ts'
import { assign, rank, type RankChild, type Rankable } from '../../../../shared/office/ranking.rules.ts'
import type { Queryable } from '../../db/db.ts'
import type { AppDeps } from '../../deps.ts'
import { AppError } from '../../errors.ts'
import { recordAudit } from '../audit/audit-log.ts'
import { zonedDate } from '../time-zone.ts'

export interface CallRow {
  id: string
  number: number
  name: string
  budgetCents: number
  voucherCents: number
  opensAt: string
  closesAt: string
  policy: Policy
  points: Points
  assignedAt: string | null
  assignedCents: number
  timeZone: string
}

const CALL_COLUMNS = `c.id, c.number, c.name, c.budget_cents AS "budgetCents", c.voucher_cents AS "voucherCents",
  c.opens_at AS "opensAt", c.closes_at AS "closesAt", c.policy, c.points, c.assigned_at AS "assignedAt",
  c.assigned_cents AS "assignedCents", p.time_zone AS "timeZone"`

/** The officer's call, locked for the transaction when `lock`; `not-found` outside their program. */
export async function callOf(q: Queryable, officer: Actor, id: string, lock = false): Promise<CallRow> {
  const [call] = await q.query<CallRow>(
    `SELECT ${CALL_COLUMNS} FROM calls c JOIN programs p ON p.id = c.program_id
     WHERE c.id = $1 AND c.program_id = $2 ${lock ? 'FOR UPDATE OF c' : ''}`,
    [id, officer.programId],
  )
  if (!call) throw new AppError('not-found', { entity: 'call', id })
  return call
}

/** The day a call closes, in its program's time zone: ages are counted on it. */
export const closingDay = (call: Pick<CallRow, 'closesAt' | 'timeZone'>): string => zonedDate(new Date(call.closesAt), call.timeZone)

export async function createCall(deps: Pick<AppDeps, 'db' | 'clock'>, officer: Actor, req: CreateCallRequest): Promise<CreateCallAnswer> {
  const id = `call-${randomUUID()}`
  await deps.db.transaction(async (tx) => {
    // The program row serialises the numbering of its calls.
    const [program] = await tx.query('SELECT id FROM programs WHERE id = $1 FOR NO KEY UPDATE', [officer.programId])
    if (!program) throw new AppError('not-found', { entity: 'program' })
    tx.send(
      `INSERT INTO calls (id, program_id, number, name, budget_cents, voucher_cents, opens_at, closes_at, policy, points, created_at)
       SELECT $1, $2, coalesce(max(number), 0) + 1, $3, $4, $5, $6, $7, $8, $9, $10 FROM calls WHERE program_id = $2`,
      [id, officer.programId, req.name, req.budgetCents, req.voucherCents, req.opensAt, req.closesAt, req.policy, JSON.stringify(req.points), deps.clock.now().toISOString()],
    )
    recordAudit(tx, officer, deps.clock.now().toISOString(), [{ action: 'call.create', entity: 'call', entityId: id, details: { budgetCents: req.budgetCents, voucherCents: req.voucherCents, policy: req.policy } }])
  })
  return { id }
}

export async function listCalls(q: Queryable, officer: Actor): Promise<CallsAnswer> {
  const rows = await q.query<Omit<CallRow, 'timeZone'> & { applications: number }>(
    `SELECT c.id, c.number, c.name, c.budget_cents AS "budgetCents", c.voucher_cents AS "voucherCents",
       c.opens_at AS "opensAt", c.closes_at AS "closesAt", c.policy, c.points, c.assigned_at AS "assignedAt",
       c.assigned_cents AS "assignedCents", (SELECT count(*) FROM applications a WHERE a.call_id = c.id) AS applications
     FROM calls c WHERE c.program_id = $1 ORDER BY c.number DESC`,
    [officer.programId],
  )
  return { calls: rows.map((r): CallSummary => r) }
}

export interface ApplicationRow extends Rankable {
  children: (RankChild & { firstName: string; childId: string | null })[]
  externalRef: string | null
  applicantName: string
  rank: number | null
  score: number | null
  eligibleChildren: number | null
  breakdown: Breakdown | null
  funded: boolean | null
  voucherCents: number | null
  familyId: string | null
  activationCode: string | null
  codeRevoked: boolean
}

/** A call's applications with their children (in the order they were given). */
export async function applicationsOf(q: Queryable, callId: string): Promise<ApplicationRow[]> {
  return q.query<ApplicationRow>(
    `SELECT a.id, a.protocol, a.external_ref AS "externalRef", a.applicant_name AS "applicantName",
       a.shift_worker AS "shiftWorker", a.household_fragility AS "householdFragility", a.isee_cents AS "iseeCents",
       a.submitted_at AS "submittedAt", a.rank, a.score, a.eligible_children AS "eligibleChildren", a.breakdown, a.funded, a.voucher_cents AS "voucherCents",
       a.family_id AS "familyId", a.activation_code AS "activationCode", coalesce(k.revoked_at IS NOT NULL, false) AS "codeRevoked",
       (SELECT coalesce(json_agg(json_build_object('firstName', ch.first_name, 'birthDate', ch.birth_date,
          'disability', ch.disability, 'dsa', ch.dsa, 'childId', ch.child_id) ORDER BY ch.position), '[]')
        FROM application_children ch WHERE ch.application_id = a.id) AS children
     FROM applications a LEFT JOIN activation_codes k ON k.id = a.activation_code_id
     WHERE a.call_id = $1 ORDER BY a.protocol`,
    [callId],
  )
}

/**
 * The office's ranking: once assigned, as the assignment stored it; before, the provisional order
 * the rules give today (nobody funded yet).
 */
export async function ranking(q: Queryable, officer: Actor, callId: string): Promise<RankingAnswer> {
  const call = await callOf(q, officer, callId)
  const apps = await applicationsOf(q, callId)
  const base = { budgetCents: call.budgetCents, assignedCents: call.assignedCents, assigned: call.assignedAt !== null }
  const optional = (a: ApplicationRow) => ({
    ...(a.externalRef !== null ? { externalRef: a.externalRef } : {}),
    ...(a.activationCode !== null && !a.codeRevoked ? { activationCode: a.activationCode } : {}),
    ...(a.familyId ? { familyId: a.familyId } : {}),
  })
  if (call.assignedAt === null) {
    const provisional = assign(rank(apps, call.points, closingDay(call)), { ...call, budgetCents: 0 })
    return {
      ...base,
      entries: provisional.entries.map((e) => ({
        applicationId: e.application.id, protocol: e.application.protocol, rank: e.rank, score: e.score, breakdown: e.breakdown,
        funded: false, voucherCents: 0, applicantName: e.application.applicantName, eligibleChildren: e.eligibleChildren, ...optional(e.application),
      })),
    }
  }
  const entries = apps
    .filter((a) => a.rank !== null)
    .sort((x, y) => (x.rank ?? 0) - (y.rank ?? 0))
    .map((a) => ({
      applicationId: a.id, protocol: a.protocol, rank: a.rank ?? 0, score: a.score ?? 0,
      breakdown: a.breakdown ?? { perChild: 0, disabledChild: 0, dsaChild: 0, householdFragility: 0, shiftWorker: 0 },
      funded: a.funded ?? false, voucherCents: a.voucherCents ?? 0, applicantName: a.applicantName,
      eligibleChildren: a.eligibleChildren ?? 0, ...optional(a),
    }))
  return { ...base, entries }
}
