/**
 * The ranking and the assignment of a call (architecture.md, "Office API": contract), pure: the
 * service hands in the applications, the call's terms and the day it closes (in the program's time
 * zone); no clock, no ids, no codes here.
 *
 * - An eligible child is aged 0–16 on the day the call closes (born by then, not yet 17).
 * - Score = perChild × eligible children + disabledChild × eligible children with a disability
 *   + dsaChild × eligible children with DSA/ADHD + householdFragility + shiftWorker (a child who is
 *   not eligible brings nothing, a disability included: the vouchers are for the eligible ones).
 * - Order: higher score first; then lower ISEE (missing last); then earlier submission; then protocol.
 * - Assignment down that order: a family costs voucherCents × its eligible children; `strict` stops
 *   at the first family that no longer fits the budget left, `fill` skips it and goes on. A family
 *   with no eligible child is never funded (there is nothing to give it) and stops nothing.
 */
import { refuse, ok, type Result } from '../result.ts'
import { ageInYears } from '../time.ts'
import type { Breakdown, Points, Policy } from './calls.schema.ts'

export const MAX_ELIGIBLE_AGE = 16

export interface RankChild {
  birthDate: string
  disability: boolean
  dsa: boolean
}

export interface Rankable {
  id: string
  protocol: string
  shiftWorker: boolean
  householdFragility: boolean
  iseeCents?: number | null
  submittedAt: string
  children: readonly RankChild[]
}

export interface Ranked<A extends Rankable = Rankable> {
  application: A
  rank: number
  score: number
  breakdown: Breakdown
  eligibleChildren: number
}

export interface Assigned<A extends Rankable = Rankable> extends Ranked<A> {
  funded: boolean
  /** voucherCents × eligible children when funded, else 0. */
  voucherCents: number
}

export interface Assignment<A extends Rankable = Rankable> {
  entries: Assigned<A>[]
  funded: number
  notFunded: number
  assignedCents: number
  budgetCents: number
}

/** Aged 0–16 on `closesOn` (YYYY-MM-DD): born on or before it, and not yet 17. */
export const isEligible = (child: Pick<RankChild, 'birthDate'>, closesOn: string): boolean =>
  child.birthDate <= closesOn && ageInYears(child.birthDate, closesOn) <= MAX_ELIGIBLE_AGE

export const eligibleChildren = <C extends Pick<RankChild, 'birthDate'>>(a: { children: readonly C[] }, closesOn: string): C[] =>
  a.children.filter((c) => isEligible(c, closesOn))

export function scoreOf(a: Rankable, points: Points, closesOn: string): { score: number; breakdown: Breakdown; eligibleChildren: number } {
  const eligible = eligibleChildren(a, closesOn)
  const breakdown: Breakdown = {
    perChild: points.perChild * eligible.length,
    disabledChild: points.disabledChild * eligible.filter((c) => c.disability).length,
    dsaChild: points.dsaChild * eligible.filter((c) => c.dsa).length,
    householdFragility: a.householdFragility ? points.householdFragility : 0,
    shiftWorker: a.shiftWorker ? points.shiftWorker : 0,
  }
  const score = Object.values(breakdown).reduce((s, p) => s + p, 0)
  return { score, breakdown, eligibleChildren: eligible.length }
}

const byIsee = (a?: number | null, b?: number | null): number => {
  if (a == null) return b == null ? 0 : 1
  if (b == null) return -1
  return a - b
}

/** Protocols compare as text, except that their numeric parts compare as numbers ("B1-9" < "B1-10"). */
const byProtocol = new Intl.Collator('en', { numeric: true }).compare

/** Every application with its score, in ranking order, ranks 1, 2, 3… (no two share a rank). */
export function rank<A extends Rankable>(applications: readonly A[], points: Points, closesOn: string): Ranked<A>[] {
  return applications
    .map((application) => ({ application, rank: 0, ...scoreOf(application, points, closesOn) }))
    .sort(
      (x, y) =>
        y.score - x.score ||
        byIsee(x.application.iseeCents, y.application.iseeCents) ||
        Date.parse(x.application.submittedAt) - Date.parse(y.application.submittedAt) ||
        byProtocol(x.application.protocol, y.application.protocol),
    )
    .map((r, i) => ({ ...r, rank: i + 1 }))
}

/** Down the ranking until the budget runs out (see the file's header for the two policies). */
export function assign<A extends Rankable>(
  ranked: readonly Ranked<A>[],
  terms: { budgetCents: number; voucherCents: number; policy: Policy },
): Assignment<A> {
  let left = terms.budgetCents
  let stopped = false
  const entries = ranked.map((r): Assigned<A> => {
    const cost = terms.voucherCents * r.eligibleChildren
    if (stopped || r.eligibleChildren === 0) return { ...r, funded: false, voucherCents: 0 }
    if (cost > left) {
      if (terms.policy === 'strict') stopped = true
      return { ...r, funded: false, voucherCents: 0 }
    }
    left -= cost
    return { ...r, funded: true, voucherCents: cost }
  })
  const funded = entries.filter((e) => e.funded).length
  return { entries, funded, notFunded: entries.length - funded, assignedCents: terms.budgetCents - left, budgetCents: terms.budgetCents }
}

/** A call is assigned once: a second assignment is refused and changes nothing. */
export const assignable = (call: { assignedAt: string | null }): Result<true> =>
  call.assignedAt === null ? ok(true) : refuse('invalid-state', { reason: 'already-assigned' })
