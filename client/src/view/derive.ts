/**
 * The optimistic view is DERIVED, never stored: mirror rows (the server's truth as last pulled) plus
 * a replay of the pending outbox through the shared mutators, the same code the server runs. So a
 * pending booking already holds its voucher share and its place; when the server refuses it, the
 * stored result makes the replay skip it and the item turns into a refusal with a reason. There is
 * no rollback code anywhere: the next derivation simply no longer contains the effect.
 *
 * The replay writes into one LayeredMap per entity over the mirror's maps, never into them: it costs
 * what the pending mutations touch, and it says which entities it read (`deps`), so the view store
 * runs it again only when the outbox, the refusals, the actor or one of those tables changed.
 *
 * The mutators (and zod, which parses their args) are loaded by the first replay (./mutators.ts): a
 * phone with nothing queued shows its first screen without them (issue 10).
 */
import type { Actor } from '../../../shared/actor.ts'
import { MIRROR_NAMES } from '../../../shared/entities/mirror-tables.ts'
import type { EntityName, MirrorName, Row } from '../../../shared/entities/registry.ts'
import type { EntityMaps, MemoryState } from '../../../shared/mutators/memory-store.ts'
import { refuse, type Result } from '../../../shared/result.ts'
import { compareIso } from '../../../shared/time.ts'
import type { LedgerEntry } from '../../../shared/voucher/voucher.schema.ts'
import type { OutboxEntry, StoredResult } from '../db/db.types.ts'
import { resultKey } from '../sync/results.ts'
import { LayeredMap } from './layered-map.ts'

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

/** What a replay of the outbox produced on top of a mirror. */
export interface Replay {
  /** The maps of the entities the replay wrote (layers over the mirror's); the others are the mirror's own. */
  layers: Partial<Record<MirrorName, Map<string, unknown>>>
  /** The mirror tables the replay read or wrote: a change to any other table cannot change it. */
  deps: ReadonlySet<MirrorName>
  pending: PendingMutation[]
  ledger: LedgerEntry[]
}

export { MIRROR_NAMES }

/** The shared mutators and the memory store, loaded when first needed (a chunk of their own). */
const mutators = () => import('./mutators.ts')

export const emptyReplay: Replay = { layers: {}, deps: new Set(), pending: [], ledger: [] }

export const emptySnapshot = (): MirrorSnapshot =>
  ({ ...Object.fromEntries(MIRROR_NAMES.map((k) => [k, []])), outbox: [], results: [] }) as unknown as MirrorSnapshot

/** A state whose every map is a fresh layer over `maps`' (the replay's and the dry runs' scratch space). */
function layered(maps: EntityMaps): { state: MemoryState; layers: Map<MirrorName, LayeredMap<string, unknown>> } {
  const layers = new Map(MIRROR_NAMES.map((m) => [m, new LayeredMap<string, unknown>(maps[m] as ReadonlyMap<string, unknown>)]))
  return { state: { ...Object.fromEntries(layers), ledger: [] } as unknown as MemoryState, layers }
}

/**
 * Replays the outbox (in id order, skipping what the server refused) through the shared mutators on
 * top of `mirror`, which is left untouched. Without an actor every mutation is probably `forbidden`.
 */
export async function replay(
  mirror: EntityMaps, outbox: readonly OutboxEntry[], results: readonly StoredResult[], actor: Actor | null, now: Date,
): Promise<Replay> {
  if (outbox.length === 0) return emptyReplay
  const { memoryStore, runMutation } = await mutators()
  const { state, layers } = layered(mirror)
  const store = memoryStore(state)
  const refused = new Set(results.map((r) => r.key))
  const pending: PendingMutation[] = []
  const ctx = actor ? { actor, now: now.toISOString() } : null
  for (const entry of [...outbox].sort((a, b) => a.id - b.id)) {
    if (refused.has(resultKey(entry.clientId, entry.id))) continue
    const outcome = ctx ? await runMutation(store, entry.name, entry.args, ctx) : refuse('forbidden')
    pending.push({ ...entry, outcome })
  }
  const written = [...layers].filter(([, l]) => l.changed)
  return {
    layers: Object.fromEntries(written),
    deps: new Set([...layers].filter(([, l]) => l.touched).map(([m]) => m)),
    pending,
    ledger: state.ledger,
  }
}

/** The mirror with the replay's layers in place of the maps it wrote. */
export const stateOf = (mirror: EntityMaps, r: Replay): MemoryState =>
  ({ ...mirror, ...r.layers, ledger: r.ledger }) as unknown as MemoryState

/** The refusals newest first. */
export const newestFirst = (results: readonly StoredResult[]): StoredResult[] =>
  [...results].sort((a, b) => compareIso(b.receivedAt, a.receivedAt) || b.mutationId - a.mutationId)

/** The whole derivation from a snapshot at once (tests; the view store derives table by table). */
export async function derive(snap: MirrorSnapshot, actor: Actor | null, now: Date): Promise<DerivedView> {
  const { stateFrom } = await mutators()
  const { ledger: _ledger, ...mirror } = stateFrom(snap)
  const r = await replay(mirror, snap.outbox, snap.results, actor, now)
  return { state: stateOf(mirror, r), pending: r.pending, results: newestFirst(snap.results) }
}

/** Would this mutation pass on top of the current view? Runs on a layer; the view is untouched. */
export async function dryRun(view: DerivedView, name: string, args: unknown, actor: Actor, now: Date): Promise<Result<void>> {
  const { memoryStore, runMutation } = await mutators()
  return runMutation(memoryStore(layered(view.state).state), name, args, { actor, now: now.toISOString() })
}
