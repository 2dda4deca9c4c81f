/**
 * The MutatorStore over plain maps (the overlay store with no backing: every row is known). The phone
 * replays its pending mutations through it on top of a copy of the mirror (the optimistic view);
 * property tests use it as the model of the server. One map per registry entity, by its mirror name.
 */
import { ENTITIES, ENTITY_NAMES, type EntityName, type MirrorName, type Row } from '../entities/registry.ts'
import type { LedgerEntry } from '../voucher/voucher.schema.ts'
import { overlayStore, type AnyRow } from './overlay-store.ts'
import type { MutatorStore } from './store.ts'

export type EntityMaps = { [E in EntityName as MirrorName<E>]: Map<string, Row<E>> }
export type MemoryState = EntityMaps & { ledger: LedgerEntry[] }
export type StateRows = { [E in EntityName as MirrorName<E>]?: Iterable<Row<E>> }

const mirrorOf = (e: EntityName) => ENTITIES[e].mirror as keyof EntityMaps

export function stateFrom(rows: StateRows): MemoryState {
  const state = { ledger: [] as LedgerEntry[] } as Record<string, unknown>
  for (const e of ENTITY_NAMES) {
    const m = mirrorOf(e)
    state[m] = new Map([...((rows[m] ?? []) as Iterable<{ id: string }>)].map((r) => [r.id, r]))
  }
  return state as MemoryState
}

/** A copy whose maps can change without touching `state`'s (rows are immutable values). */
export function cloneState(state: MemoryState): MemoryState {
  const copy = { ledger: [...state.ledger] } as Record<string, unknown>
  for (const e of ENTITY_NAMES) copy[mirrorOf(e)] = new Map(state[mirrorOf(e)] as Map<string, unknown>)
  return copy as MemoryState
}

/** The map of one entity in a state. */
export const rowsOf = <E extends EntityName>(state: MemoryState, e: E): Map<string, Row<E>> =>
  state[mirrorOf(e)] as unknown as Map<string, Row<E>>

export function memoryStore(state: MemoryState): MutatorStore {
  const overlay = overlayStore((e) => state[mirrorOf(e)] as unknown as Map<string, AnyRow>)
  const { store } = overlay
  return {
    ...store,
    async ledger(entry) {
      state.ledger.push(entry)
    },
  }
}
