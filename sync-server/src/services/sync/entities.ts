/**
 * How each pulled entity is read from SQL: one SELECT per entity whose aliases ARE the shared
 * schema's camelCase fields (ENTITY_SCHEMAS in shared/sync/protocol.ts), so a row is a value.
 * Callers append the WHERE clause (and FOR UPDATE in the mutator store).
 */
import type { EntityName, EntityValue } from '../../../../shared/sync/protocol.ts'
import type { Queryable } from '../../db/db.ts'

export const SELECT: Record<EntityName, string> = {
  program: `SELECT id, name, short_name AS "shortName", agency, lead_partner AS "leadPartner",
    voucher_amount_cents AS "voucherAmountCents", voucher_coverage_percent AS "voucherCoveragePercent",
    time_zone AS "timeZone" FROM programs`,
  territory: `SELECT id, program_id AS "programId", name FROM territories`,
  provider: `SELECT id, program_id AS "programId", name, short_name AS "shortName",
    territory_id AS "territoryId", kind FROM providers`,
  operator: `SELECT id, provider_id AS "providerId", name, on_call AS "onCall" FROM operators`,
  service: `SELECT id, program_id AS "programId", category, name, name_en AS "nameEn", description, unit,
    age_min_years AS "ageMinYears", age_max_years AS "ageMaxYears" FROM services`,
  session: `SELECT id, service_id AS "serviceId", provider_id AS "providerId", territory_id AS "territoryId",
    starts_at AS "startsAt", ends_at AS "endsAt", places, places_left AS "placesLeft",
    unit_price_cents AS "unitPriceCents", units_max AS "unitsMax", status FROM sessions`,
  family: `SELECT id, program_id AS "programId", name FROM families`,
  child: `SELECT id, family_id AS "familyId", first_name AS "firstName", birth_date AS "birthDate" FROM children`,
  voucher: `SELECT id, child_id AS "childId", program_id AS "programId", amount_cents AS "amountCents",
    held_cents AS "heldCents", spent_cents AS "spentCents", balance_cents AS "balanceCents" FROM vouchers`,
  booking: `SELECT id, child_id AS "childId", family_id AS "familyId", session_id AS "sessionId",
    service_id AS "serviceId", provider_id AS "providerId", quantity, status,
    unit_price_cents AS "unitPriceCents", total_cents AS "totalCents", voucher_cents AS "voucherCents",
    copay_cents AS "copayCents", note, decline_reason AS "declineReason", operator_id AS "operatorId",
    child_first_name AS "childFirstName", created_at AS "createdAt", updated_at AS "updatedAt",
    delivered_at AS "deliveredAt" FROM bookings`,
}

/** Current values of some rows of one entity (one query, whatever the number of keys). */
export function loadByIds<E extends EntityName>(q: Queryable, entity: E, ids: readonly string[]): Promise<EntityValue<E>[]> {
  return q.query<EntityValue<E>>(`${SELECT[entity]} WHERE id = ANY($1)`, [ids])
}
