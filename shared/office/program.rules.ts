/**
 * What a change of the program's configuration, or of a provider's accreditation, would break
 * (issue 11). Pure: the service gathers the facts (vouchers assigned, live bookings with their
 * session's day and child, open sessions) and refuses with every conflict at once (409 invalid-state
 * {reason: 'config-conflicts', conflicts}), so the officer sees all that stands in the way.
 * What is NOT a conflict: a new voucher amount or covered share (each voucher and booking keeps the
 * amount and split it was made with; the new ones apply to what comes next), a new cancellation
 * window or head start (they apply from the next cancellation or emergency).
 */
import type { ConfigConflict, AccreditedService } from './program.schema.ts'
import { ok, refuse, type Result } from '../result.ts'
import { eligibility } from '../catalogue/session.rules.ts'
import { needsFit } from '../catalogue/needs.rules.ts'

/** A live (requested or confirmed) booking: its service, its session's start and day (program time), its child. */
export interface LiveBookingFact {
  serviceId: string
  startsAt: string
  day: string
  birthDate: string
  disability?: boolean | null
  dsa?: boolean | null
}

export interface ProgramFactsIn {
  assignedCents: number
  liveBookings: readonly LiveBookingFact[]
}

export interface NextConfig {
  periodFrom: string
  periodTo: string
  budgetCents: number
  services: readonly { id?: string; ageMinYears: number; ageMaxYears: number; acceptsDisability: boolean; acceptsDsa: boolean; needsOnly: boolean }[]
}

export function configConflicts(next: NextConfig, facts: ProgramFactsIn): ConfigConflict[] {
  const out: ConfigConflict[] = []
  if (next.budgetCents < facts.assignedCents) out.push({ reason: 'budget-below-assigned', assignedCents: facts.assignedCents })
  const outside = facts.liveBookings.filter((b) => b.day < next.periodFrom || b.day > next.periodTo).length
  if (outside > 0) out.push({ reason: 'bookings-outside-period', count: outside })
  for (const s of next.services) {
    if (!s.id) continue
    const live = facts.liveBookings.filter((b) => b.serviceId === s.id)
    const age = live.filter((b) => !eligibility(b.birthDate, s, { startsAt: b.startsAt }).fits).length
    if (age > 0) out.push({ reason: 'bookings-outside-age', serviceId: s.id, count: age })
    const needs = live.filter((b) => !needsFit(b, s).ok).length
    if (needs > 0) out.push({ reason: 'bookings-need-not-accepted', serviceId: s.id, count: needs })
  }
  return out
}

/** A provider's open sessions still to come, by service and price. */
export interface OpenSessionFact {
  serviceId: string
  unitPriceCents: number
}

/** A provider's new list of accredited services against its open sessions still to come. */
export function accreditationConflicts(next: readonly AccreditedService[], open: readonly OpenSessionFact[]): ConfigConflict[] {
  const out: ConfigConflict[] = []
  const byService = new Map<string, OpenSessionFact[]>()
  for (const s of open) byService.set(s.serviceId, [...(byService.get(s.serviceId) ?? []), s])
  for (const [serviceId, sessions] of [...byService.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const acc = next.find((a) => a.serviceId === serviceId)
    if (!acc) out.push({ reason: 'sessions-open', serviceId, count: sessions.length })
    else {
      const above = sessions.filter((s) => s.unitPriceCents > acc.maxUnitPriceCents).length
      if (above > 0) out.push({ reason: 'sessions-above-price', serviceId, count: above, maxUnitPriceCents: acc.maxUnitPriceCents })
    }
  }
  return out
}

/** No conflicts: go ahead; else the one refusal that lists them all. */
export const noConflicts = (conflicts: ConfigConflict[]): Result<void> =>
  conflicts.length === 0 ? ok(undefined) : refuse('invalid-state', { reason: 'config-conflicts', conflicts })

/** Suspending a suspended provider, or reinstating an active one, changes nothing: refused. */
export function suspendable(p: { suspendedAt?: string | null }, action: 'suspend' | 'reinstate'): Result<void> {
  if (action === 'suspend' && p.suspendedAt) return refuse('invalid-state', { reason: 'already-suspended' })
  if (action === 'reinstate' && !p.suspendedAt) return refuse('invalid-state', { reason: 'not-suspended' })
  return ok(undefined)
}

/**
 * A territory or service is deleted only when nothing uses it: one `in-use` conflict per table whose
 * rows still reference it (the service finds every such table from the database's foreign keys), with
 * how many rows. Tables come in any order; the conflicts are by table name.
 */
export function usesConflicts(uses: readonly { table: string; count: number }[]): ConfigConflict[] {
  return uses.filter((u) => u.count > 0).sort((a, b) => (a.table < b.table ? -1 : a.table > b.table ? 1 : 0))
    .map((u) => ({ reason: 'in-use' as const, table: u.table, count: u.count }))
}
