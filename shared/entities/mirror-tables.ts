/**
 * The phone's mirror tables (Dexie) by entity: name and secondary indexes, as in the registry, but
 * without it. The registry holds each entity's zod schema, and importing it runs `z.object(…)` for
 * every entity: the phone's first screen (db.ts, the view) needs only these names, so zod stays off
 * it (issue 10, `npm run bench:bundle`). Typed by the registry (a type-only import): an entity added
 * there and missing here does not compile, and mirror-tables.test.ts checks names and indexes match.
 */
import type { EntityName, MirrorName } from './registry.ts'

export const MIRROR_TABLES: { readonly [E in EntityName]: { readonly mirror: MirrorName<E>; readonly indexes: readonly string[] } } = {
  program: { mirror: 'programs', indexes: [] },
  territory: { mirror: 'territories', indexes: ['programId'] },
  provider: { mirror: 'providers', indexes: ['programId', 'territoryId'] },
  operator: { mirror: 'operators', indexes: ['providerId'] },
  service: { mirror: 'services', indexes: ['programId', 'category'] },
  accreditation: { mirror: 'accreditations', indexes: ['providerId', 'serviceId'] },
  session: { mirror: 'sessions', indexes: ['serviceId', 'providerId', 'territoryId', 'startsAt'] },
  family: { mirror: 'families', indexes: [] },
  child: { mirror: 'children', indexes: ['familyId'] },
  childChange: { mirror: 'childChanges', indexes: ['childId'] },
  birthDateRequest: { mirror: 'birthDateRequests', indexes: ['childId'] },
  voucher: { mirror: 'vouchers', indexes: ['childId'] },
  booking: { mirror: 'bookings', indexes: ['childId', 'sessionId', 'providerId', 'status'] },
  waitlistEntry: { mirror: 'waitlistEntries', indexes: ['sessionId', 'childId', 'status'] },
  planDate: { mirror: 'planDates', indexes: ['planId'] },
  message: { mirror: 'messages', indexes: ['bookingId'] },
  emergencyRequest: { mirror: 'emergencyRequests', indexes: ['familyId', 'status', 'deadlineAt'] },
}

/** The entities in the registry's order (the order of its keys; checked by the test). */
export const MIRROR_ENTITIES = Object.keys(MIRROR_TABLES) as EntityName[]

/** Every mirror table's name, in the registry's order. */
export const MIRROR_NAMES: readonly MirrorName[] = MIRROR_ENTITIES.map((e) => MIRROR_TABLES[e].mirror)
