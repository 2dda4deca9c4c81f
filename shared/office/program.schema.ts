/**
 * The program's configuration and its providers' accreditation (issue 11, office commands:
 * docs/office-commands.md). Request and answer schemas for:
 *   GET  /api/office/program                → ProgramConfig
 *   PUT  /api/office/program                UpdateProgramRequest → ProgramConfig (paymentDaysAfterApproval
 *                                           0–365, absent = unchanged); 409 invalid-state
 *                                           {reason: 'config-conflicts', conflicts} when it would break
 *                                           existing vouchers or bookings (program.rules.ts)
 *   POST /api/office/programs               CreateProgramRequest → 201 {id, officerCode}
 *   GET  /api/office/providers              → ProvidersAnswer
 *   POST /api/office/providers              AccreditRequest → 201 {id, coordinatorCode}
 *   PUT  /api/office/providers/:id/services {services} → ProviderEntry; 409 when open sessions depend on it
 *   POST /api/office/providers/:id/suspend  {reason} → {declined, sessionsClosed}
 *   POST /api/office/providers/:id/reinstate → ProviderEntry
 */
import { z } from 'zod'
import { SERVICE_CATEGORIES, ServiceUnit } from '../catalogue/catalogue.schema.ts'
import { Cents, Id, IsoDate, IsoDateTime, Text } from '../ids.ts'

const name = Text(120).pipe(z.string().min(1))

export const ServiceConfig = z.object({
  /** Absent: a new service of the program. */
  id: Id.optional(),
  category: z.enum(SERVICE_CATEGORIES),
  name,
  nameEn: name,
  description: Text(1000).default(''),
  unit: ServiceUnit,
  ageMinYears: z.number().int().min(0).max(18),
  ageMaxYears: z.number().int().min(0).max(18),
  acceptsDisability: z.boolean(),
  acceptsDsa: z.boolean(),
  needsOnly: z.boolean(),
}).refine((s) => s.ageMinYears <= s.ageMaxYears, { message: 'ageMinYears must not exceed ageMaxYears', path: ['ageMaxYears'] })
  .refine((s) => !s.needsOnly || s.acceptsDisability || s.acceptsDsa, { message: 'a service for needs only must accept one', path: ['needsOnly'] })
export type ServiceConfig = z.infer<typeof ServiceConfig>

export const TerritoryConfig = z.object({ id: Id.optional(), name })
export type TerritoryConfig = z.infer<typeof TerritoryConfig>

const settings = {
  name,
  periodFrom: IsoDate,
  periodTo: IsoDate,
  budgetCents: Cents,
  voucherAmountCents: Cents.refine((n) => n > 0, 'a voucher is worth something'),
  voucherCoveragePercent: z.number().int().min(1).max(100),
  cancellationWindowHours: z.number().int().min(0).max(720),
  emergencyHeadStartMinutes: z.number().int().min(0).max(240),
  /**
   * Days from a statement's approval to the expected payment (issue 9: the provider's payments screen
   * dates each statement with it). Optional: absent keeps the program's setting (a new program: 60).
   */
  paymentDaysAfterApproval: z.number().int().min(0).max(365).optional(),
}
const periodInOrder = { message: 'periodFrom must not be after periodTo', path: ['periodTo'] }

export const UpdateProgramRequest = z.object({
  ...settings,
  territories: z.array(TerritoryConfig).min(1).max(50),
  services: z.array(ServiceConfig).min(1).max(60),
}).refine((r) => r.periodFrom <= r.periodTo, periodInOrder)
export type UpdateProgramRequest = z.infer<typeof UpdateProgramRequest>

export const CreateProgramRequest = z.object({
  ...settings,
  shortName: Text(40).pipe(z.string().min(1)),
  agency: name,
  funding: z.enum(['call', 'employer']),
  territories: z.array(TerritoryConfig).min(1).max(50),
  services: z.array(ServiceConfig).max(60).default([]),
}).refine((r) => r.periodFrom <= r.periodTo, periodInOrder)
export type CreateProgramRequest = z.infer<typeof CreateProgramRequest>
export const CreateProgramAnswer = z.object({ id: z.string(), officerCode: z.string() })
export type CreateProgramAnswer = z.infer<typeof CreateProgramAnswer>

/** What the configuration depends on today: the screen shows it next to the fields it limits. */
export const ProgramFacts = z.object({
  vouchers: z.number().int().nonnegative(),
  assignedCents: z.number().int().nonnegative(),
  liveBookings: z.number().int().nonnegative(),
})

export const ProgramConfig = z.object({
  id: z.string(),
  name: z.string(),
  shortName: z.string(),
  agency: z.string(),
  funding: z.enum(['call', 'employer']).nullable(),
  periodFrom: IsoDate.nullable(),
  periodTo: IsoDate.nullable(),
  budgetCents: z.number().int().nullable(),
  voucherAmountCents: z.number().int(),
  voucherCoveragePercent: z.number().int(),
  cancellationWindowHours: z.number().int().nullable(),
  emergencyHeadStartMinutes: z.number().int().nullable(),
  /** The program's setting, or the default (60 days: payments.rules.ts) where it has none. */
  paymentDaysAfterApproval: z.number().int(),
  territories: z.array(z.object({ id: z.string(), name: z.string() })),
  services: z.array(z.object({
    id: z.string(), category: z.enum(SERVICE_CATEGORIES), name: z.string(), nameEn: z.string(), description: z.string(), unit: ServiceUnit,
    ageMinYears: z.number().int(), ageMaxYears: z.number().int(), acceptsDisability: z.boolean(), acceptsDsa: z.boolean(), needsOnly: z.boolean(),
  })),
  facts: ProgramFacts,
})
export type ProgramConfig = z.infer<typeof ProgramConfig>

/** One reason a configuration change is refused (program.rules.ts `configConflicts`). */
export const ConfigConflict = z.object({
  reason: z.enum(['budget-below-assigned', 'bookings-outside-period', 'bookings-outside-age', 'bookings-need-not-accepted', 'sessions-above-price', 'sessions-open', 'in-use']),
  count: z.number().int().nonnegative().optional(),
  /** `in-use`: the table whose rows still use the territory or service being deleted (their `count`). */
  table: z.string().optional(),
  serviceId: z.string().optional(),
  assignedCents: z.number().int().optional(),
  maxUnitPriceCents: z.number().int().optional(),
})
export type ConfigConflict = z.infer<typeof ConfigConflict>

// ---- Providers and their accreditation ----

export const AccreditedService = z.object({ serviceId: Id, maxUnitPriceCents: Cents })
export type AccreditedService = z.infer<typeof AccreditedService>
const uniqueServices = (s: readonly AccreditedService[]) => new Set(s.map((x) => x.serviceId)).size === s.length

export const AccreditRequest = z.object({
  name,
  shortName: Text(40).pipe(z.string().min(1)),
  territoryId: Id,
  kind: z.enum(['cooperative', 'public', 'private']),
  services: z.array(AccreditedService).min(1).max(60).refine(uniqueServices, 'a service once'),
})
export type AccreditRequest = z.infer<typeof AccreditRequest>
export const AccreditAnswer = z.object({ id: z.string(), coordinatorCode: z.string() })
export type AccreditAnswer = z.infer<typeof AccreditAnswer>

export const ProviderServicesRequest = z.object({ services: z.array(AccreditedService).max(60).refine(uniqueServices, 'a service once') })
export const SuspendRequest = z.object({ reason: Text(500).pipe(z.string().min(3)) })
export const ProviderParams = z.object({ id: Id })

export const ProviderEntry = z.object({
  id: z.string(),
  name: z.string(),
  shortName: z.string(),
  territoryId: z.string(),
  kind: z.enum(['cooperative', 'public', 'private']),
  suspendedAt: IsoDateTime.nullable(),
  suspensionReason: z.string().nullable(),
  services: z.array(AccreditedService),
  openOrders: z.number().int().nonnegative(),
})
export type ProviderEntry = z.infer<typeof ProviderEntry>
export const ProvidersAnswer = z.object({ providers: z.array(ProviderEntry) })
export type ProvidersAnswer = z.infer<typeof ProvidersAnswer>
export const SuspendAnswer = z.object({ declined: z.number().int().nonnegative(), sessionsClosed: z.number().int().nonnegative(), provider: ProviderEntry })
export type SuspendAnswer = z.infer<typeof SuspendAnswer>
