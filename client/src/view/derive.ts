/**
 * The optimistic view is DERIVED, never stored: mirror rows (the server's truth as last pulled) plus
 * a replay of the pending outbox through the shared mutators, the same code the server runs. So a
 * pending booking already holds its voucher share and its place; when the server refuses it, the
 * stored result makes the replay skip it and the item turns into a refusal with a reason. There is
 * no rollback code anywhere: the next derivation simply no longer contains the effect.
 */
import {
  memoryStore,
  refuse,
  runMutation,
  stateFrom,
  type Actor,
  type Booking,
  type Child,
  type Family,
  type MemoryState,
  type Operator,
  type Program,
  type Provider,
  type Result,
  type Service,
  type Session,
  type Territory,
  type Voucher,
} from '../../../shared/index.ts'
import type { OutboxEntry, StoredResult } from '../db/db.types.ts'
import { resultKey } from '../sync/results.ts'

export interface MirrorSnapshot {
  programs: Program[]
  territories: Territory[]
  providers: Provider[]
  operators: Operator[]
  services: Service[]
  sessions: Session[]
  families: Family[]
  children: Child[]
  vouchers: Voucher[]
  bookings: Booking[]
  outbox: OutboxEntry[]
  results: StoredResult[]
}

/** A pending mutation and what the replay says the server will probably answer. */
export interface PendingMutation extends OutboxEntry {
  outcome: Result<void>
}

export interface DerivedView {
  /** Programs, services, operators, children, bookings, sessions, vouchers after the replay. */
  state: MemoryState
  territories: Map<string, Territory>
  providers: Map<string, Provider>
  families: Map<string, Family>
  /** Outbox entries not (yet) refused by the server, in id order. */
  pending: PendingMutation[]
  /** The server's refusals, newest first (dismissed ones included, flagged). */
  results: StoredResult[]
}

export const emptySnapshot = (): MirrorSnapshot => ({
  programs: [], territories: [], providers: [], operators: [], services: [], sessions: [],
  families: [], children: [], vouchers: [], bookings: [], outbox: [], results: [],
})

const byId = <T extends { id: string }>(rows: T[]) => new Map(rows.map((r) => [r.id, r]))

export async function derive(snap: MirrorSnapshot, actor: Actor | null, now: Date): Promise<DerivedView> {
  const state = stateFrom(snap)
  const store = memoryStore(state)
  const refused = new Set(snap.results.map((r) => r.key))
  const pending: PendingMutation[] = []
  const ctx = actor ? { actor, now: now.toISOString() } : null
  for (const entry of [...snap.outbox].sort((a, b) => a.id - b.id)) {
    if (refused.has(resultKey(entry.clientId, entry.id))) continue
    const outcome = ctx ? await runMutation(store, entry.name, entry.args, ctx) : refuse('forbidden')
    pending.push({ ...entry, outcome })
  }
  return {
    state,
    territories: byId(snap.territories),
    providers: byId(snap.providers),
    families: byId(snap.families),
    pending,
    results: [...snap.results].sort((a, b) => b.receivedAt.localeCompare(a.receivedAt) || b.mutationId - a.mutationId),
  }
}

/** Would this mutation pass on top of the current view? Runs on a copy; the view is untouched. */
export function dryRun(view: DerivedView, name: string, args: unknown, actor: Actor, now: Date): Promise<Result<void>> {
  const s = view.state
  const copy = stateFrom({
    programs: s.programs.values(),
    services: s.services.values(),
    operators: s.operators.values(),
    children: s.children.values(),
    bookings: s.bookings.values(),
    sessions: s.sessions.values(),
    vouchers: s.vouchers.values(),
  })
  return runMutation(memoryStore(copy), name, args, { actor, now: now.toISOString() })
}
