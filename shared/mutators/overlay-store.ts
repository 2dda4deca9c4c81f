/**
 * The ONE MutatorStore implementation: rows known in memory, over an optional backing that reads
 * what is not known yet (the server's transaction). The same code serves
 *  - the phone's optimistic view and the property tests' model (memory-store.ts): no backing, every
 *    row known, every lookup answered from memory;
 *  - the server (sync-server/src/services/sync/decide.ts): rows prefetched for a batch of mutations
 *    plus the effects of the mutations decided so far; a row or lookup nobody fetched yet is read
 *    from the database (with its lock) the first time it is asked.
 * `begin()` marks a mutation's start; `keep()` returns what it wrote; `undo()` takes it all back (a
 * refusal). `dirty` holds the final value of every row the kept mutations wrote, for set-based writes.
 */
import { def, type EntityName } from '../entities/registry.ts'
import type { LedgerEntry } from '../voucher/voucher.schema.ts'
import type { MutatorStore } from './store.ts'

type AnyRow = { id: string } & Record<string, unknown>

/** A write lost a race the mutator could not see (an id taken meanwhile): refused `invalid-state`. */
export class StoreConflict extends Error {}

/** Reads of what is not known yet, with the registry's locks; the server's transaction. */
export interface Backing {
  byIds(entity: EntityName, ids: readonly string[]): Promise<AnyRow[]>
  find(entity: EntityName, lookup: string, key: readonly string[]): Promise<AnyRow[]>
}

export interface Written {
  entity: EntityName
  row: AnyRow
  /** The row before this write (an update): the spaces it left get a `del` stamp (e.g. a reassigned booking). */
  before?: AnyRow
}

export interface DirtyRow {
  row: AnyRow
  inserted: boolean
  /** For an update: the row as read, so a write can send only the fields that changed. */
  base?: AnyRow
}

const keyOf = (key: readonly string[]) => key.join('\u0000')
const byId = (a: AnyRow, b: AnyRow) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

/**
 * `known`: the rows already known, per entity (the maps are used and changed in place).
 * Without a backing, `known` is complete: an unknown id does not exist and lookups filter memory.
 */
export function overlayStore(known: (entity: EntityName) => Map<string, AnyRow>, backing?: Backing) {
  const absent = new Map<EntityName, Set<string>>()
  const covered = new Map<EntityName, Set<string>>()
  const dirty = new Map<EntityName, Map<string, DirtyRow>>()
  const ledger: LedgerEntry[] = []
  let undoLog: (() => void)[] = []
  let written: Written[] = []

  const setOf = <V>(m: Map<EntityName, Set<V>>, e: EntityName) => m.get(e) ?? m.set(e, new Set()).get(e)!
  const dirtyOf = (e: EntityName) => dirty.get(e) ?? dirty.set(e, new Map()).get(e)!
  /** map.set, remembering how to take it back. */
  const set = <V>(map: Map<string, V>, key: string, value: V) => {
    const had = map.has(key)
    const before = map.get(key)
    undoLog.push(() => (had ? map.set(key, before as V) : map.delete(key)))
    map.set(key, value)
  }

  /** Rows read from the backing join the known ones; a known row (maybe changed by this batch) wins. */
  const learn = (e: EntityName, rows: readonly AnyRow[]): AnyRow[] => {
    const rowsOf = known(e)
    return rows.map((r) => {
      const mine = rowsOf.get(r.id)
      if (mine) return mine
      rowsOf.set(r.id, r)
      return r
    })
  }
  const matches = (fields: readonly string[], key: readonly string[]) => (r: AnyRow) => fields.every((f, i) => r[f] === key[i])

  async function get(e: EntityName, id: string): Promise<AnyRow | undefined> {
    const row = known(e).get(id)
    if (row || !backing || absent.get(e)?.has(id)) return row
    const [found] = learn(e, await backing.byIds(e, [id]))
    if (!found) setOf(absent, e).add(id)
    return found
  }

  async function find(e: EntityName, lookup: string, key: readonly string[], again = false): Promise<AnyRow[]> {
    const spec = def(e).lookups?.[lookup]
    if (!spec) throw new Error(`no lookup ${e}.${lookup} in the registry`)
    const fits = matches(spec.fields, key)
    if (backing && !spec.lock && def(e).lock) {
      // Unlocked suggestions of a locked entity: not kept (a later get must still take the lock),
      // but seen through this batch's own changes.
      const rows = await backing.find(e, lookup, key)
      return rows.map((r) => known(e).get(r.id) ?? r).filter(fits)
    }
    if (backing && (again || !covered.get(e)?.has(`${lookup}\u0000${keyOf(key)}`))) {
      learn(e, await backing.find(e, lookup, key))
      cover(e, lookup, key)
    }
    return [...known(e).values()].filter(fits).sort(byId)
  }

  function cover(e: EntityName, lookup: string, key: readonly string[]) {
    setOf(covered, e).add(`${lookup}\u0000${keyOf(key)}`)
  }

  const write = (e: EntityName, row: AnyRow, inserted: boolean) => {
    const before = dirtyOf(e).get(row.id)
    const base = inserted ? undefined : (before?.base ?? known(e).get(row.id))
    const previous = known(e).get(row.id)
    set(known(e), row.id, row)
    set(dirtyOf(e), row.id, { row, inserted, base })
    written.push({ entity: e, row, ...(previous && previous !== row ? { before: previous } : {}) })
  }

  const store: MutatorStore = {
    get: (e, id) => get(e, id) as never,
    find: (e, lookup, key, opts) => find(e, lookup, key, opts?.again) as never,
    async insert(e, row) {
      const r = row as AnyRow
      if (known(e).has(r.id)) throw new StoreConflict(`${e} ${r.id} exists`)
      write(e, r, true)
    },
    async update(e, row) {
      const r = row as AnyRow
      if (!known(e).has(r.id)) throw new Error(`update of ${e} ${r.id}, which was not read through the store`)
      write(e, r, dirtyOf(e).get(r.id)?.inserted ?? false)
    },
    async ledger(entry) {
      const at = ledger.length
      undoLog.push(() => (ledger.length = at))
      ledger.push(entry)
    },
  }

  return {
    store,
    dirty,
    ledger,
    /** Prefetched rows (and ids looked for and not found). */
    seed(e: EntityName, rows: readonly AnyRow[], missing: Iterable<string> = []) {
      learn(e, rows)
      for (const id of missing) if (!known(e).has(id)) setOf(absent, e).add(id)
    },
    /** A lookup whose every row is now known (prefetched with its lock). */
    cover,
    begin() {
      undoLog = []
      written = []
    },
    /** The mutation was applied: the rows it wrote. */
    keep(): Written[] {
      return written
    },
    /** The mutation was refused: nothing it did remains. */
    undo() {
      for (let i = undoLog.length - 1; i >= 0; i--) undoLog[i]!()
      undoLog = []
      written = []
    },
  }
}

export type Overlay = ReturnType<typeof overlayStore>
export type { AnyRow }
