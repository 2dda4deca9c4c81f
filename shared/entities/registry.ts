/**
 * THE list of entities (docs/adding-an-entity.md). For each: its zod schema, the SQL table and each
 * field's column type (the column is the field in snake_case), the phone's Dexie table and indexes,
 * the spaces a row lives in (from its own fields), the fields a role does NOT receive, whether a
 * mutator's read locks it, and the lookups mutators may make besides "by id".
 *
 * Everything around the mutators is driven from here: the pull's SELECTs, projection per role and
 * stamps, the server's reads and set-based writes, the memory store, the Dexie tables, the phone's
 * snapshot, the test model and the fake server. Entity names are contract (architecture.md).
 */
import type { z } from 'zod'
import { Booking } from '../booking/booking.schema.ts'
import { Message } from '../booking/message.schema.ts'
import { PlanDateRow } from '../booking/plan-date.schema.ts'
import { WaitlistEntry } from '../booking/waitlist.schema.ts'
import { Accreditation, Operator, Program, Provider, Service, Session, Territory } from '../catalogue/catalogue.schema.ts'
import { EmergencyRequest } from '../emergency/emergency.schema.ts'
import { BirthDateRequest, Child, ChildChange, Family } from '../family/family.schema.ts'
import type { Role } from '../actor.ts'
import { space } from '../sync/spaces.ts'
import { Voucher } from '../voucher/voucher.schema.ts'

export type SqlType = 'text' | 'int' | 'bool' | 'date' | 'timestamptz'

/**
 * A read of every row whose `fields` equal the given key, e.g. a child's voucher in a program.
 * `lock` rows are read FOR UPDATE in id order. `narrow` is an optional extra SQL condition, order and
 * limit the server adds (`$now` is the deciding clock): an index-friendly pre-filter only; the rule
 * must filter the same way itself, because the memory store ignores it.
 */
export interface Lookup<T> {
  fields: readonly (keyof T & string)[]
  lock?: boolean
  narrow?: { where: string; orderBy?: string; limit?: number }
}

export interface EntityDef<T extends { id: string }, M extends string = string> {
  schema: z.ZodObject<z.ZodRawShape> & z.ZodType<T>
  table: string
  /** The phone's Dexie table (plural) and its secondary indexes. */
  mirror: M
  indexes: readonly string[]
  columns: { readonly [K in keyof T]-?: SqlType }
  spaces(row: T): string[]
  /** The roles that receive this entity at all (default: every role that sees its spaces). */
  receivedBy?: readonly Role[]
  /** Fields a role never receives in a pull (personal data it does not need). */
  omit?: { readonly [R in Role]?: readonly (keyof T & string)[] }
  /** Read with a row lock by mutators; the lock order across entities is LOCK_ORDER. */
  lock?: boolean
  /**
   * Read by mutators on the server FOR KEY SHARE (no row lock otherwise): an office change of the row
   * takes it FOR UPDATE, so a push deciding against the old configuration commits before the change
   * reads what stands, or waits and then reads the row as the change left it. Never taken in a cycle:
   * such a row is read after the locked entities, and the change locks it before anything else.
   */
  shareLock?: boolean
  lookups?: Record<string, Lookup<T>>
}

const entity = <T extends { id: string }, const M extends string, const L extends Record<string, Lookup<T>> = Record<never, Lookup<T>>>(
  def: EntityDef<T, M> & { lookups?: L },
) => def as EntityDef<T, M> & { lookups: L }

export const ENTITIES = {
  program: entity({
    schema: Program, table: 'programs', mirror: 'programs', indexes: [],
    columns: {
      id: 'text', name: 'text', shortName: 'text', agency: 'text', leadPartner: 'text', voucherAmountCents: 'int', voucherCoveragePercent: 'int',
      timeZone: 'text', emergencyHeadStartMinutes: 'int', emergencyHourlyCents: 'int', emergencyContact: 'text',
      periodFrom: 'date', periodTo: 'date', budgetCents: 'int', cancellationWindowHours: 'int', funding: 'text',
    },
    spaces: (p) => [space.program(p.id)],
    shareLock: true,
  }),
  territory: entity({
    schema: Territory, table: 'territories', mirror: 'territories', indexes: ['programId'],
    columns: { id: 'text', programId: 'text', name: 'text' },
    spaces: (t) => [space.program(t.programId)],
    lookups: { ofProgram: { fields: ['programId'] } },
  }),
  provider: entity({
    schema: Provider, table: 'providers', mirror: 'providers', indexes: ['programId', 'territoryId'],
    columns: {
      id: 'text', programId: 'text', name: 'text', shortName: 'text', territoryId: 'text', kind: 'text', suspendedAt: 'timestamptz', suspensionReason: 'text',
    },
    spaces: (p) => [space.program(p.programId)],
  }),
  operator: entity({
    schema: Operator, table: 'operators', mirror: 'operators', indexes: ['providerId'],
    columns: {
      id: 'text', providerId: 'text', name: 'text', onCall: 'bool', track: 'text', qualifications: 'text', takesMildlyIll: 'bool', onCallWindows: 'text',
      phone: 'text',
    },
    // The cooperative's staff: its own provider and the office, never the families (who learn the name
    // of the operator assigned to them through their booking's `operatorName`). An operator's phone
    // receives its own row only (assigned:<id>): whether they are on call, and when (issue 9).
    spaces: (o) => [space.staff(o.providerId), space.assigned(o.id)],
    receivedBy: ['provider', 'officer', 'operator'],
    // A work phone is for the family an operator goes to (through the request), not the office's.
    omit: { officer: ['qualifications', 'onCallWindows', 'phone'] },
    lookups: { ofProvider: { fields: ['providerId'] } },
  }),
  service: entity({
    schema: Service, table: 'services', mirror: 'services', indexes: ['programId', 'category'],
    columns: {
      id: 'text', programId: 'text', category: 'text', name: 'text', nameEn: 'text', description: 'text', descriptionEn: 'text', unit: 'text',
      ageMinYears: 'int', ageMaxYears: 'int', acceptsDisability: 'bool', acceptsDsa: 'bool', needsOnly: 'bool',
    },
    spaces: (s) => [space.program(s.programId)],
  }),
  accreditation: entity({
    schema: Accreditation, table: 'accreditations', mirror: 'accreditations', indexes: ['providerId', 'serviceId'],
    columns: { id: 'text', programId: 'text', providerId: 'text', serviceId: 'text', maxUnitPriceCents: 'int' },
    spaces: (a) => [space.program(a.programId)],
    lookups: { ofProviderService: { fields: ['providerId', 'serviceId'] } },
  }),
  session: entity({
    schema: Session, table: 'sessions', mirror: 'sessions', indexes: ['serviceId', 'providerId', 'territoryId', 'startsAt'],
    columns: {
      id: 'text', serviceId: 'text', providerId: 'text', territoryId: 'text', startsAt: 'timestamptz', endsAt: 'timestamptz',
      places: 'int', placesLeft: 'int', unitPriceCents: 'int', unitsMax: 'int', status: 'text', waiting: 'int',
    },
    spaces: (s) => [space.catalog(s.providerId)],
    lock: true,
    lookups: {
      /** Suggestions, unlocked; the server pre-filters with the index (service, start). */
      ofService: {
        fields: ['serviceId'],
        narrow: { where: "status = 'open' AND places_left > 0 AND starts_at > $now", orderBy: 'starts_at', limit: 10 },
      },
      /** A recurring plan item's candidates (recurrence.rules.ts), unlocked: each date is then locked by id. */
      ofServiceProvider: {
        fields: ['serviceId', 'providerId'],
        narrow: { where: 'starts_at > $now', orderBy: 'starts_at', limit: 400 },
      },
    },
  }),
  family: entity({
    schema: Family, table: 'families', mirror: 'families', indexes: [],
    columns: { id: 'text', programId: 'text', name: 'text' },
    spaces: (f) => [space.family(f.id)],
  }),
  child: entity({
    schema: Child, table: 'children', mirror: 'children', indexes: ['familyId'],
    columns: { id: 'text', familyId: 'text', firstName: 'text', birthDate: 'date', disability: 'bool', dsa: 'bool', note: 'text' },
    spaces: (c) => [space.family(c.familyId)],
  }),
  /** Every change of a child (issue 10): the family's only, append-only. */
  childChange: entity({
    schema: ChildChange, table: 'child_changes', mirror: 'childChanges', indexes: ['childId'],
    columns: {
      id: 'text', childId: 'text', familyId: 'text', field: 'text', before: 'text', after: 'text', changedAt: 'timestamptz',
      changedBy: 'text', requestId: 'text',
    },
    spaces: (c) => [space.family(c.familyId)],
    receivedBy: ['parent'],
  }),
  /** A birth date asked of the office once a voucher exists (the office decides it: office/birth-dates). */
  birthDateRequest: entity({
    schema: BirthDateRequest, table: 'birth_date_requests', mirror: 'birthDateRequests', indexes: ['childId'],
    columns: {
      id: 'text', childId: 'text', familyId: 'text', programId: 'text', birthDate: 'date', previousBirthDate: 'date', status: 'text',
      requestedAt: 'timestamptz', decidedAt: 'timestamptz', reason: 'text',
    },
    spaces: (r) => [space.family(r.familyId)],
    receivedBy: ['parent'],
    lookups: { ofChild: { fields: ['childId'] } },
  }),
  voucher: entity({
    schema: Voucher, table: 'vouchers', mirror: 'vouchers', indexes: ['childId'],
    columns: {
      id: 'text', childId: 'text', familyId: 'text', programId: 'text', amountCents: 'int', heldCents: 'int', spentCents: 'int',
      balanceCents: 'int',
    },
    spaces: (v) => [space.family(v.familyId)],
    lock: true,
    lookups: { ofChild: { fields: ['childId', 'programId'], lock: true } },
  }),
  booking: entity({
    schema: Booking, table: 'bookings', mirror: 'bookings', indexes: ['childId', 'sessionId', 'providerId', 'status'],
    columns: {
      id: 'text', childId: 'text', familyId: 'text', sessionId: 'text', serviceId: 'text', providerId: 'text', quantity: 'int',
      status: 'text', unitPriceCents: 'int', totalCents: 'int', voucherCents: 'int', copayCents: 'int', note: 'text',
      declineReason: 'text', operatorId: 'text', childFirstName: 'text', createdAt: 'timestamptz', updatedAt: 'timestamptz',
      deliveredAt: 'timestamptz', deliveredQuantity: 'int', noShow: 'bool', confirmedBy: 'text', deliveredBy: 'text', operatorName: 'text',
      planId: 'text',
      familyName: 'text', childAgeMonths: 'int', address: 'text',
      proposedSessionId: 'text', proposalNote: 'text', proposalStatus: 'text', proposedAt: 'timestamptz',
    },
    // An operator's phone pulls the bookings assigned to them (a reassignment leaves the old space: del).
    spaces: (b) => [space.family(b.familyId), space.orders(b.providerId), ...(b.operatorId ? [space.assigned(b.operatorId)] : [])],
    // The parent's note may speak of allergies, DSA, medicines: for the provider who cares for the child.
    // Who of the provider's staff confirmed or delivered is the provider's (and the audit's) business.
    // Who and where (family name, child's age, home address) are for the provider and the operator
    // assigned; the family knows its own, the office has no use for them on an order.
    omit: { officer: ['note', 'familyName', 'childAgeMonths', 'address', 'proposalNote'], parent: ['confirmedBy', 'deliveredBy', 'familyName', 'childAgeMonths'] },
    lock: true,
    lookups: {
      ofSession: { fields: ['sessionId'], lock: true },
      ofChild: { fields: ['childId'], lock: true },
      /**
       * A child's live booking of a session (at most one). Locked like every booking read, so a batch
       * sees the bookings its own earlier mutations inserted; two requests racing in separate
       * transactions are stopped by the partial unique index bookings_live_child_session (0009).
       */
      liveOfChildSession: { fields: ['childId', 'sessionId'], lock: true, narrow: { where: "status IN ('requested', 'confirmed')" } },
    },
  }),
  waitlistEntry: entity({
    schema: WaitlistEntry, table: 'waitlist_entries', mirror: 'waitlistEntries', indexes: ['sessionId', 'childId', 'status'],
    columns: {
      id: 'text', childId: 'text', familyId: 'text', sessionId: 'text', serviceId: 'text', providerId: 'text', quantity: 'int',
      status: 'text', bookingId: 'text', createdAt: 'timestamptz', updatedAt: 'timestamptz',
    },
    // The family's own turn: nobody else learns who waits (the provider sees the request once promoted).
    spaces: (w) => [space.family(w.familyId)],
    receivedBy: ['parent'],
    lock: true,
    lookups: {
      /** The session's waiting entries (the rule orders them by createdAt, then id: the turn). */
      waitingOfSession: { fields: ['sessionId'], lock: true, narrow: { where: "status = 'waiting'" } },
      /** A child's waiting entry on a session (at most one: waitlist_waiting_child_session, 0014). */
      waitingOfChildSession: { fields: ['childId', 'sessionId'], lock: true, narrow: { where: "status = 'waiting'" } },
    },
  }),
  /** A recurring plan item's dates as the server decided them (booked, or skipped and why): the family's only. */
  planDate: entity({
    schema: PlanDateRow, table: 'plan_dates', mirror: 'planDates', indexes: ['planId'],
    columns: {
      id: 'text', planId: 'text', familyId: 'text', childId: 'text', sessionId: 'text', startsAt: 'timestamptz', bookingId: 'text', code: 'text',
      reason: 'text', createdAt: 'timestamptz',
    },
    spaces: (d) => [space.family(d.familyId)],
    receivedBy: ['parent'],
  }),
  message: entity({
    schema: Message, table: 'messages', mirror: 'messages', indexes: ['bookingId'],
    columns: {
      id: 'text', bookingId: 'text', familyId: 'text', providerId: 'text', authorRole: 'text', body: 'text', createdAt: 'timestamptz',
      operatorId: 'text', writtenBy: 'text',
    },
    // The operator assigned to the booking reads and answers its thread (a reassignment leaves the old space: del).
    spaces: (m) => [space.family(m.familyId), space.orders(m.providerId), ...(m.operatorId ? [space.assigned(m.operatorId)] : [])],
    // Between the family and the provider's side: the office, which sees every order, does not read them.
    receivedBy: ['parent', 'provider', 'operator'],
    // Which of the provider's staff wrote is the provider's business (like a booking's confirmedBy).
    omit: { parent: ['writtenBy'] },
    lookups: { ofBooking: { fields: ['bookingId'] } },
  }),
  emergencyRequest: entity({
    schema: EmergencyRequest, table: 'emergency_requests', mirror: 'emergencyRequests', indexes: ['familyId', 'status', 'deadlineAt'],
    columns: {
      id: 'text', familyId: 'text', childId: 'text', programId: 'text', territoryId: 'text', startsAt: 'timestamptz', endsAt: 'timestamptz',
      deadlineAt: 'timestamptz', status: 'text', providerId: 'text', operatorId: 'text', operatorName: 'text', acceptedAt: 'timestamptz',
      address: 'text', note: 'text', familyName: 'text', childFirstName: 'text', childBirthDate: 'date', voucherId: 'text',
      estimatedCents: 'int', heldCents: 'int', stage: 'text', usualProviderId: 'text', headStartEndsAt: 'timestamptz', seenCount: 'int',
      usualOperatorId: 'text', deliveredAt: 'timestamptz', deliveredHours: 'int', noShow: 'bool', deliveredBy: 'text', spentCents: 'int',
      createdAt: 'timestamptz', updatedAt: 'timestamptz', contactPhone: 'text',
    },
    // Open: the usual cooperative and its usual operator (head start), then the territory's (its
    // cooperatives and their operators on call); decided: the winner and the operator who goes.
    // Leaving a space is stamped as a deletion there, so the others' inboxes drop it (decide.ts).
    spaces: (r) => {
      const out = [space.family(r.familyId), space.office(r.programId)]
      if (r.providerId) {
        out.push(space.orders(r.providerId))
        if (r.operatorId) out.push(space.assigned(r.operatorId))
      } else if (r.status === 'open') {
        if (r.usualProviderId) out.push(space.orders(r.usualProviderId))
        if (r.usualOperatorId) out.push(space.assigned(r.usualOperatorId))
        if (r.stage === 'territory') out.push(space.emergency(r.territoryId))
      }
      return out
    },
    // The address and the note (symptoms, medicine, keys) are for the family and the sitters only.
    // seenCount is the family's ("seen by N"): stamped only in its space and the office's (emergency/seen.ts).
    // Who of the provider's staff recorded the delivery is the provider's (and the audit's) business.
    // The family learns who comes and their phone (operatorName, contactPhone), never which of the staff usually
    // sits for it (usualOperatorId); the office needs neither the address nor that phone.
    // The family's voucher amounts are not the operator's business (their phone decides a delivery on the
    // request alone, emergency.mutators.ts): the coordinator's phone keeps them.
    omit: {
      officer: ['address', 'note', 'contactPhone'], provider: ['seenCount'], operator: ['seenCount', 'voucherId', 'estimatedCents', 'heldCents', 'spentCents'],
      parent: ['deliveredBy', 'usualOperatorId'],
    },
    lock: true,
    lookups: {
      ofFamily: { fields: ['familyId'] },
      /** An operator's accepted requests (still to come): a rename reaches the family waiting for them (operator.mutators.ts). */
      acceptedOfOperator: { fields: ['operatorId'], lock: true, narrow: { where: "status = 'accepted'" } },
    },
  }),
} as const

export type Entities = typeof ENTITIES
export type EntityName = keyof Entities
export type Row<E extends EntityName> = z.infer<Entities[E]['schema']>
export type LookupName<E extends EntityName> = keyof Entities[E]['lookups'] & string
export type MirrorName<E extends EntityName = EntityName> = Entities[E]['mirror']

export const ENTITY_NAMES = Object.keys(ENTITIES) as EntityName[]

/** Locked entities are read in this order by every transaction (so none waits on another in a cycle). */
export const LOCK_ORDER: readonly EntityName[] = ['emergencyRequest', 'booking', 'session', 'waitlistEntry', 'voucher']

export const def = <E extends EntityName>(e: E): EntityDef<Row<E>> => ENTITIES[e] as unknown as EntityDef<Row<E>>

export const isEntityName = (name: string): name is EntityName => Object.hasOwn(ENTITIES, name)

export const columnOf = (field: string): string => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)

/** The fields of an entity, in schema order. */
export const fieldsOf = (e: EntityName): string[] => Object.keys(def(e).columns)

/** Does this role receive rows of this entity at all? */
export const receives = (e: EntityName, role: Role): boolean => def(e).receivedBy?.includes(role) ?? true

/** The value a role receives: the row without the fields the registry withholds from that role. */
export function project<E extends EntityName>(e: E, row: Row<E>, role: Role): Partial<Row<E>> {
  const omit = def(e).omit?.[role]
  if (!omit?.length) return row
  const out: Record<string, unknown> = { ...row }
  for (const f of omit) delete out[f]
  return out as Partial<Row<E>>
}

/** The schema a role's pulled values match: the withheld fields may be absent. */
export function schemaFor(e: EntityName, role: Role): z.ZodType {
  const { schema, omit } = def(e)
  const fields = omit?.[role]
  return fields?.length ? schema.partial(Object.fromEntries(fields.map((f) => [f, true]))) : schema
}
