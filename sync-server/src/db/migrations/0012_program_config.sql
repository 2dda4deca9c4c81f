-- 0012 (issue 11, the office configures its programs): period, budget, cancellation window and
-- funding of a program; the needs a service accepts; providers' accreditations (services and price
-- ceilings) and suspension; a child's needs on the child row (set by the office, read by the rules);
-- employers funding the vouchers of the "+ t x t" kind of program. Null configuration = no limit.
ALTER TABLE programs
  ADD COLUMN period_from date,
  ADD COLUMN period_to date,
  ADD COLUMN budget_cents integer CHECK (budget_cents >= 0),
  ADD COLUMN cancellation_window_hours integer CHECK (cancellation_window_hours BETWEEN 0 AND 720),
  ADD COLUMN funding text CHECK (funding IN ('call', 'employer')),
  ADD CONSTRAINT programs_period CHECK (period_from IS NULL OR period_to IS NULL OR period_from <= period_to);

ALTER TABLE services
  ADD COLUMN accepts_disability boolean,
  ADD COLUMN accepts_dsa boolean,
  ADD COLUMN needs_only boolean;

ALTER TABLE providers
  ADD COLUMN suspended_at timestamptz,
  ADD COLUMN suspension_reason text CHECK (length(suspension_reason) <= 500);

-- The registry writes every field (null where a writer leaves one out): the flag 0006 added NOT NULL
-- becomes nullable (null = not declared, read as false), and DSA/ADHD joins it.
ALTER TABLE children ALTER COLUMN disability DROP NOT NULL;
ALTER TABLE children ADD COLUMN IF NOT EXISTS dsa boolean;

CREATE TABLE accreditations (
  id text PRIMARY KEY,
  program_id text NOT NULL REFERENCES programs (id),
  provider_id text NOT NULL REFERENCES providers (id),
  service_id text NOT NULL REFERENCES services (id),
  max_unit_price_cents integer NOT NULL CHECK (max_unit_price_cents >= 0),
  UNIQUE (provider_id, service_id)
);
CREATE INDEX accreditations_service ON accreditations (service_id);

-- Providers' existing sessions are their accreditation: each (provider, service) pair already offered
-- is accredited at the highest price it has asked, so nothing running today is refused tomorrow.
INSERT INTO accreditations (id, program_id, provider_id, service_id, max_unit_price_cents)
SELECT 'acc-' || s.provider_id || '-' || s.service_id, p.program_id, s.provider_id, s.service_id, max(s.unit_price_cents)
FROM sessions s JOIN providers p ON p.id = s.provider_id
GROUP BY s.provider_id, s.service_id, p.program_id
ON CONFLICT DO NOTHING;

-- Employers (programs funded by employers, "+ t x t"): each one's budget becomes vouchers for its employees.
CREATE TABLE employers (
  id text PRIMARY KEY,
  program_id text NOT NULL REFERENCES programs (id),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  budget_cents integer NOT NULL CHECK (budget_cents >= 0),
  assigned_cents integer NOT NULL DEFAULT 0 CHECK (assigned_cents >= 0),
  created_at timestamptz NOT NULL,
  CHECK (assigned_cents <= budget_cents),
  UNIQUE (program_id, name)
);
CREATE TABLE employees (
  id text PRIMARY KEY,
  employer_id text NOT NULL REFERENCES employers (id),
  external_ref text NOT NULL,
  family_id text NOT NULL REFERENCES families (id),
  activation_code_id text REFERENCES activation_codes (id),
  created_at timestamptz NOT NULL,
  UNIQUE (employer_id, external_ref)
);
ALTER TABLE families ADD COLUMN IF NOT EXISTS employer_id text REFERENCES employers (id);
