/**
 * Statements' pure rules: the rows and their total (to the cent), who may approve, what may be paid.
 * No clock, no ids, no I/O (docs/office-commands.md).
 */
import { ok, refuse, type Result } from '../result.ts'
import type { StatementRow, StatementStatus } from './statements.schema.ts'

/** What a row is for: its booking, or its emergency request (exactly one is set). */
export const subjectOf = (r: Pick<StatementRow, 'bookingId' | 'emergencyRequestId'>): string => r.bookingId ?? r.emergencyRequestId ?? ''

/** The rows in a stable order (delivery time, then booking or request id), and their total: the sum, to the cent. */
export function statementOf(rows: readonly StatementRow[]): { rows: StatementRow[]; totalCents: number } {
  const sorted = [...rows].sort((a, b) => (a.deliveredAt === b.deliveredAt ? cmp(subjectOf(a), subjectOf(b)) : cmp(a.deliveredAt, b.deliveredAt)))
  return { rows: sorted, totalCents: totalOf(sorted) }
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/** Integer cents added as integers: no float ever touches money. */
export const totalOf = (rows: readonly Pick<StatementRow, 'voucherCents'>[]): number => rows.reduce((sum, r) => sum + r.voucherCents, 0)

/** A statement needs at least one delivered booking not already stated. */
export function preparable(rowCount: number): Result<true> {
  return rowCount > 0 ? ok(true) : refuse('invalid-state', { reason: 'no-deliveries' })
}

interface Approvable {
  status: StatementStatus
  preparedBy: string
}

/** Four eyes: a draft, approved by an officer (person) other than the one who prepared it. */
export function approvable(s: Approvable, personId: string | null | undefined): Result<true> {
  if (!personId) return refuse('forbidden', { reason: 'unknown-person' })
  if (s.status !== 'draft') return refuse('invalid-state', { status: s.status, action: 'approve' })
  if (s.preparedBy === personId) return refuse('forbidden', { reason: 'same-officer' })
  return ok(true)
}

/** Only an approved statement is paid (once). */
export function payable(s: { status: StatementStatus }): Result<true> {
  return s.status === 'approved' ? ok(true) : refuse('invalid-state', { status: s.status, action: 'pay' })
}

/**
 * Euro cents as the Italian accounting office writes them: `1.234,56` (thousands dot, decimal comma),
 * built from the integer, never through a float.
 */
export function euroIt(cents: number): string {
  const sign = cents < 0 ? '-' : ''
  const abs = Math.abs(cents)
  const euros = Math.trunc(abs / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, '.')
  return `${sign}${euros},${String(abs % 100).padStart(2, '0')}`
}
