/** Typed access to the `meta` key/value table. Call inside a transaction to make reads and writes atomic. */
import type { ConciliappDb } from './db.ts'
import type { MetaKey, MetaValues } from './db.types.ts'

export async function getMeta<K extends MetaKey>(db: ConciliappDb, key: K): Promise<MetaValues[K] | undefined> {
  const row = await db.meta.get(key)
  return row?.value as MetaValues[K] | undefined
}

export async function setMeta<K extends MetaKey>(db: ConciliappDb, key: K, value: MetaValues[K]): Promise<void> {
  await db.meta.put({ key, value })
}

export async function readMeta(db: ConciliappDb): Promise<Partial<MetaValues>> {
  const rows = await db.meta.toArray()
  return Object.fromEntries(rows.map((r) => [r.key, r.value])) as Partial<MetaValues>
}
