/**
 * The ONE Dexie database of the phone. Three kinds of tables:
 * - mirror tables: server rows as last pulled, read-only for the app (only pull writes them);
 * - `outbox`: mutations typed on this device and not yet acknowledged by a pull;
 * - `results`: the server's refusals, kept with the original mutation so a refused booking can still
 *   be shown with its reason; plus `meta`, a small key/value table (auth, ids, cookie, status).
 * Every schema version stays here, in order: never edit a landed version, add the next one.
 */
import Dexie, { type EntityTable } from 'dexie'
import type {
  Booking,
  Child,
  Family,
  Operator,
  Program,
  Provider,
  Service,
  Session,
  Territory,
  Voucher,
} from '../../../shared/index.ts'
import type { MetaRow, OutboxEntry, StoredResult } from './db.types.ts'

export class ConciliappDb extends Dexie {
  programs!: EntityTable<Program, 'id'>
  territories!: EntityTable<Territory, 'id'>
  providers!: EntityTable<Provider, 'id'>
  operators!: EntityTable<Operator, 'id'>
  services!: EntityTable<Service, 'id'>
  sessions!: EntityTable<Session, 'id'>
  families!: EntityTable<Family, 'id'>
  children!: EntityTable<Child, 'id'>
  vouchers!: EntityTable<Voucher, 'id'>
  bookings!: EntityTable<Booking, 'id'>
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
  }
}

/** Mirror table of each pulled entity (contract entity names → table). */
export const MIRROR_TABLES = {
  program: 'programs',
  territory: 'territories',
  provider: 'providers',
  operator: 'operators',
  service: 'services',
  session: 'sessions',
  family: 'families',
  child: 'children',
  voucher: 'vouchers',
  booking: 'bookings',
} as const
export type MirrorEntity = keyof typeof MIRROR_TABLES
export type MirrorTableName = (typeof MIRROR_TABLES)[MirrorEntity]

export const mirrorTables = (db: ConciliappDb) => Object.values(MIRROR_TABLES).map((name) => db.table(name))

export const allTables = (db: ConciliappDb) => [...mirrorTables(db), db.outbox, db.results, db.meta]

/** The app's database. Tests use the same instance over fake-indexeddb and clear it between cases. */
export const db = new ConciliappDb()
