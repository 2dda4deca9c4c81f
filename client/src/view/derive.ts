/**
 * The optimistic view is DERIVED, never stored: mirror rows (the server's truth as last pulled) plus
 * a replay of the pending outbox through the shared mutators, the same code the server runs. So a
 * pending booking already holds its voucher share and its place; when the server refuses it, the
 * stored result makes the replay skip it and the item turns into a refusal with a reason. There is
 * no rollback code anywhere: the next derivation simply no longer contains the effect.
 */
import {
  cloneState,
  memoryStore,
  refuse,
  runMutation,
  stateFrom,
  type Actor,
  type EntityName,
  type MemoryState,
  type MirrorName,
  type Result,
  type Row,
} from '../../../shared/index.ts'
import type { OutboxEntry, StoredResult } from '../db/db.types.ts'
import { resultKey } from '../sync/results.ts'

/** Every mirror table's rows (by the registry's mirror names), the outbox and the stored refusals. */
export type MirrorSnapshot = { [E in EntityName as MirrorName<E>]: Row<E>[] } & {
  outbox: OutboxEntry[]
  results: StoredResult[]
}

/** A pending mutation and what the replay says the server will probably answer. */
export interface PendingMutation extends OutboxEntry {
  outcome: Result<void>
}

export interface DerivedView {
  /** Every entity after the replay, by mirror name (programs, sessions, bookings…). */
  state: MemoryState
  /** Outbox entries not (yet) refused by the server, in id order. */
  pending: PendingMutation[]
  /** The server's refusals, newest first (dismissed ones included, flagged). */
  results: StoredResult[]
}

export const emptySnapshot = (): MirrorSnapshot => {
  const { ledger: _ledger, ...maps } = stateFrom({})
  return { ...Object.fromEntries(Object.keys(maps).map((k) => [k, []])), outbox: [], results: [] } as unknown as MirrorSnapshot
}

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
    pending,
    results: [...snap.results].sort((a, b) => b.receivedAt.localeCompare(a.receivedAt) || b.mutationId - a.mutationId),
  }
}

/** Would this mutation pass on top of the current view? Runs on a copy; the view is untouched. */
export function dryRun(view: DerivedView, name: string, args: unknown, actor: Actor, now: Date): Promise<Result<void>> {
  return runMutation(memoryStore(cloneState(view.state)), name, args, { actor, now: now.toISOString() })
}
