/**
 * SQL from the entity registry (shared/entities/registry.ts): the SELECT whose aliases ARE the
 * schema's camelCase fields (so a row is a value), reads by id and by lookup with the registry's
 * locks, and set-based writes over arrays (one statement per table, whatever the number of rows).
 * Texts are built once per entity and reused, so each is prepared once by the database.
 */
import { columnOf, def, ENTITY_NAMES, type EntityName, type Row, type SqlType } from '../../../../shared/entities/registry.ts'
import type { AnyRow, DirtyRow } from '../../../../shared/mutators/overlay-store.ts'
import type { LedgerEntry } from '../../../../shared/voucher/voucher.schema.ts'
import type { Queryable, TxQueryable } from '../../db/db.ts'

interface EntitySql {
  select: string
  byIds: string
  insert: string
  fields: string[]
  types: string[]
}

/** The row lock a mutator's read takes (registry `lock`, `shareLock`). */
export const lockClause = (e: EntityName): string => (def(e).lock ? ' FOR UPDATE' : def(e).shareLock ? ' FOR KEY SHARE' : '')

const ARRAY_TYPE = { text: 'text[]', int: 'int[]', bool: 'bool[]', date: 'date[]', timestamptz: 'timestamptz[]' } as const

function build(e: EntityName): EntitySql {
  const d = def(e)
  const fields = Object.keys(d.columns)
  const columns = d.columns as Record<string, SqlType>
  const types = fields.map((f) => ARRAY_TYPE[columns[f]!])
  const cols = fields.map(columnOf)
  const aliased = fields.map((f, i) => (cols[i] === f ? f : `${cols[i]} AS "${f}"`))
  const select = `SELECT ${aliased.join(', ')} FROM ${d.table}`
  const unnest = `unnest(${types.map((t, i) => `$${i + 1}::${t}`).join(', ')})`
  return {
    select,
    byIds: `${select} WHERE id = ANY($1::text[]) ORDER BY id${lockClause(e)}`,
    insert: `INSERT INTO ${d.table} (${cols.join(', ')}) SELECT * FROM ${unnest}`,
    fields,
    types,
  }
}

const SQL = new Map(ENTITY_NAMES.map((e) => [e, build(e)]))
export const sqlOf = (e: EntityName): EntitySql => SQL.get(e)!

/** Current values of some rows of one entity (one query, whatever the number of ids); unlocked. */
export function loadByIds<E extends EntityName>(q: Queryable, e: E, ids: readonly string[]): Promise<Row<E>[]> {
  return q.query<Row<E>>(`${sqlOf(e).select} WHERE id = ANY($1::text[])`, [ids])
}

const lookupTexts = new Map<string, string>()
/** The rows of a lookup (registry), with its lock, narrowing and order; `$now` is the deciding clock. */
export function lookupQuery(e: EntityName, lookup: string, key: readonly string[], now: string): { sql: string; params: unknown[] } {
  const spec = def(e).lookups?.[lookup]
  if (!spec) throw new Error(`no lookup ${e}.${lookup} in the registry`)
  const id = `${e}.${lookup}`
  let sql = lookupTexts.get(id)
  if (!sql) {
    const where = spec.fields.map((f, i) => `${columnOf(f)} = $${i + 1}`)
    if (spec.narrow?.where) where.push(spec.narrow.where.replaceAll('$now', `$${spec.fields.length + 1}::timestamptz`))
    const order = spec.narrow?.orderBy ?? 'id'
    const limit = spec.narrow?.limit ? ` LIMIT ${spec.narrow.limit}` : ''
    sql = `${sqlOf(e).select} WHERE ${where.join(' AND ')} ORDER BY ${order}${limit}${spec.lock ? ' FOR UPDATE' : ''}`
    lookupTexts.set(id, sql)
  }
  const usesNow = spec.narrow?.where.includes('$now') ?? false
  return { sql, params: usesNow ? [...key, now] : [...key] }
}

const column = (rows: readonly AnyRow[], field: string) => rows.map((r) => r[field] ?? null)

const updateTexts = new Map<string, string>()
/** UPDATE of some fields over arrays ($1 the ids, then one array per field), built once per field set. */
function updateText(e: EntityName, fields: readonly string[]): string {
  const key = `${e}|${fields.join(',')}`
  let sql = updateTexts.get(key)
  if (!sql) {
    const s = sqlOf(e)
    const all = ['id', ...fields]
    const types = all.map((f) => s.types[s.fields.indexOf(f)]!)
    const cols = all.map(columnOf)
    sql = `UPDATE ${def(e).table} AS r SET ${cols.slice(1).map((c) => `${c} = u.${c}`).join(', ')}
      FROM unnest(${types.map((t, i) => `$${i + 1}::${t}`).join(', ')}) AS u(${cols.join(', ')}) WHERE r.id = u.id`
    updateTexts.set(key, sql)
  }
  return sql
}

/**
 * Sends the batch's writes of one entity: one UPDATE of the fields that changed in any updated row
 * (only those: a session's places, a voucher's parts, a booking's status…), then one INSERT of the new
 * rows, over arrays. Updates first: a partial unique index (one live booking of a session per child,
 * one waiting entry) holds at each statement, and a batch may free a slot and take it again (a phone
 * cancels a booking and books the same session anew): inserted first, the new row would meet the old
 * one still live, and the whole batch would fall back to one by one.
 */
export function sendWrites(tx: TxQueryable, e: EntityName, dirty: Iterable<DirtyRow>): void {
  const inserted: AnyRow[] = []
  const updated: DirtyRow[] = []
  for (const d of dirty) {
    if (d.inserted) inserted.push(d.row)
    else updated.push(d)
  }
  const s = sqlOf(e)
  const changed = s.fields.filter((f) => f !== 'id' && updated.some((d) => !d.base || d.base[f] !== d.row[f]))
  if (changed.length) {
    const rows = updated.map((d) => d.row)
    tx.send(updateText(e, changed), [column(rows, 'id'), ...changed.map((f) => column(rows, f))])
  }
  if (inserted.length) tx.send(s.insert, s.fields.map((f) => column(inserted, f)))
}

export function sendLedger(tx: TxQueryable, l: readonly LedgerEntry[]): void {
  if (!l.length) return
  tx.send(
    `INSERT INTO voucher_ledger (voucher_id, booking_id, emergency_request_id, kind, amount_cents, at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::timestamptz[])`,
    [l.map((x) => x.voucherId), l.map((x) => (x.of === 'emergency' ? null : x.bookingId)), l.map((x) => (x.of === 'emergency' ? x.bookingId : null)),
      l.map((x) => x.kind), l.map((x) => x.amountCents), l.map((x) => x.at)],
  )
}
