/**
 * What a committed IndexedDB transaction changed, as Dexie tells every tab (`storagemutated`, also
 * relayed from other tabs): per table, the primary keys written or deleted, or `'all'` when Dexie
 * only knows a range (a clear, a bulk write of 50 rows or more, a write from another version).
 *
 * Dexie's parts are named `idb://<db>/<table>/<index>`; the primary key's part has an empty index
 * name. Each part's value is an interval tree ({ from, to, l, r }); a single key is an interval
 * whose ends are equal. Across tabs the trees arrive as plain objects, so they are walked by hand.
 */
import type { ObservabilitySet } from 'dexie'

export type TableKey = string | number
/** Per table: the keys that changed, or 'all'. */
export type Dirty = Map<string, Set<TableKey> | 'all'>

interface Node {
  from?: unknown
  to?: unknown
  l?: Node | null
  r?: Node | null
}

/** The keys of an interval tree, or 'all' when it holds a range. */
function keysOf(tree: Node | null | undefined, out: Set<TableKey>): boolean {
  const stack: Node[] = tree ? [tree] : []
  while (stack.length > 0) {
    const n = stack.pop()!
    if (n.from !== undefined) {
      if (n.from !== n.to || (typeof n.from !== 'string' && typeof n.from !== 'number')) return false
      out.add(n.from)
    }
    if (n.l) stack.push(n.l)
    if (n.r) stack.push(n.r)
  }
  return true
}

/** The changes `parts` report for the tables of `tables` in database `dbName`. */
export function dirtyFrom(parts: ObservabilitySet, dbName: string, tables: ReadonlySet<string>): Dirty {
  const dirty: Dirty = new Map()
  if ('all' in parts) {
    for (const t of tables) dirty.set(t, 'all')
    return dirty
  }
  const prefix = `idb://${dbName}/`
  for (const [part, tree] of Object.entries(parts)) {
    if (!part.startsWith(prefix) || !part.endsWith('/')) continue // only the primary key's part
    const table = part.slice(prefix.length, -1)
    if (!tables.has(table) || dirty.get(table) === 'all') continue
    const keys = new Set<TableKey>()
    if (!keysOf(tree as Node, keys)) dirty.set(table, 'all')
    else if (keys.size > 0) dirty.set(table, keys)
  }
  return dirty
}

/** `into` ∪ `more` (in place). */
export function mergeDirty(into: Dirty, more: Dirty): Dirty {
  for (const [t, keys] of more) {
    const had = into.get(t)
    if (had === 'all') continue
    if (keys === 'all' || !had) into.set(t, keys === 'all' ? 'all' : new Set(keys))
    else for (const k of keys) had.add(k)
  }
  return into
}
