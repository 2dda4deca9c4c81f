/**
 * The view's reads of IndexedDB, table by table. Tables are read whole once (in phases: the first
 * screen's tables first), then only what each committed transaction changed, as Dexie reports it in
 * every tab (`storagemutated`, table-changes.ts): the keys it wrote, or the whole table when Dexie
 * only knows a range. A table's map is replaced (never changed in place) when it changes, and a row
 * read again equal to the one held keeps the old object, so whatever was derived from an unchanged
 * table or row can be kept as it is.
 *
 * Consistency (what the old single read of every table gave): the keys of a batch are read in ONE
 * read transaction, and the batch is only handed on when no change was reported while it was read;
 * otherwise it is read again with those keys added. A transaction of this tab that committed before
 * the read has had its report delivered before the read's answers (IndexedDB runs a read after the
 * writes it overlaps, and answers a connection in order), so what is handed on is the database as it
 * was at one moment. A pull in another tab is only known once its report is relayed: the batch also
 * reads `meta.cookie`, which every pull rewrites, and reads every table whole when the cookie moved
 * without a report (two pulls so close that the second one's report is still on its way cannot
 * happen: pulls queue behind one Web Lock and each waits for the network).
 */
import Dexie, { type ObservabilitySet } from 'dexie'
import type { ConciliappDb } from '../db/db.ts'
import { dirtyFrom, mergeDirty, type Dirty, type TableKey } from './table-changes.ts'

export type TableRows = ReadonlyMap<TableKey, unknown>

export interface ReaderOptions {
  /** The tables to read, phase after phase (each phase in one transaction, each handed on alone). */
  phases: readonly (readonly string[])[]
  /** The tables whose rows changed since the last call (new maps); `phase` when a phase was read. */
  onBatch(changed: Map<string, TableRows>, phase: number | null): void
  onError(e: unknown): void
  /** Every read of a table: how many keys, or 'all' (tests, benchmarks). */
  onRead?(table: string, keys: number | 'all'): void
  /**
   * Tables already read without Dexie (the first screen's, db/raw.ts), with the cookie read in the
   * same transaction: held as if read here, the phases being the rest. Writes made meanwhile by
   * other tabs were not reported: `reread` (the outbox, the results: written without a pull) is read
   * again at once, and the cookie tells whether a pull came (then everything held is read again).
   */
  seed?: { tables: ReadonlyMap<string, TableRows>; cookie: unknown; reread: readonly string[] }
}

export interface MirrorReader {
  /** The rows held for each table read so far. */
  readonly tables: ReadonlyMap<string, TableRows>
  /** Resolves when every phase has been read and no batch is waiting. */
  settled(): Promise<void>
  stop(): void
}

/** How many times a batch is read again because changes kept arriving before it is handed on anyway. */
const MAX_REREADS = 5

const cmpKey = (a: TableKey, b: TableKey): number =>
  typeof a === typeof b ? (a < b ? -1 : a > b ? 1 : 0) : typeof a === 'number' ? -1 : 1

/** Same fields, same values (rows are flat; a nested value that is not the same object counts as a change). */
function sameRow(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  const ka = Object.keys(a)
  if (ka.length !== Object.keys(b).length) return false
  return ka.every((k) => Object.is((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
}

/** `old` with `rows` (key → row, or undefined for gone) applied; `whole`: rows is the full table. */
function apply(old: TableRows | undefined, rows: Map<TableKey, unknown>, whole: boolean): TableRows | null {
  let changed = whole ? (old?.size ?? 0) !== rows.size : false
  let added = false
  const next = new Map<TableKey, unknown>(whole ? [] : old ?? [])
  for (const [k, row] of rows) {
    const before = old?.get(k)
    if (row === undefined) {
      if (next.delete(k)) changed = true
      continue
    }
    const keep = before !== undefined && sameRow(before, row)
    if (!keep) changed = true
    if (before === undefined && !whole) added = true
    next.set(k, keep ? before : row)
  }
  if (!changed && old) return null
  // Rows stay in key order, as a read of the whole table returns them.
  return added ? new Map([...next].sort(([a], [b]) => cmpKey(a, b))) : next
}

export function readTables(db: ConciliappDb, opts: ReaderOptions): MirrorReader {
  const names = new Set(opts.phases.flat())
  const watched = new Set([...names, 'meta'])
  const tables = new Map<string, TableRows>()
  const phases = opts.phases.map((p, i) => ({ tables: p, index: i }))
  const dirty: Dirty = new Map()
  let cookie: unknown = undefined
  if (opts.seed) {
    for (const [t, rows] of opts.seed.tables) {
      tables.set(t, rows)
      names.add(t)
      watched.add(t)
    }
    cookie = opts.seed.cookie
    // No cookie to compare with (never pulled): read the seeded tables again rather than trust them.
    for (const t of cookie === undefined ? opts.seed.tables.keys() : opts.seed.reread) dirty.set(t, 'all')
  }
  let running: Promise<void> | null = null
  let stopped = false
  let failed = false

  const listener = (parts: ObservabilitySet) => {
    const d = dirtyFrom(parts, db.name, watched)
    if (d.size === 0) return
    mergeDirty(dirty, d)
    kick()
  }
  Dexie.on('storagemutated', listener)

  /** The changes to the tables in `reading` (and meta's, for the cookie); the others wait for their phase. */
  const take = (reading: ReadonlySet<string>): Dirty => {
    const out: Dirty = new Map()
    for (const [t, keys] of dirty) if (reading.has(t) || t === 'meta') out.set(t, keys)
    for (const t of out.keys()) dirty.delete(t)
    return out
  }
  /** Anything to read: a table, or the cookie (a pull that changed no row). */
  const worthReading = (todo: Dirty) => [...todo].some(([t, keys]) => t !== 'meta' || keys === 'all' || keys.has('cookie'))

  /** One read transaction: the keys of `todo`, the cookie; every held table whole if the cookie moved unreported. */
  async function read(todo: Dirty): Promise<{ rows: Map<string, Map<TableKey, unknown>>; whole: Set<string>; cookie: unknown }> {
    const scope = [...names].map((n) => db.table(n))
    return db.transaction('r', [...scope, db.meta], async () => {
      const now = (await db.meta.get('cookie'))?.value
      const meta = todo.get('meta')
      const heard = meta === 'all' || meta?.has('cookie') === true
      const unreported = cookie !== undefined && !Object.is(now, cookie) && !heard
      const plan = new Map<string, Set<TableKey> | 'all'>()
      for (const [t, keys] of todo) if (t !== 'meta') plan.set(t, keys)
      if (unreported) for (const t of tables.keys()) plan.set(t, 'all')
      const rows = new Map<string, Map<TableKey, unknown>>()
      const whole = new Set<string>()
      await Promise.all([...plan].map(async ([t, keys]) => {
        const table = db.table(t)
        if (keys === 'all') {
          opts.onRead?.(t, 'all')
          whole.add(t)
          const pk = table.schema.primKey.keyPath as string
          rows.set(t, new Map((await table.toArray()).map((r: Record<string, unknown>) => [r[pk] as TableKey, r])))
        } else {
          const ks = [...keys]
          opts.onRead?.(t, ks.length)
          const got = await table.bulkGet(ks)
          rows.set(t, new Map(ks.map((k, i) => [k, got[i]])))
        }
      }))
      return { rows, whole, cookie: now }
    })
  }

  async function loop(): Promise<void> {
    while (!stopped) {
      const phase = phases.shift()
      const reading = new Set([...tables.keys(), ...(phase?.tables ?? [])])
      const todo = take(reading)
      if (phase) for (const t of phase.tables) todo.set(t, 'all')
      if (!worthReading(todo)) return
      let got
      try {
        got = await read(todo)
        // Changes reported while reading may be partly in what was read: read their keys too, at once.
        for (let again = 0; again < MAX_REREADS && !stopped; again++) {
          const late = take(reading)
          if (!worthReading(late)) break
          got = await read(mergeDirty(todo, late))
        }
      } catch (e) {
        // Nothing is lost: the next reported change tries again.
        mergeDirty(dirty, todo)
        if (phase) phases.unshift(phase)
        failed = true
        throw e
      }
      if (stopped) return
      cookie = got.cookie
      const changed = new Map<string, TableRows>()
      for (const [t, rows] of got.rows) {
        const next = apply(tables.get(t), rows, got.whole.has(t))
        if (next) {
          tables.set(t, next)
          changed.set(t, next)
        }
      }
      if (changed.size > 0 || phase) opts.onBatch(changed, phase?.index ?? null)
    }
  }

  function kick(): Promise<void> {
    if (stopped) return Promise.resolve()
    if (running) return running
    failed = false
    running = loop()
      .catch((e: unknown) => opts.onError(e))
      .finally(() => {
        running = null
        if (!stopped && !failed && (phases.length > 0 || [...dirty].some(([t, keys]) => tables.has(t) || (t === 'meta' && worthReading(new Map([[t, keys]])))))) void kick()
      })
    return running
  }

  void kick()
  return {
    tables,
    async settled() {
      while (running) await running
    },
    stop() {
      stopped = true
      Dexie.on.storagemutated.unsubscribe(listener)
    },
  }
}
