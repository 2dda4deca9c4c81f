-- 0007: emergency babysitting requests (issue 9), their voucher holds, the program's settings for
-- them, and Web Push subscriptions.

-- Program settings (null = the defaults in shared/emergency/emergency.rules.ts).
ALTER TABLE programs
  ADD COLUMN emergency_head_start_minutes integer CHECK (emergency_head_start_minutes BETWEEN 0 AND 240),
  ADD COLUMN emergency_hourly_cents integer CHECK (emergency_hourly_cents >= 0),
  ADD COLUMN emergency_contact text;

CREATE TABLE emergency_requests (
  id text PRIMARY KEY,
  family_id text NOT NULL REFERENCES families (id),
  child_id text NOT NULL REFERENCES children (id),
  program_id text NOT NULL REFERENCES programs (id),
  territory_id text NOT NULL REFERENCES territories (id),
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  deadline_at timestamptz NOT NULL,
  status text NOT NULL CHECK (status IN ('open', 'accepted', 'cancelled', 'expired', 'delivered')),
  provider_id text REFERENCES providers (id),
  operator_id text REFERENCES operators (id),
  operator_name text,
  accepted_at timestamptz,
  address text CHECK (length(address) <= 200),
  note text CHECK (length(note) <= 1000),
  family_name text NOT NULL,
  child_first_name text NOT NULL,
  child_birth_date date NOT NULL,
  voucher_id text NOT NULL REFERENCES vouchers (id),
  estimated_cents integer NOT NULL CHECK (estimated_cents >= 0),
  held_cents integer NOT NULL CHECK (held_cents >= 0),
  stage text NOT NULL CHECK (stage IN ('usual', 'territory')),
  usual_provider_id text REFERENCES providers (id),
  head_start_ends_at timestamptz,
  seen_count integer NOT NULL DEFAULT 0 CHECK (seen_count >= 0),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CHECK (ends_at > starts_at),
  CHECK (deadline_at <= ends_at),
  -- Accepted (or delivered) means someone took it; open means no one has yet.
  CHECK (status NOT IN ('accepted', 'delivered') OR provider_id IS NOT NULL),
  CHECK (status <> 'open' OR provider_id IS NULL),
  -- Only an open or accepted request holds voucher money.
  CHECK (status IN ('open', 'accepted', 'delivered') OR held_cents = 0)
);
CREATE INDEX emergency_requests_family ON emergency_requests (family_id);
-- The sweep's scan: open requests by deadline (expiry) and by the end of the head start.
CREATE INDEX emergency_requests_open_deadline ON emergency_requests (deadline_at) WHERE status = 'open';
CREATE INDEX emergency_requests_open_head_start ON emergency_requests (head_start_ends_at) WHERE status = 'open' AND stage = 'usual';

-- Which cooperatives' phones received an open request ("seen by N"): one row per provider.
CREATE TABLE emergency_seen (
  request_id text NOT NULL REFERENCES emergency_requests (id),
  provider_id text NOT NULL REFERENCES providers (id),
  at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (request_id, provider_id)
);

-- A voucher movement belongs to a booking or to an emergency request, exactly one.
ALTER TABLE voucher_ledger
  ALTER COLUMN booking_id DROP NOT NULL,
  ADD COLUMN emergency_request_id text REFERENCES emergency_requests (id) DEFERRABLE INITIALLY DEFERRED,
  ADD CONSTRAINT voucher_ledger_one_subject CHECK ((booking_id IS NULL) <> (emergency_request_id IS NULL));
CREATE INDEX voucher_ledger_emergency ON voucher_ledger (emergency_request_id) WHERE emergency_request_id IS NOT NULL;

-- Web Push subscriptions (one per device endpoint), bound to the token that registered them.
CREATE TABLE push_subscriptions (
  endpoint text PRIMARY KEY CHECK (length(endpoint) <= 1000),
  principal text NOT NULL,
  role text NOT NULL,
  program_id text NOT NULL REFERENCES programs (id),
  family_id text REFERENCES families (id),
  provider_id text REFERENCES providers (id),
  p256dh text NOT NULL,
  auth text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX push_subscriptions_family ON push_subscriptions (family_id) WHERE family_id IS NOT NULL;
CREATE INDEX push_subscriptions_provider ON push_subscriptions (provider_id) WHERE provider_id IS NOT NULL;
