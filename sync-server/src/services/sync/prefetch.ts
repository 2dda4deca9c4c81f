/**
 * The declared reads of a batch's mutations (`reads` in shared/mutators/mutators.ts), fetched in ONE
 * round trip: one statement per locked entity, in LOCK_ORDER, each set in id order, so two batches (or
 * a batch and a lone mutation, which locks in the same order) never wait on each other in a cycle;
 * then ONE statement for every entity read without a lock. A value found through another row (`via`:
 * the session of the booking being cancelled) is looked up by the database in the same statement; the
 * statements run in order on one connection, so what is found through a booking is found through the
 * row the statement before has locked.
 * The answers seed the overlay store; what was asked and not found is remembered as absent, and a
 * lookup whose key could be resolved is marked complete. Anything else is read when a mutator asks.
 */
import { columnOf, def, ENTITY_NAMES, LOCK_ORDER, type EntityName, type SqlType } from '../../../../shared/entities/registry.ts'
import type { AnyRow, Overlay } from '../../../../shared/mutators/overlay-store.ts'
import type { Read, Ref, Via } from '../../../../shared/mutators/store.ts'
import type { TxQueryable } from '../../db/db.ts'
import { sqlOf } from './sql.ts'

const isVia = (r: Ref): r is Via => typeof r !== 'string'
const str = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 200
const refOk = (r: Ref) => (isVia(r) ? str(r.id) : str(r))

/** Locked entities first, in the lock order; then the others. */
const READ_ORDER = [...LOCK_ORDER, ...ENTITY_NAMES.filter((e) => !LOCK_ORDER.includes(e))]

interface EntityPlan {
  entity: EntityName
  ids: string[]
  vias: Via[]
  lookups: { lookup: string; key: readonly Ref[] }[]
}

/** Reads grouped per entity, in the order they must be taken. */
export function planReads(reads: readonly Read[]): EntityPlan[] {
  const plans = new Map<EntityName, EntityPlan>()
  const planOf = (e: EntityName) => plans.get(e) ?? plans.set(e, { entity: e, ids: [], vias: [], lookups: [] }).get(e)!
  for (const r of reads) {
    if ('id' in r) {
      if (!refOk(r.id)) continue
      if (isVia(r.id)) planOf(r.entity).vias.push(r.id)
      else planOf(r.entity).ids.push(r.id)
    } else {
      const spec = def(r.entity).lookups?.[r.lookup]
      // Unlocked lookups of a locked entity (suggestions) are never kept: read when asked.
      if (!spec || (def(r.entity).lock && !spec.lock) || !r.key.every(refOk)) continue
      planOf(r.entity).lookups.push({ lookup: r.lookup, key: r.key })
    }
  }
  return READ_ORDER.flatMap((e) => plans.get(e) ?? [])
}

const texts = new Map<string, string>()
const idOf = (r: Ref) => (isVia(r) ? r.id : r)
const groupBy = <T>(items: readonly T[], keyOf: (t: T) => string): [string, T[]][] => {
  const m = new Map<string, T[]>()
  for (const t of items) {
    const k = keyOf(t)
    const group = m.get(k)
    if (group) group.push(t)
    else m.set(k, [t])
  }
  return [...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
}

interface Shape {
  /** Same key, same text: the texts are built once per shape and reused (prepared once per connection). */
  key: string
  params: unknown[]
  /** The plan's WHERE, its parameters numbered from `$first`. */
  where: (first: number) => string
}

/** A plan's shape: ids or not, which `via`s, which lookup shapes. Only the arrays of ids change. */
function shapeOf(p: EntityPlan): Shape {
  const vias = groupBy(p.vias, (v) => `${v.from}.${v.field}`)
  const shapes = groupBy(p.lookups, (l) => `${l.lookup}|${l.key.map((r) => (isVia(r) ? `${r.from}.${r.field}` : '')).join('|')}`)
  const params: unknown[] = []
  if (p.ids.length) params.push([...new Set(p.ids)].sort())
  for (const [, group] of vias) params.push(group.map((v) => v.id))
  for (const [, group] of shapes) for (let i = 0; i < group[0]!.key.length; i++) params.push(group.map((l) => idOf(l.key[i]!)))
  const key = `${p.entity}|${p.ids.length > 0}|${vias.map(([k]) => k).join(',')}|${shapes.map(([k]) => k).join(',')}`
  return { key, params, where: (first) => whereOf(p.entity, p.ids.length > 0, vias.map(([, g]) => g[0]!), shapes.map(([, g]) => g[0]!), first) }
}

/** The WHERE for a shape; parameters in the order shapeOf pushes them, from `$first`. */
function whereOf(e: EntityName, hasIds: boolean, vias: Via[], lookups: { lookup: string; key: readonly Ref[] }[], first: number): string {
  const d = def(e)
  let n = first - 1
  const param = () => `$${++n}::text[]`
  const idSets: string[] = []
  if (hasIds) idSets.push(param())
  for (const { from, field } of vias) idSets.push(`ARRAY(SELECT ${columnOf(field)} FROM ${def(from).table} WHERE id = ANY(${param()}))`)
  const lookupSelects = lookups.map(({ lookup, key }) => {
    const fields = d.lookups![lookup]!.fields
    const arrays = key.map(() => param())
    const unnest = `unnest(${arrays.join(', ')}) AS k(${key.map((_, i) => `k${i}`).join(', ')})`
    const joins = key.map((r, i) => (isVia(r) ? ` JOIN ${def(r.from).table} j${i} ON j${i}.id = k.k${i}` : '')).join('')
    const on = fields.map((f, i) => `r.${columnOf(f)} = ${isVia(key[i]!) ? `j${i}.${columnOf((key[i] as Via).field)}` : `k.k${i}`}`)
    return `SELECT r.id FROM ${unnest}${joins} JOIN ${d.table} r ON ${on.join(' AND ')}`
  })
  const ids = idSets.join(' || ') || 'ARRAY[]::text[]'
  const selects = [...(idSets.length ? [`SELECT unnest(${ids})`] : []), ...lookupSelects]
  return lookupSelects.length ? `id IN (${selects.join(' UNION ALL ')})` : `id = ANY(${ids})`
}

/** A locked entity's plan: its own statement, rows locked in id order. */
function lockedStatement(p: EntityPlan): { sql: string; params: unknown[] } {
  const shape = shapeOf(p)
  let sql = texts.get(shape.key)
  if (!sql) texts.set(shape.key, (sql = `${sqlOf(p.entity).select} WHERE ${shape.where(1)} ORDER BY id FOR UPDATE`))
  return { sql, params: shape.params }
}

/**
 * A row's values as a JSON array, in the registry's field order (sqlOf(e).fields), with the adapters'
 * values (db/types.ts): a timestamptz as ISO in UTC to the millisecond, a date as 'YYYY-MM-DD' (JSON's
 * own rendering). An array rather than an object: measured, building it costs the database less
 * than row_to_json, and the names are the registry's anyway.
 */
const jsonColumns = new Map<EntityName, string>()
function jsonColumnsOf(e: EntityName): string {
  let cols = jsonColumns.get(e)
  if (!cols) {
    const columns = Object.entries(def(e).columns as Record<string, SqlType>)
    if (columns.length > 100) throw new Error(`${e}: json_build_array takes at most 100 columns`)
    cols = columns.map(([f, t]) => {
      const c = columnOf(f)
      return t === 'timestamptz' ? `to_char(${c} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')` : c
    }).join(', ')
    jsonColumns.set(e, cols)
  }
  return cols
}

/**
 * The plans of entities read without a lock (a child, a service, the program, a family…), in ONE
 * statement: a push's reads are mostly these, and each statement costs the database a bind, an
 * executor start and a snapshot, and the server a message to build and an answer to parse, whatever
 * it returns. Each row comes as JSON text tagged with its plan's index. Measured on a booking
 * request's four (bench/README.md, 2026-11-25): Postgres CPU −16 %, the server's −41 %.
 */
function unlockedStatement(plans: readonly EntityPlan[]): { sql: string; params: unknown[] } {
  const shapes = plans.map(shapeOf)
  const key = `unlocked:${shapes.map((x) => x.key).join(';')}`
  const params = shapes.flatMap((x) => x.params)
  let sql = texts.get(key)
  if (!sql) {
    let first = 1
    sql = plans.map((p, i) => {
      // A row the office's configuration decides (registry `shareLock`: the program) is read FOR KEY SHARE
      // (in a subquery: a UNION's branch may not lock).
      const where = shapes[i]!.where(first)
      const from = def(p.entity).shareLock
        ? `(SELECT * FROM ${def(p.entity).table} WHERE ${where} FOR KEY SHARE) x`
        : `${def(p.entity).table} WHERE ${where}`
      const part = `SELECT ${i} AS k, json_build_array(${jsonColumnsOf(p.entity)})::text AS j FROM ${from}`
      first += shapes[i]!.params.length
      return part
    }).join(' UNION ALL ')
    texts.set(key, sql)
  }
  return { sql, params }
}

/**
 * Sends every plan's statement now (behind whatever the transaction sent before): the locked ones in
 * plan order, one each, then the unlocked ones together; answers in plan order.
 */
export async function fetchPlans(tx: TxQueryable, plans: readonly EntityPlan[]): Promise<AnyRow[][]> {
  const locked = plans.filter((p) => def(p.entity).lock)
  const unlocked = plans.filter((p) => !def(p.entity).lock)
  const lockedRows = locked.map((p) => {
    const s = lockedStatement(p)
    return tx.query<AnyRow>(s.sql, s.params)
  })
  const unlockedRows = unlocked.length
    ? (() => {
        const s = unlockedStatement(unlocked)
        return tx.query<{ k: number; j: string }>(s.sql, s.params)
      })()
    : Promise.resolve([])
  const [answers, tagged] = await Promise.all([Promise.all(lockedRows), unlockedRows])
  const byPlan = new Map<EntityPlan, AnyRow[]>(locked.map((p, i) => [p, answers[i]!]))
  unlocked.forEach((p) => byPlan.set(p, []))
  for (const { k, j } of tagged) {
    const values = JSON.parse(j) as unknown[]
    const fields = sqlOf(unlocked[k]!.entity).fields
    const row: Record<string, unknown> = {}
    for (let i = 0; i < fields.length; i++) row[fields[i]!] = values[i]
    byPlan.get(unlocked[k]!)!.push(row as AnyRow)
  }
  return plans.map((p) => byPlan.get(p)!)
}

/** The answers into the overlay: rows, ids looked for and absent, lookups now complete. */
export function seedOverlay(overlay: Overlay, known: (e: EntityName) => Map<string, AnyRow>, plans: readonly EntityPlan[], rows: AnyRow[][]): void {
  plans.forEach((p, i) => overlay.seed(p.entity, rows[i]!))
  const resolve = (r: Ref): string | undefined => {
    if (!isVia(r)) return r
    const v = known(r.from).get(r.id)?.[r.field]
    return typeof v === 'string' ? v : undefined
  }
  for (const p of plans) {
    const asked = [...p.ids, ...p.vias.map(resolve).filter((id): id is string => id !== undefined)]
    overlay.seed(p.entity, [], asked)
    for (const l of p.lookups) {
      const key = l.key.map(resolve)
      if (key.every((k): k is string => k !== undefined)) overlay.cover(p.entity, l.lookup, key)
    }
  }
}
