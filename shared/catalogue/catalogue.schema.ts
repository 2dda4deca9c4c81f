/**
 * The program's catalogue: what a family can see and book. Pulled by every role of the program.
 * `session.placesLeft` is availability as the server last knew it; the server decides on its own.
 */
import { z } from 'zod'
import { Cents, Id, IsoDate, IsoDateTime } from '../ids.ts'
import { PHONE_MAX_LENGTH } from '../limits.ts'

export const Program = z.object({
  id: Id,
  name: z.string(),
  shortName: z.string(),
  agency: z.string(),
  /** The partner that leads the program's network (e.g. "ASST di Crema"). */
  leadPartner: z.string().optional(),
  voucherAmountCents: Cents,
  /** Share of a price the voucher pays (100 = whole price; less = the family pays the rest). */
  voucherCoveragePercent: z.number().int().min(1).max(100),
  timeZone: z.string(),
  /** Emergency babysitting settings (issue 9; null = the defaults in shared/emergency/emergency.rules.ts). */
  emergencyHeadStartMinutes: z.number().int().min(0).max(240).nullish(),
  emergencyHourlyCents: Cents.nullish(),
  /** Who a family calls when no cooperative can come (the program's emergency desk). */
  emergencyContact: z.string().max(200).nullish(),
  /** The program's configuration (issue 11, migration 0012; null = not configured: no limit). */
  periodFrom: IsoDate.nullish(),
  periodTo: IsoDate.nullish(),
  budgetCents: Cents.nullish(),
  /**
   * A parent may cancel a booking up to this many hours before its session starts (null or 0: until
   * it starts). Later, the provider has organised the service: booking.cancel is refused.
   */
  cancellationWindowHours: z.number().int().min(0).max(720).nullish(),
  /** How the program's vouchers are funded: a call and its ranking, or employers for their employees. */
  funding: z.enum(['call', 'employer']).nullish(),
})
export type Program = z.infer<typeof Program>

export const Territory = z.object({ id: Id, programId: Id, name: z.string() })
export type Territory = z.infer<typeof Territory>

export const Provider = z.object({
  id: Id,
  programId: Id,
  name: z.string(),
  shortName: z.string(),
  territoryId: Id,
  kind: z.enum(['cooperative', 'public', 'private']),
  /** Set while the office has suspended the provider's accreditation (null: accredited and active). */
  suspendedAt: IsoDateTime.nullish(),
  suspensionReason: z.string().max(500).nullish(),
})
export type Provider = z.infer<typeof Provider>

/** Training tracks the source documents' Job Family desk keeps: nursery, baby (6 months–3 years), child care (3–6). */
export const OPERATOR_TRACKS = ['nursery-care', 'baby-care', 'child-care'] as const
export const Operator = z.object({
  id: Id,
  providerId: Id,
  name: z.string(),
  onCall: z.boolean(),
  track: z.enum(OPERATOR_TRACKS).nullable(),
  qualifications: z.string().max(500),
  takesMildlyIll: z.boolean(),
  /** When they can be called, e.g. "1-5 05:00-14:00; 6 08:00-12:00" (ISO weekdays, Rome time): operators.rules.ts. */
  onCallWindows: z.string().max(200),
  /**
   * A work phone (0028): given to the one family whose urgent request this operator accepts
   * (`emergencyRequest.contactPhone`), never to the office. Null: none given.
   */
  phone: z.string().max(PHONE_MAX_LENGTH).nullish(),
})
export type Operator = z.infer<typeof Operator>

export const SERVICE_CATEGORIES = [
  'nursery',
  'play-space',
  'after-school',
  'sick-child-babysitting',
  'adhd-lab',
  'dsa-after-school',
  'summer-camp',
  'educational-holiday',
  'accompaniment',
  'counselling',
  // The Rho "+ t x t" plan's professionals on demand (demo program 2).
  'babysitting-on-demand',
  'emergency-nanny',
  'holiday-campus',
  'time-saving',
] as const
export const ServiceUnit = z.enum(['hour', 'day', 'meeting', 'week'])
export type ServiceUnit = z.infer<typeof ServiceUnit>

export const Service = z.object({
  id: Id,
  programId: Id,
  category: z.enum(SERVICE_CATEGORIES),
  name: z.string(),
  nameEn: z.string(),
  description: z.string(),
  /** The description in English (null: only the Italian one exists; the phone then shows it). */
  descriptionEn: z.string().nullable().optional(),
  unit: ServiceUnit,
  ageMinYears: z.number().int().min(0).max(18),
  ageMaxYears: z.number().int().min(0).max(18),
  /**
   * The needs the service can care for (shared/catalogue/needs.rules.ts). null = every need (the
   * default before the office configures it). A child with a need the service does not accept is
   * refused at booking; with `needsOnly` the service is only for children with one of them (an ADHD lab).
   */
  acceptsDisability: z.boolean().nullish(),
  acceptsDsa: z.boolean().nullish(),
  needsOnly: z.boolean().nullish(),
})
export type Service = z.infer<typeof Service>

export const SessionStatus = z.enum(['open', 'closed', 'cancelled'])
export type SessionStatus = z.infer<typeof SessionStatus>

/**
 * A dated offering of a service by a provider. `places` counts children (one booking takes one
 * place); `quantity` in a booking counts units (hours, days…) up to `unitsMax`, priced per unit.
 */
export const Session = z.object({
  id: Id,
  serviceId: Id,
  providerId: Id,
  territoryId: Id,
  startsAt: IsoDateTime,
  endsAt: IsoDateTime,
  places: z.number().int().nonnegative(),
  placesLeft: z.number().int().nonnegative(),
  unitPriceCents: Cents,
  unitsMax: z.number().int().positive(),
  status: SessionStatus,
  /**
   * Waiting-list entries still waiting for a place (kept by the waiting list's mutators, made exact by
   * the database: migration 0016). 0: nobody waits, so a place freed or taken reads no waiting list.
   * A row a phone stored before the counter existed lacks it at run time: unknown, the list is read
   * (waitlist.mutators.ts `mayHaveWaiting`).
   */
  waiting: z.number().int().nonnegative(),
})
export type Session = z.infer<typeof Session>

/**
 * A provider's accreditation for one service of its program (issue 11): the office accredits it at a
 * price ceiling; the provider's sessions of that service are priced at most `maxUnitPriceCents`.
 * Pulled by every role of the program (the network's accredited services and prices are public).
 */
export const Accreditation = z.object({
  id: Id,
  programId: Id,
  providerId: Id,
  serviceId: Id,
  maxUnitPriceCents: Cents,
})
export type Accreditation = z.infer<typeof Accreditation>
