/**
 * What a mutator may read and write: ONE generic interface over the entity registry, with one
 * implementation (overlay-store.ts) backed by Postgres on the server and by plain maps on the phone
 * and in the property tests' model.
 *
 * - `get`/`find` on an entity the registry marks `lock` take a row lock on the server (FOR UPDATE).
 *   Mutators read in the global order LOCK_ORDER (booking → session → voucher), so concurrent
 *   mutations on the same rows queue up instead of deciding on stale values.
 * - Mutators read everything they need, decide, and only then write: a refusal writes nothing.
 * - `update` is only for rows read through the store (the server writes the whole row back, so a
 *   row it did not lock could overwrite someone else's change).
 * - What a mutator is about to read can be DECLARED (`reads`, see mutators.ts): the server fetches the
 *   declared rows of a whole batch in one round trip, in lock order. A declaration is only a hint:
 *   whatever it left out is read when asked, so it never changes an answer, only its cost.
 */
import type { Actor } from '../actor.ts'
import type { EntityName, LookupName, Row } from '../entities/registry.ts'
import type { LedgerEntry } from '../voucher/voucher.schema.ts'

export type { Actor, Role } from '../actor.ts'

export interface MutationContext {
  actor: Actor
  /** ISO timestamp of the deciding side's clock: the server's on the server. */
  now: string
}

export interface MutatorStore {
  /** One row by id (locked on the server when the entity locks). */
  get<E extends EntityName>(entity: E, id: string): Promise<Row<E> | undefined>
  /**
   * The rows whose lookup fields equal `key` (registry `lookups`), in id order; locked when the lookup
   * locks. `again`: ask the database again even if this lookup was answered before (rows committed
   * meanwhile by others join the answer; rows already read keep this transaction's values).
   */
  find<E extends EntityName>(entity: E, lookup: LookupName<E>, key: readonly string[], opts?: { again?: boolean }): Promise<Row<E>[]>
  /** A new row; an id already taken is a conflict (refused `invalid-state`). */
  insert<E extends EntityName>(entity: E, row: Row<E>): Promise<void>
  /** A row read through this store, changed. */
  update<E extends EntityName>(entity: E, row: Row<E>): Promise<void>
  /** One movement of a voucher's money, written beside every change of a voucher's parts. */
  ledger(entry: LedgerEntry): Promise<void>
}

/** A field of another row the same mutation reads by id: `via('booking', bookingId, 'sessionId')`. */
export interface Via {
  from: EntityName
  id: string
  field: string
}
export type Ref = string | Via
export const via = <E extends EntityName>(from: E, id: string, field: keyof Row<E> & string): Via => ({ from, id, field })

/** A read a mutator declares before it runs: a row by id, or a lookup by key. */
export type Read =
  | { entity: EntityName; id: Ref }
  | { entity: EntityName; lookup: string; key: readonly Ref[] }
