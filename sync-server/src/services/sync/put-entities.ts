/**
 * Inserts new rows of one registry entity (columns from the registry) and stamps the inserted ones
 * in the spaces the registry gives them, as any writer does, so the phones that see those spaces
 * pull them. Rows already there (same id) are left as they are.
 */
import { columnOf, def, fieldsOf, type EntityName, type Row } from '../../../../shared/entities/registry.ts'
import type { Queryable } from '../../db/db.ts'
import { insertNew } from '../../db/insert-rows.ts'
import type { Changes } from './versioned-write.ts'

export async function putNew<E extends EntityName>(tx: Queryable, changes: Changes, e: E, rows: readonly Row<E>[]): Promise<number> {
  if (rows.length === 0) return 0
  const fields = fieldsOf(e)
  const inserted = await insertNew(tx, def(e).table, fields.map(columnOf), rows.map((r) => fields.map((f) => (r as Record<string, unknown>)[f] ?? null)))
  for (const row of rows) if (inserted.has(row.id)) changes.touch(def(e).spaces(row), e, row.id)
  return inserted.size
}
