-- 0005: calls for applications, their applications and children, the ranking and the assignment
-- (docs/office-commands.md). Office-only data: never pulled, so no row versions of their own; the
-- families, children and vouchers an assignment creates are written (and stamped) like any other.

CREATE TABLE calls (
  id text PRIMARY KEY,
  program_id text NOT NULL REFERENCES programs (id),
  -- 1, 2, 3… within the program: the prefix of its protocol numbers (B01-00001).
  number integer NOT NULL CHECK (number > 0),
  name text NOT NULL,
  budget_cents bigint NOT NULL CHECK (budget_cents >= 0),
  voucher_cents integer NOT NULL CHECK (voucher_cents > 0),
  opens_at timestamptz NOT NULL,
  closes_at timestamptz NOT NULL,
  policy text NOT NULL CHECK (policy IN ('strict', 'fill')),
  points jsonb NOT NULL,
  next_protocol integer NOT NULL DEFAULT 1 CHECK (next_protocol > 0),
  created_at timestamptz NOT NULL,
  assigned_at timestamptz,
  assigned_cents bigint NOT NULL DEFAULT 0 CHECK (assigned_cents >= 0),
  CHECK (closes_at > opens_at),
  CHECK (assigned_cents <= budget_cents),
  CHECK (assigned_at IS NOT NULL OR assigned_cents = 0),
  UNIQUE (program_id, number)
);

CREATE TABLE applications (
  id text PRIMARY KEY,
  call_id text NOT NULL REFERENCES calls (id),
  protocol text NOT NULL,
  external_ref text,
  -- 'import' (the office's file) or 'app' (a family in the app; family_id is then the applicant).
  source text NOT NULL CHECK (source IN ('import', 'app')),
  applicant_name text NOT NULL,
  employer text,
  shift_worker boolean NOT NULL,
  household_fragility boolean NOT NULL,
  isee_cents integer CHECK (isee_cents >= 0),
  submitted_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL,
  -- Set once, by the assignment.
  rank integer CHECK (rank > 0),
  score integer CHECK (score >= 0),
  eligible_children integer CHECK (eligible_children >= 0),
  breakdown jsonb,
  funded boolean,
  voucher_cents integer CHECK (voucher_cents >= 0),
  -- The family the application came from (in the app) or that the assignment created (funded).
  family_id text REFERENCES families (id),
  activation_code_id text REFERENCES activation_codes (id),
  -- The code's text, for the office's letter only (never pulled, never logged); the login itself
  -- matches activation_codes.code_hash. Shown while the code is not revoked.
  activation_code text,
  UNIQUE (call_id, protocol),
  UNIQUE (call_id, external_ref),
  CHECK ((rank IS NULL) = (funded IS NULL))
);
CREATE INDEX applications_call ON applications (call_id);

CREATE TABLE application_children (
  application_id text NOT NULL REFERENCES applications (id),
  position integer NOT NULL CHECK (position > 0),
  first_name text NOT NULL,
  birth_date date NOT NULL,
  disability boolean NOT NULL,
  dsa boolean NOT NULL,
  PRIMARY KEY (application_id, position)
);
