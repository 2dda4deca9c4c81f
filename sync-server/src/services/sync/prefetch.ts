/**
 * The declared reads of a batch's mutations (`reads` in shared/mutators/mutators.ts), fetched in ONE
 * round trip: one statement per entity, locked entities first in LOCK_ORDER, each set in id order, so
 * two batches (or a batch and a lone mutation, which locks in the same order) never wait on each other
 * in a cycle. A value found through another row (`via`: the session of the booking being cancelled)
 * is looked up by the database in the same statement; the statements run in order on one connection,
 * so what is found through a booking is found through the row the statement before has locked.
 * The answers seed the overlay store; what was asked and not found is remembered as absent, and a
 * lookup whose key could be resolved is marked complete. Anything else is read when a mutator asks.
 */
import { columnOf, def, ENTITY_NAMES, LOCK_ORDER, type EntityName } from '../../../../shared/entities/registry.ts'
import type { AnyRow, Overlay } from '../../../../shared/mutators/overlay-store.ts'
import type { Read, Ref, Via } from '../../../../shared/mutators/store.ts'
import type { TxQueryable } from '../../db/db.ts'
import { sqlOf } from './sql.ts'

const isVia = (r: Ref): r is Via => typeof r !== 'string'
const str = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 200
const refOk = (r: Ref) => (isVia(r) ? str(r.id) : str(r))

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
  const order = [...LOCK_ORDER, ...ENTITY_NAMES.filter((e) => !LOCK_ORDER.includes(e))]
  return order.flatMap((e) => plans.get(e) ?? [])
}

/** One statement for one entity's plan. */
function statementOf(p: EntityPlan): { sql: string; params: unknown[] } {
  const d = def(p.entity)
  const params: unknown[] = []
  const param = (value: unknown, type = 'text[]') => `$${params.push(value)}::${type}`
  const idSets: string[] = []
  if (p.ids.length) idSets.push(param([...new Set(p.ids)].sort()))
  const viaGroups = new Map<string, Via[]>()
  for (const v of p.vias) viaGroups.set(`${v.from}.${v.field}`, [...(viaGroups.get(`${v.from}.${v.field}`) ?? []), v])
  for (const group of viaGroups.values()) {
    const { from, field } = group[0]!
    idSets.push(`ARRAY(SELECT ${columnOf(field)} FROM ${def(from).table} WHERE id = ANY(${param(group.map((v) => v.id))}))`)
  }
  const lookupSelects: string[] = []
  const shapes = new Map<string, { lookup: string; keys: (readonly Ref[])[] }>()
  for (const l of p.lookups) {
    const shape = `${l.lookup}|${l.key.map((r) => (isVia(r) ? `${r.from}.${r.field}` : '')).join('|')}`
    const s = shapes.get(shape) ?? shapes.set(shape, { lookup: l.lookup, keys: [] }).get(shape)!
    s.keys.push(l.key)
  }
  for (const { lookup, keys } of shapes.values()) {
    const fields = d.lookups![lookup]!.fields
    const first = keys[0]!
    const ks = first.map((_, i) => `k${i}`)
    const idOf = (r: Ref) => (isVia(r) ? r.id : r)
    const arrays = first.map((_, i) => param(keys.map((k) => idOf(k[i]!))))
    const unnest = `unnest(${arrays.join(', ')}) AS k(${ks.join(', ')})`
    const joins = first.map((r, i) => (isVia(r) ? ` JOIN ${def(r.from).table} j${i} ON j${i}.id = k.k${i}` : '')).join('')
    const on = fields.map((f, i) => `r.${columnOf(f)} = ${isVia(first[i]!) ? `j${i}.${columnOf((first[i] as Via).field)}` : `k.k${i}`}`)
    lookupSelects.push(`SELECT r.id FROM ${unnest}${joins} JOIN ${d.table} r ON ${on.join(' AND ')}`)
  }
  const ids = idSets.join(' || ') || 'ARRAY[]::text[]'
  const selects = [...(idSets.length ? [`SELECT unnest(${ids})`] : []), ...lookupSelects]
  const where = lookupSelects.length ? `id IN (${selects.join(' UNION ALL ')})` : `id = ANY(${ids})`
  return { sql: `${sqlOf(p.entity).select} WHERE ${where} ORDER BY id${d.lock ? ' FOR UPDATE' : ''}`, params }
}

/** Sends every plan's statement now (behind whatever the transaction sent before); answers in plan order. */
export function fetchPlans(tx: TxQueryable, plans: readonly EntityPlan[]): Promise<AnyRow[][]> {
  return Promise.all(plans.map((p) => {
    const s = statementOf(p)
    return tx.query<AnyRow>(s.sql, s.params)
  }))
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
