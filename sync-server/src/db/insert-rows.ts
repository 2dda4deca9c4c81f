/**
 * Multi-row `INSERT … ON CONFLICT DO NOTHING RETURNING id`: the seed inserts hundreds of rows in
 * a few statements, and learns which ones were new (only those get a row version).
 */
import type { Queryable } from './db.ts'

const CHUNK = 500

export async function insertNew(tx: Queryable, table: string, columns: readonly string[], rows: readonly unknown[][]): Promise<Set<string>> {
  const inserted = new Set<string>()
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK)
    const values = chunk
      .map((_, r) => `(${columns.map((__, c) => `$${r * columns.length + c + 1}`).join(', ')})`)
      .join(', ')
    const result = await tx.query<{ id: string }>(
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${values} ON CONFLICT DO NOTHING RETURNING id`,
      chunk.flat(),
    )
    for (const r of result) inserted.add(r.id)
  }
  return inserted
}
