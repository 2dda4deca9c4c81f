/**
 * The monitoring's booking figures read from the bookings themselves, not from 0011's rollups: what
 * monitoring.rollups.test.ts compares the rollups with (`monitoring(..., SCANS)`), whatever writes
 * happened. Test-only: the service answers from the rollups alone.
 */
import type { MonitoringProvider } from '../../../shared/office/monitoring.schema.ts'
import type { Queryable } from '../db/db.ts'
import { PROVIDERS_OF, type BookingFigures, type Period, type Requested, type Served } from '../services/office/monitoring.service.ts'

/** Families and children served: attended deliveries only (a no-show serves nobody), by the providers' territory now. */
async function servedScan(q: Queryable, p: Period): Promise<Served> {
  const [s] = await q.query<Served>(
    `WITH served AS (
       SELECT DISTINCT b.family_id, b.child_id FROM bookings b
       WHERE b.delivered_at >= $3 AND b.delivered_at < $4 AND b.status IN ('delivered', 'liquidated') AND NOT b.no_show
         AND b.provider_id IN (${PROVIDERS_OF})
     ), fams AS (SELECT DISTINCT family_id FROM served)
     SELECT (SELECT count(*) FROM fams)::int AS families, (SELECT count(*) FROM served)::int AS children,
       (SELECT count(*) FROM served s JOIN children c ON c.id = s.child_id WHERE c.disability)::int AS "childrenWithDisability",
       (SELECT count(*) FROM fams s JOIN families f ON f.id = s.family_id WHERE f.shift_worker)::int AS "shiftWorkers"`,
    [p.programId, p.territoryId, p.start, p.end],
  )
  return s!
}

/** Deliveries: attended ones only (a no-show is not a delivery), their units the units delivered (0022). */
function deliveredScan(q: Queryable, p: Period): Promise<MonitoringProvider[]> {
  return q.query<MonitoringProvider>(
    `SELECT d.provider_id AS "providerId", pr.name AS "providerName", d.service_id AS "serviceId", d.delivered, d.units, d."voucherCents"
     FROM (SELECT b.provider_id, b.service_id, count(*)::int AS delivered, sum(b.delivered_quantity)::int8 AS units, sum(b.voucher_cents)::int8 AS "voucherCents"
           FROM bookings b
           WHERE b.delivered_at >= $3 AND b.delivered_at < $4 AND b.status IN ('delivered', 'liquidated') AND NOT b.no_show
             AND b.provider_id IN (${PROVIDERS_OF})
           GROUP BY 1, 2) d
     JOIN providers pr ON pr.id = d.provider_id ORDER BY pr.name, d.service_id`,
    [p.programId, p.territoryId, p.start, p.end],
  )
}

function requestedScan(q: Queryable, p: Period): Promise<Requested[]> {
  return q.query(
    `SELECT s.id AS "serviceId", s.name AS "serviceName", s.unit, coalesce(r.bookings, 0)::int AS bookings
     FROM services s LEFT JOIN (
       SELECT b.service_id, count(*) AS bookings FROM bookings b
       WHERE b.created_at >= $3 AND b.created_at < $4 AND b.provider_id IN (${PROVIDERS_OF}) GROUP BY 1
     ) r ON r.service_id = s.id
     WHERE s.program_id = $1 ORDER BY s.name`,
    [p.programId, p.territoryId, p.start, p.end],
  )
}

export const SCANS: BookingFigures = { served: servedScan, delivered: deliveredScan, requested: requestedScan }
