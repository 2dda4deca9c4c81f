/**
 * The ONE Dexie database of the phone. Three kinds of tables:
 * - mirror tables: server rows as last pulled, read-only for the app (only pull writes them);
 * - `outbox`: mutations typed on this device and not yet acknowledged by a pull;
 * - `results`: the server's refusals, kept with the original mutation so a refused booking can still
 *   be shown with its reason; plus `meta`, a small key/value table (auth, ids, cookie, status).
 * Every schema version stays here, in order: never edit a landed version, add the next one.
 */
import Dexie, { type EntityTable } from 'dexie'
import { MIRROR_ENTITIES, MIRROR_TABLES } from '../../../shared/entities/mirror-tables.ts'
import type { EntityName, MirrorName, Row } from '../../../shared/entities/registry.ts'
import type { MetaRow, OutboxEntry, StoredResult } from './db.types.ts'

/** One mirror table per registry entity, named by its `mirror` (Dexie adds the properties itself). */
type MirrorTables = { [E in EntityName as MirrorName<E>]: EntityTable<Row<E>, 'id'> }

/**
 * The mirror tables' stores as the registry says today: primary key `id`, then its indexes (from
 * mirror-tables.ts, the registry's names without its zod schemas: this module is on the first screen).
 */
const mirrorStores = () => Object.fromEntries(MIRROR_ENTITIES.map((e) => [MIRROR_TABLES[e].mirror, ['id', ...MIRROR_TABLES[e].indexes].join(', ')]))

// The mirror tables are declared by the registry, not by hand: this interface adds their types.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type
export interface ConciliappDb extends MirrorTables {}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class ConciliappDb extends Dexie {
  outbox!: EntityTable<OutboxEntry, 'id'>
  results!: EntityTable<StoredResult, 'key'>
  meta!: EntityTable<MetaRow, 'key'>

  constructor(name = 'conciliapp') {
    super(name)
    // Version 1 (Foundation).
    this.version(1).stores({
      programs: 'id',
      territories: 'id, programId',
      providers: 'id, programId, territoryId',
      operators: 'id, providerId',
      services: 'id, programId, category',
      sessions: 'id, serviceId, providerId, territoryId, startsAt',
      families: 'id',
      children: 'id, familyId',
      vouchers: 'id, childId',
      bookings: 'id, childId, sessionId, providerId, status',
      outbox: 'id, clientId',
      results: 'key, [clientId+mutationId], dismissed',
      meta: 'key',
    })
    // Version 2 (entity registry): the mirror tables come from shared/entities/registry.ts (messages
    // added); mirrored rows gained fields (voucher.familyId, booking.deliveredAt), so the mirror is
    // dropped and the next pull starts from scratch. The outbox and results are kept.
    // An entity added to the registry later needs no new version: Dexie 4 upgrades the stores itself
    // when the declared ones differ from the installed ones. A new version is only for migrating data.
    this.version(2)
      .stores(mirrorStores())
      .upgrade(async (tx) => {
        await Promise.all(MIRROR_ENTITIES.map((e) => tx.table(MIRROR_TABLES[e].mirror).clear()))
        await tx.table('meta').delete('cookie')
      })
  }

  /** The mirror table of one entity. */
  mirror<E extends EntityName>(e: E): EntityTable<Row<E>, 'id'> {
    return this.table(MIRROR_TABLES[e].mirror) as unknown as EntityTable<Row<E>, 'id'>
  }
}

export const mirrorTables = (db: ConciliappDb) => MIRROR_ENTITIES.map((e) => db.mirror(e))

export const allTables = (db: ConciliappDb) => [...mirrorTables(db), db.outbox, db.results, db.meta]

// Drafts (localStorage) are in drafts.ts, without Dexie; re-exported for the modules that held them here.
export { DRAFT_PREFIX, forgetDrafts } from './drafts.ts'

/** The app's database. Tests use the same instance over fake-indexeddb and clear it between cases. */
export const db = new ConciliappDb()
