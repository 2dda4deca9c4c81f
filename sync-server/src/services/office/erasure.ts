/**
 * What erasing a family does to every column of the database (issues 10 and 11). Each column has one
 * class; `erasure.test.ts` reads the database's own columns (information_schema) and fails when a
 * column is missing here or listed but gone, so a new column cannot escape being classified.
 * `eraseFamily` (family-data.service.ts) applies the classes below to the family's rows.
 *
 * - `not-family`:    holds nothing of a family (programs, catalogue, providers, sync bookkeeping of
 *                    other principals, rollups of counts);
 * - `key`:           an identifier or a foreign key: kept (ids are random, they name nobody);
 * - `kept`:          kept for the accounts or the statistics (amounts, dates, statuses, counters,
 *                    hashes of revoked codes); nothing that names the family;
 * - `pseudonymised`: replaced by ERASED's placeholder names;
 * - `year-only`:     a birth date cut to its year (1 January);
 * - `cleared`:       set to NULL / false / '' (free text, health and income data, addresses);
 * - `deleted`:       the family's rows of this table are deleted;
 * - `revoked`:       the row stays but is revoked (revoked_at set): the code or device stops working.
 */
export type ErasureClass = 'not-family' | 'key' | 'kept' | 'pseudonymised' | 'year-only' | 'cleared' | 'deleted' | 'revoked'

type Table = Record<string, ErasureClass>
const all = (cls: ErasureClass, ...columns: string[]): Table => Object.fromEntries(columns.map((c) => [c, cls]))

export const ERASURE: Record<string, Table> = {
  // Programme, catalogue, providers and their staff: no family data.
  meta: all('not-family', 'key', 'value'),
  schema_migrations: all('not-family', 'version', 'name', 'applied_at'),
  programs: all('not-family', 'id', 'name', 'short_name', 'agency', 'lead_partner', 'voucher_amount_cents', 'voucher_coverage_percent',
    'time_zone', 'emergency_head_start_minutes', 'emergency_hourly_cents', 'emergency_contact', 'period_from', 'period_to', 'budget_cents',
    'cancellation_window_hours', 'funding', 'payment_days_after_approval'),
  territories: all('not-family', 'id', 'program_id', 'name'),
  providers: all('not-family', 'id', 'program_id', 'territory_id', 'name', 'short_name', 'kind', 'suspended_at', 'suspension_reason'),
  accreditations: all('not-family', 'id', 'program_id', 'provider_id', 'service_id', 'max_unit_price_cents'),
  employers: all('not-family', 'id', 'program_id', 'name', 'budget_cents', 'assigned_cents', 'created_at'),
  operators: all('not-family', 'id', 'provider_id', 'name', 'on_call', 'track', 'qualifications', 'takes_mildly_ill', 'on_call_windows', 'phone'),
  services: all('not-family', 'id', 'program_id', 'category', 'name', 'name_en', 'description', 'unit', 'age_min_years', 'age_max_years', 'description_en',
    'accepts_disability', 'accepts_dsa', 'needs_only'),
  sessions: all('not-family', 'id', 'service_id', 'provider_id', 'territory_id', 'starts_at', 'ends_at', 'places', 'places_left', 'unit_price_cents',
    'units_max', 'status', 'waiting'),
  calls: all('not-family', 'id', 'program_id', 'number', 'name', 'budget_cents', 'voucher_cents', 'opens_at', 'closes_at', 'policy', 'points',
    'next_protocol', 'created_at', 'assigned_at', 'assigned_cents'),
  statements: all('not-family', 'id', 'program_id', 'provider_id', 'period_from', 'period_to', 'status', 'total_cents', 'row_count', 'prepared_by',
    'prepared_at', 'approved_by', 'approved_at', 'paid_at', 'payment_reference', 'paid_xid'),
  platform_access_days: all('not-family', 'program_id', 'day', 'role', 'uses'),
  emergency_seen: all('not-family', 'request_id', 'provider_id', 'at'),
  delivery_hours: all('not-family', 'hour', 'provider_id', 'service_id', 'delivered', 'units', 'voucher_cents'),
  request_hours: all('not-family', 'hour', 'session_id', 'provider_id', 'service_id', 'bookings'),
  // Sync bookkeeping: ids, versions and results of mutations (codes and messages of refusals, no user text).
  row_versions: all('key', 'space', 'entity', 'key', 'deleted', 'xid'),
  clients: all('deleted', 'id', 'client_group_id', 'principal', 'last_mutation_id', 'updated_at'),
  mutation_results: all('deleted', 'client_id', 'mutation_id', 'code', 'message', 'details', 'created_at'),
  // Append-only: ids, actions and counts (never names: every writer of recordAudit keeps to that).
  audit_log: all('kept', 'id', 'at', 'program_id', 'person_id', 'role', 'action', 'entity', 'entity_id', 'details'),

  // The family's own rows.
  families: { id: 'key', program_id: 'key', name: 'pseudonymised', shift_worker: 'kept', territory_id: 'key', employer_id: 'key' },
  children: { id: 'key', family_id: 'key', first_name: 'pseudonymised', birth_date: 'year-only', disability: 'cleared', dsa: 'cleared', note: 'cleared' },
  // Issue 10: a child's history (old names, notes, birth dates) and the birth dates asked of the office.
  child_changes: all('deleted', 'id', 'child_id', 'family_id', 'field', 'before', 'after', 'changed_at', 'changed_by', 'request_id'),
  birth_date_requests: all('deleted', 'id', 'child_id', 'family_id', 'program_id', 'birth_date', 'previous_birth_date', 'status', 'requested_at',
    'decided_at', 'reason', 'decided_by'),
  // The family's erasure request: ids and dates only; marked done by the erasure itself.
  erasure_requests: all('kept', 'id', 'family_id', 'program_id', 'requested_at', 'status', 'handled_at'),
  // The employer's own reference for its employee (a payroll number): replaced by the row's id.
  employees: { ...all('kept', 'id', 'employer_id', 'family_id', 'activation_code_id', 'created_at'), external_ref: 'pseudonymised' },
  vouchers: all('kept', 'id', 'child_id', 'family_id', 'program_id', 'amount_cents', 'balance_cents', 'held_cents', 'spent_cents'),
  voucher_ledger: all('kept', 'id', 'voucher_id', 'booking_id', 'kind', 'amount_cents', 'at', 'emergency_request_id'),
  bookings: {
    ...all('kept', 'id', 'child_id', 'family_id', 'session_id', 'service_id', 'provider_id', 'quantity', 'status', 'unit_price_cents', 'total_cents',
      'voucher_cents', 'copay_cents', 'operator_id', 'created_at', 'updated_at', 'delivered_at', 'delivered_quantity', 'no_show', 'confirmed_by',
      'delivered_by', 'operator_name', 'child_age_months', 'proposed_session_id', 'proposal_status', 'proposed_at', 'plan_id'),
    note: 'cleared', decline_reason: 'cleared', child_first_name: 'pseudonymised', family_name: 'pseudonymised', address: 'cleared',
    proposal_note: 'cleared',
  },
  statement_rows: {
    ...all('kept', 'id', 'statement_id', 'booking_id', 'emergency_request_id', 'service_id', 'delivered_at', 'quantity', 'voucher_cents'),
    child_first_name: 'pseudonymised',
  },
  // Ids, quantity, times; a family still waiting has its entries closed (status 'closed').
  waitlist_entries: all('kept', 'id', 'child_id', 'family_id', 'session_id', 'service_id', 'provider_id', 'quantity', 'status', 'booking_id',
    'created_at', 'updated_at'),
  // A recurring plan's dates as decided: ids, a time, rejection codes (no user text).
  plan_dates: all('kept', 'id', 'plan_id', 'family_id', 'child_id', 'session_id', 'starts_at', 'booking_id', 'code', 'reason', 'created_at'),
  messages: all('deleted', 'id', 'booking_id', 'family_id', 'provider_id', 'author_role', 'body', 'created_at', 'operator_id', 'written_by'),
  emergency_requests: {
    ...all('kept', 'id', 'family_id', 'child_id', 'program_id', 'territory_id', 'starts_at', 'ends_at', 'deadline_at', 'status', 'provider_id',
      'operator_id', 'operator_name', 'accepted_at', 'voucher_id', 'estimated_cents', 'held_cents', 'stage', 'usual_provider_id', 'head_start_ends_at',
      'seen_count', 'created_at', 'updated_at', 'delivered_at', 'delivered_hours', 'no_show', 'delivered_by', 'spent_cents', 'usual_operator_id'),
    address: 'cleared', note: 'cleared', family_name: 'pseudonymised', child_first_name: 'pseudonymised', child_birth_date: 'year-only',
    // The phone of the operator who went: not the family's, and no use once the request is history.
    contact_phone: 'cleared',
  },
  applications: {
    ...all('kept', 'id', 'call_id', 'protocol', 'source', 'shift_worker', 'submitted_at', 'created_at', 'rank', 'score', 'eligible_children', 'breakdown',
      'funded', 'voucher_cents', 'family_id', 'activation_code_id'),
    applicant_name: 'pseudonymised', external_ref: 'cleared', employer: 'cleared', household_fragility: 'cleared', isee_cents: 'cleared',
    activation_code: 'cleared',
  },
  application_children: {
    ...all('kept', 'application_id', 'position', 'child_id'), first_name: 'pseudonymised', birth_date: 'year-only', disability: 'cleared', dsa: 'cleared',
  },
  activation_codes: {
    ...all('kept', 'id', 'code_hash', 'role', 'program_id', 'family_id', 'provider_id', 'created_at', 'demo', 'operator_id'),
    display_name: 'pseudonymised', revoked_at: 'revoked',
  },
  tokens: { ...all('kept', 'token_hash', 'code_id', 'created_at', 'expires_at', 'device_id'), device_name: 'cleared', revoked_at: 'revoked' },
  calendar_feeds: all('deleted', 'family_id', 'secret_hash', 'created_at'),
  push_subscriptions: all('deleted', 'endpoint', 'token_hash', 'p256dh', 'auth', 'created_at'),
  served_years: all('kept', 'year', 'scope', 'child_id', 'family_id', 'days'),
}
