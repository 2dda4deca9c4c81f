-- 0006: reimbursement statements, the audit log, what monitoring counts (issue 11).

-- A statement: what the program pays one provider for its deliveries in a period. Prepared by one
-- officer (their activation code: one person), approved by ANOTHER, then paid with its bank reference.
CREATE TABLE statements (
  id text PRIMARY KEY,
  program_id text NOT NULL REFERENCES programs (id),
  provider_id text NOT NULL REFERENCES providers (id),
  period_from date NOT NULL,
  period_to date NOT NULL,
  status text NOT NULL CHECK (status IN ('draft', 'approved', 'paid')),
  total_cents bigint NOT NULL CHECK (total_cents >= 0),
  row_count integer NOT NULL CHECK (row_count > 0),
  prepared_by text NOT NULL REFERENCES activation_codes (id),
  prepared_at timestamptz NOT NULL,
  approved_by text REFERENCES activation_codes (id),
  approved_at timestamptz,
  paid_at timestamptz,
  payment_reference text,
  CHECK (period_from <= period_to),
  -- Four eyes: an approved (or paid) statement names an approver who is not its preparer.
  CHECK (status = 'draft' OR (approved_by IS NOT NULL AND approved_at IS NOT NULL AND approved_by <> prepared_by)),
  CHECK (status <> 'paid' OR (paid_at IS NOT NULL AND payment_reference IS NOT NULL))
);
CREATE INDEX statements_program ON statements (program_id, prepared_at DESC);

-- Its rows, copied from the bookings when it was prepared (what was approved is what is paid).
-- UNIQUE (booking_id): a booking is in at most one statement, whatever two officers do at once.
CREATE TABLE statement_rows (
  statement_id text NOT NULL REFERENCES statements (id),
  booking_id text NOT NULL UNIQUE REFERENCES bookings (id),
  child_first_name text NOT NULL,
  service_id text NOT NULL REFERENCES services (id),
  delivered_at timestamptz NOT NULL,
  quantity integer NOT NULL CHECK (quantity > 0),
  voucher_cents integer NOT NULL CHECK (voucher_cents >= 0),
  PRIMARY KEY (statement_id, booking_id)
);

-- The audit log: who (the activation code behind the token: one person, or one family's shared code)
-- did what to which row, and when. Ids only, no personal data. Written in the transaction of the
-- change; append-only (the trigger refuses UPDATE and DELETE; TRUNCATE is left to the DBA).
CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL,
  program_id text NOT NULL,
  person_id text,
  role text NOT NULL,
  action text NOT NULL,
  entity text NOT NULL,
  entity_id text NOT NULL,
  details jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_entity ON audit_log (program_id, entity, entity_id, id);
CREATE INDEX audit_log_person ON audit_log (program_id, person_id, id);
CREATE INDEX audit_log_recent ON audit_log (program_id, id);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = '42501';
END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

-- What monitoring counts that had no home yet. Not pulled by any phone (not in the registry):
-- a disability is health data, for the office's figures only. IF NOT EXISTS: the calls' migration
-- may add the same flags from applications.
ALTER TABLE families ADD COLUMN IF NOT EXISTS shift_worker boolean NOT NULL DEFAULT false;
ALTER TABLE children ADD COLUMN IF NOT EXISTS disability boolean NOT NULL DEFAULT false;
-- Where a family lives, for monitoring by territory (null: not known).
ALTER TABLE families ADD COLUMN IF NOT EXISTS territory_id text REFERENCES territories (id);

-- Accesses to the platform, counted without personal data: one row per program, day (Rome) and role,
-- bumped when a device's token is renewed (at most once a day per device, auth.service.ts).
CREATE TABLE platform_access_days (
  program_id text NOT NULL REFERENCES programs (id),
  day date NOT NULL,
  role text NOT NULL,
  uses integer NOT NULL CHECK (uses >= 0),
  PRIMARY KEY (program_id, day, role)
);

-- Monitoring and statements read by period: delivered bookings of the program in a time range,
-- bookings by creation time, vouchers of a program, tokens by activation time.
-- Covering (INCLUDE): a month of a large program is read from the index alone.
CREATE INDEX bookings_delivered_at ON bookings (delivered_at)
  INCLUDE (provider_id, service_id, family_id, child_id, voucher_cents, status) WHERE delivered_at IS NOT NULL;
CREATE INDEX bookings_created_at ON bookings (created_at) INCLUDE (provider_id, service_id, status);
CREATE INDEX vouchers_program ON vouchers (program_id);
CREATE INDEX tokens_created ON tokens (created_at);
