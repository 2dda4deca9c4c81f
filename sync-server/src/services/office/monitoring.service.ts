/**
 * Monitoring (GET /api/office/monitoring; answer: shared/office/monitoring.schema.ts). The booking
 * figures come from the rollups of migration 0011, kept by triggers on `bookings`: deliveries and
 * requests per hour (delivery_hours, request_hours) and the days each child was served per provider
 * and year (served_years, one bit a day), so a month reads ~720 hours of rollups whatever the size of
 * the database (bench/office.bench.ts: a million bookings). The rollups count by whole UTC hours, so
 * a period must start and end on one: every program's time zone is Europe/Rome (createProgram); one
 * with a half-hour offset is refused (409 invalid-state, `time-zone-not-whole-hours`) rather than
 * answered wrong. The tests compare the rollups with scans of the bookings themselves
 * (sync-server/src/test/monitoring-scans.ts, passed as `figures`). Tokens are read by created_at. The vouchers are their current
 * state (a balance has no period). With `territoryId`: bookings of that territory's providers,
 * vouchers and families of the families living there (families.territory_id); accesses are the
 * program's (a device has no territory).
 */
import type { Actor } from '../../../../shared/actor.ts'
import type { MonitoringAnswer, MonitoringProvider, MonitoringService } from '../../../../shared/office/monitoring.schema.ts'
import { euroIt } from '../../../../shared/office/statements.rules.ts'
import type { Queryable } from '../../db/db.ts'
import { AppError } from '../../errors.ts'
import { addDays, zonedToUtc } from '../time-zone.ts'

export interface Period {
  programId: string
  territoryId: string | null
  start: string
  end: string
}

export type Served = Pick<MonitoringAnswer, 'families' | 'children' | 'childrenWithDisability' | 'shiftWorkers'>
export type Requested = Pick<MonitoringService, 'serviceId' | 'serviceName' | 'unit' | 'bookings'>

/** Where the booking figures are read: the rollups (ROLLUPS); the tests pass scans of the bookings. */
export interface BookingFigures {
  served(q: Queryable, p: Period, from: string, to: string): Promise<Served>
  delivered(q: Queryable, p: Period): Promise<MonitoringProvider[]>
  requested(q: Queryable, p: Period): Promise<Requested[]>
}

export async function monitoring(
  q: Queryable, officer: Actor, from: string, to: string, territoryId?: string, figures: BookingFigures = ROLLUPS,
): Promise<MonitoringAnswer> {
  const [program] = await q.query<{ timeZone: string }>('SELECT time_zone AS "timeZone" FROM programs WHERE id = $1', [officer.programId])
  if (!program) throw new AppError('not-found', { entity: 'program' })
  if (territoryId) {
    const [t] = await q.query('SELECT 1 FROM territories WHERE id = $1 AND program_id = $2', [territoryId, officer.programId])
    if (!t) throw new AppError('not-found', { entity: 'territory', id: territoryId })
  }
  const p: Period = {
    programId: officer.programId,
    territoryId: territoryId ?? null,
    start: zonedToUtc(from, '00:00', program.timeZone).toISOString(),
    end: zonedToUtc(addDays(to, 1), '00:00', program.timeZone).toISOString(),
  }
  if (figures === ROLLUPS && !wholeHours(p)) throw new AppError('invalid-state', { reason: 'time-zone-not-whole-hours', timeZone: program.timeZone })
  // Independent reads: on Postgres they run on several pooled connections at once.
  const [vouchers, served, delivered, requested, accesses, emergency] = await Promise.all([
    voucherFigures(q, p), figures.served(q, p, from, to), figures.delivered(q, p), figures.requested(q, p), accessFigures(q, p, from, to),
    emergencyFigures(q, p),
  ])
  return {
    programId: officer.programId, from, to, territoryId: p.territoryId, vouchers, ...served,
    services: servicesOf(delivered, requested), providers: delivered, accesses, emergency,
  }
}

/** Bookings of the program's providers (of the territory, when asked). */
export const PROVIDERS_OF = `SELECT id FROM providers WHERE program_id = $1 AND ($2::text IS NULL OR territory_id = $2)`

async function voucherFigures(q: Queryable, p: Period): Promise<MonitoringAnswer['vouchers']> {
  const [v] = await q.query<MonitoringAnswer['vouchers']>(
    `SELECT count(*)::int AS count, coalesce(sum(v.amount_cents), 0)::int8 AS "amountCents", coalesce(sum(v.held_cents), 0)::int8 AS "heldCents",
       coalesce(sum(v.spent_cents), 0)::int8 AS "spentCents", coalesce(sum(v.balance_cents), 0)::int8 AS "leftCents"
     FROM vouchers v
     WHERE v.program_id = $1${p.territoryId ? ' AND v.family_id IN (SELECT id FROM families WHERE territory_id = $2)' : ''}`,
    p.territoryId ? [p.programId, p.territoryId] : [p.programId],
  )
  return v!
}

const wholeHours = (p: Period) => [p.start, p.end].every((t) => new Date(t).getTime() % 3_600_000 === 0)

/**
 * For each year the period touches, the 366-bit mask of its days in that year (bit n = day n of the
 * year, from 0), as served_years stores them.
 */
export function dayMasks(from: string, to: string): { years: number[]; masks: string[] } {
  const day = (s: string) => Date.UTC(Number(s.slice(0, 4)), Number(s.slice(5, 7)) - 1, Number(s.slice(8, 10)))
  const years: number[] = []
  const masks: string[] = []
  for (let y = Number(from.slice(0, 4)); y <= Number(to.slice(0, 4)); y++) {
    const jan1 = Date.UTC(y, 0, 1)
    const first = Math.max(day(from), jan1)
    const last = Math.min(day(to), Date.UTC(y, 11, 31))
    if (last < first) continue
    const a = (first - jan1) / 86_400_000
    const b = (last - jan1) / 86_400_000
    years.push(y)
    masks.push('0'.repeat(a) + '1'.repeat(b - a + 1) + '0'.repeat(365 - b))
  }
  return { years, masks }
}

/** Families and children with a delivery in the period: one bit test per child served in the scope in each year touched. */
async function servedFigures(q: Queryable, p: Period, from: string, to: string) {
  const { years, masks } = dayMasks(from, to)
  const [s] = await q.query<Served>(
    `WITH m AS (SELECT * FROM unnest($2::int[], $3::bit(366)[]) AS m(year, mask)),
     served AS (
       SELECT DISTINCT s.family_id, s.child_id FROM served_years s JOIN m ON m.year = s.year
       WHERE s.scope = $1 AND bit_count(s.days & m.mask) > 0
     ), fams AS (SELECT DISTINCT family_id FROM served)
     SELECT (SELECT count(*) FROM fams)::int AS families, (SELECT count(*) FROM served)::int AS children,
       (SELECT count(*) FROM served s JOIN children c ON c.id = s.child_id WHERE c.disability)::int AS "childrenWithDisability",
       (SELECT count(*) FROM fams s JOIN families f ON f.id = s.family_id WHERE f.shift_worker)::int AS "shiftWorkers"`,
    [p.territoryId ? `territory:${p.territoryId}` : `program:${p.programId}`, years, masks],
  )
  return s!
}

function deliveredBy(q: Queryable, p: Period): Promise<MonitoringProvider[]> {
  return q.query<MonitoringProvider>(
    `SELECT d.provider_id AS "providerId", pr.name AS "providerName", d.service_id AS "serviceId", sum(d.delivered)::int AS delivered,
       sum(d.units)::int8 AS units, sum(d.voucher_cents)::int8 AS "voucherCents"
     FROM delivery_hours d JOIN providers pr ON pr.id = d.provider_id
     WHERE d.hour >= $3 AND d.hour < $4 AND pr.program_id = $1 AND ($2::text IS NULL OR pr.territory_id = $2)
     GROUP BY d.provider_id, pr.name, d.service_id HAVING sum(d.delivered) > 0
     ORDER BY pr.name, d.service_id`,
    [p.programId, p.territoryId, p.start, p.end],
  )
}

function requestedBy(q: Queryable, p: Period): Promise<Requested[]> {
  return q.query(
    `SELECT s.id AS "serviceId", s.name AS "serviceName", s.unit, coalesce(r.bookings, 0)::int AS bookings
     FROM services s LEFT JOIN (
       SELECT r.service_id, sum(r.bookings) AS bookings FROM request_hours r
       WHERE r.hour >= $3 AND r.hour < $4 AND r.provider_id IN (${PROVIDERS_OF}) GROUP BY 1
     ) r ON r.service_id = s.id
     WHERE s.program_id = $1 ORDER BY s.name`,
    [p.programId, p.territoryId, p.start, p.end],
  )
}

/** The booking figures from the rollups of 0011. */
const ROLLUPS: BookingFigures = { served: servedFigures, delivered: deliveredBy, requested: requestedBy }

/** Every service of the program, with what was requested and delivered of it in the period. */
function servicesOf(delivered: MonitoringProvider[], requested: Requested[]): MonitoringService[] {
  return requested.map((s) => {
    const mine = delivered.filter((d) => d.serviceId === s.serviceId)
    return {
      ...s,
      delivered: mine.reduce((a, d) => a + d.delivered, 0),
      units: mine.reduce((a, d) => a + d.units, 0),
      voucherCents: mine.reduce((a, d) => a + d.voucherCents, 0),
    }
  })
}

async function accessFigures(q: Queryable, p: Period, from: string, to: string): Promise<MonitoringAnswer['accesses']> {
  const [a] = await q.query<MonitoringAnswer['accesses']>(
    `SELECT (SELECT count(*) FROM tokens t JOIN activation_codes c ON c.id = t.code_id
             WHERE t.created_at >= $2 AND t.created_at < $3 AND c.program_id = $1)::int AS activations,
            (SELECT coalesce(sum(uses), 0) FROM platform_access_days WHERE program_id = $1 AND day BETWEEN $4 AND $5)::int AS "deviceDays"`,
    [p.programId, p.start, p.end, from, to],
  )
  return a!
}

/**
 * Emergency requests (emergency_requests, migration 0007) created in the period: how many, how many
 * were accepted (accepted or since delivered), how many expired, and the median seconds from the
 * request to its acceptance. A territory filters by the request's territory.
 */
async function emergencyFigures(q: Queryable, p: Period): Promise<MonitoringAnswer['emergency']> {
  const [e] = await q.query<MonitoringAnswer['emergency']>(
    `SELECT count(*)::int AS requests, count(accepted_at)::int AS accepted, count(*) FILTER (WHERE status = 'expired')::int AS expired,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM accepted_at - created_at)) AS "medianSecondsToAccept"
     FROM emergency_requests
     WHERE program_id = $1 AND ($2::text IS NULL OR territory_id = $2) AND created_at >= $3 AND created_at < $4`,
    [p.programId, p.territoryId, p.start, p.end],
  )
  return { ...e!, medianSecondsToAccept: e!.medianSecondsToAccept === null ? null : Math.round(Number(e!.medianSecondsToAccept)) }
}

const field = (v: string | number): string => {
  const t = String(v)
  return /[";\n\r]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t
}

/** The Italian CSV (BOM, `;`, decimal comma): the indicators, then the services, then the providers. */
export function monitoringCsv(m: MonitoringAnswer): string {
  const lines: (string | number)[][] = [
    ['Indicatore', 'Valore'],
    ['Periodo', `${m.from.split('-').reverse().join('/')} - ${m.to.split('-').reverse().join('/')}`],
    ['Territorio', m.territoryId ?? 'tutti'],
    ['Voucher assegnati', m.vouchers.count],
    ['Importo voucher (€)', euroIt(m.vouchers.amountCents)],
    ['Impegnato (€)', euroIt(m.vouchers.heldCents)],
    ['Speso (€)', euroIt(m.vouchers.spentCents)],
    ['Residuo (€)', euroIt(m.vouchers.leftCents)],
    ['Famiglie servite', m.families],
    ['Bambini serviti', m.children],
    ['di cui con disabilità', m.childrenWithDisability],
    ['Famiglie con genitori turnisti', m.shiftWorkers],
    ['Attivazioni di dispositivi', m.accesses.activations],
    ['Giorni-dispositivo di utilizzo', m.accesses.deviceDays],
    ['Richieste di emergenza', m.emergency.requests],
    ['Emergenze accettate', m.emergency.accepted],
    ['Emergenze scadute', m.emergency.expired],
    ['Secondi mediani per accettare', m.emergency.medianSecondsToAccept ?? ''],
    [],
    ['Servizio', 'Codice servizio', 'Unità', 'Prenotazioni', 'Erogate', 'Unità erogate', 'Importo voucher (€)'],
    ...m.services.map((s) => [s.serviceName, s.serviceId, s.unit, s.bookings, s.delivered, s.units, euroIt(s.voucherCents)]),
    [],
    ['Ente', 'Codice servizio', 'Erogate', 'Unità erogate', 'Importo voucher (€)'],
    ...m.providers.map((p) => [p.providerName, p.serviceId, p.delivered, p.units, euroIt(p.voucherCents)]),
  ]
  return '\uFEFF' + lines.map((l) => l.map(field).join(';')).join('\r\n') + '\r\n'
}
