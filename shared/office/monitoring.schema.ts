/**
 * GET /api/office/monitoring?from=&to=[&territoryId=][&format=csv] (architecture.md, "Office API"):
 * the indicators the program reports, over a period of Rome calendar days, for the whole program or
 * one territory. The contract's fields are all here; the rest is added (unknown keys are dropped by
 * an older reader). Every amount in cents. What each figure counts: docs/office-commands.md.
 */
import { z } from 'zod'
import { Id, IsoDate } from '../ids.ts'

const n = z.number().int().nonnegative()

export const MonitoringQuery = z
  .object({ from: IsoDate, to: IsoDate, territoryId: Id.optional(), format: z.enum(['json', 'csv']).default('json') })
  .refine((q) => q.from <= q.to, { message: 'from must not be after to', path: ['to'] })
export type MonitoringQuery = z.infer<typeof MonitoringQuery>

export const MonitoringService = z.object({
  serviceId: z.string(),
  serviceName: z.string(),
  unit: z.string(),
  /** Bookings requested in the period (created then), whatever became of them. */
  bookings: n,
  /** Bookings delivered in the period (delivered_at), and their units (hours for hourly services). */
  delivered: n,
  units: n,
  voucherCents: n,
})
export type MonitoringService = z.infer<typeof MonitoringService>

export const MonitoringProvider = z.object({
  providerId: z.string(),
  providerName: z.string(),
  serviceId: z.string(),
  delivered: n,
  units: n,
  voucherCents: n,
})
export type MonitoringProvider = z.infer<typeof MonitoringProvider>

export const MonitoringAnswer = z.object({
  programId: z.string(),
  from: IsoDate,
  to: IsoDate,
  territoryId: z.string().nullable(),
  /** The vouchers as they stand now (a balance has no period): left = not held, not spent. */
  vouchers: z.object({ count: n, amountCents: n, heldCents: n, spentCents: n, leftCents: n }),
  /** Families and children served: with at least one booking delivered in the period. */
  families: n,
  children: n,
  childrenWithDisability: n,
  shiftWorkers: n,
  services: z.array(MonitoringService),
  /** Hours (units) delivered by service and provider. */
  providers: z.array(MonitoringProvider),
  /** Devices activated in the period, and device-days of use (counted at most once a day per device). */
  accesses: z.object({ activations: n, deviceDays: n }),
  emergency: z.object({ requests: n, accepted: n, expired: n, medianSecondsToAccept: z.number().nonnegative().nullable() }),
})
export type MonitoringAnswer = z.infer<typeof MonitoringAnswer>
