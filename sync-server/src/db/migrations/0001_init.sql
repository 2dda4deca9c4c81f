-- 0001: catalogue, families, vouchers, bookings, auth, sync bookkeeping.
-- Invariants the rules keep are also CHECKs here: the database is the backstop.

CREATE TABLE meta (key text PRIMARY KEY, value text NOT NULL);
-- A random epoch per database: a pull cookie from another database (or a reset one) is not trusted.
INSERT INTO meta (key, value) VALUES ('epoch', gen_random_uuid()::text);

CREATE TABLE programs (
  id text PRIMARY KEY,
  name text NOT NULL,
  short_name text NOT NULL,
  agency text NOT NULL,
  lead_partner text NOT NULL DEFAULT '',
  voucher_amount_cents integer NOT NULL CHECK (voucher_amount_cents >= 0),
  voucher_coverage_percent integer NOT NULL CHECK (voucher_coverage_percent BETWEEN 1 AND 100),
  time_zone text NOT NULL
);

CREATE TABLE territories (
  id text PRIMARY KEY,
  program_id text NOT NULL REFERENCES programs (id),
  name text NOT NULL
);

CREATE TABLE providers (
  id text PRIMARY KEY,
  program_id text NOT NULL REFERENCES programs (id),
  territory_id text NOT NULL REFERENCES territories (id),
  name text NOT NULL,
  short_name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('cooperative', 'public', 'private'))
);
CREATE INDEX providers_program ON providers (program_id);

CREATE TABLE operators (
  id text PRIMARY KEY,
  provider_id text NOT NULL REFERENCES providers (id),
  name text NOT NULL,
  on_call boolean NOT NULL DEFAULT false
);

CREATE TABLE services (
  id text PRIMARY KEY,
  program_id text NOT NULL REFERENCES programs (id),
  category text NOT NULL,
  name text NOT NULL,
  name_en text NOT NULL,
  description text NOT NULL DEFAULT '',
  unit text NOT NULL CHECK (unit IN ('hour', 'day', 'meeting', 'week')),
  age_min_years integer NOT NULL CHECK (age_min_years >= 0),
  age_max_years integer NOT NULL,
  CHECK (age_max_years >= age_min_years)
);

CREATE TABLE sessions (
  id text PRIMARY KEY,
  service_id text NOT NULL REFERENCES services (id),
  provider_id text NOT NULL REFERENCES providers (id),
  territory_id text NOT NULL REFERENCES territories (id),
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  places integer NOT NULL CHECK (places >= 0),
  places_left integer NOT NULL,
  unit_price_cents integer NOT NULL CHECK (unit_price_cents >= 0),
  units_max integer NOT NULL CHECK (units_max > 0),
  status text NOT NULL CHECK (status IN ('open', 'closed', 'cancelled')),
  CHECK (places_left BETWEEN 0 AND places),
  CHECK (ends_at > starts_at)
);
CREATE INDEX sessions_service_start ON sessions (service_id, starts_at);
CREATE INDEX sessions_provider ON sessions (provider_id);

CREATE TABLE families (
  id text PRIMARY KEY,
  program_id text NOT NULL REFERENCES programs (id),
  name text NOT NULL
);

CREATE TABLE children (
  id text PRIMARY KEY,
  family_id text NOT NULL REFERENCES families (id),
  first_name text NOT NULL,
  birth_date date NOT NULL
);
CREATE INDEX children_family ON children (family_id);

CREATE TABLE vouchers (
  id text PRIMARY KEY,
  child_id text NOT NULL REFERENCES children (id),
  family_id text NOT NULL REFERENCES families (id),
  program_id text NOT NULL REFERENCES programs (id),
  amount_cents integer NOT NULL CHECK (amount_cents >= 0),
  balance_cents integer NOT NULL CHECK (balance_cents >= 0),
  held_cents integer NOT NULL CHECK (held_cents >= 0),
  spent_cents integer NOT NULL CHECK (spent_cents >= 0),
  CHECK (amount_cents = balance_cents + held_cents + spent_cents),
  UNIQUE (child_id, program_id)
);

CREATE TABLE bookings (
  id text PRIMARY KEY,
  child_id text NOT NULL REFERENCES children (id),
  family_id text NOT NULL REFERENCES families (id),
  session_id text NOT NULL REFERENCES sessions (id),
  service_id text NOT NULL REFERENCES services (id),
  provider_id text NOT NULL REFERENCES providers (id),
  quantity integer NOT NULL CHECK (quantity > 0),
  status text NOT NULL CHECK (status IN ('requested', 'confirmed', 'declined', 'cancelled', 'delivered', 'liquidated')),
  unit_price_cents integer NOT NULL CHECK (unit_price_cents >= 0),
  total_cents integer NOT NULL CHECK (total_cents >= 0),
  voucher_cents integer NOT NULL CHECK (voucher_cents >= 0),
  copay_cents integer NOT NULL CHECK (copay_cents >= 0),
  note text,
  decline_reason text,
  operator_id text REFERENCES operators (id),
  child_first_name text NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  delivered_at timestamptz,
  CHECK (total_cents = voucher_cents + copay_cents)
);
CREATE INDEX bookings_session ON bookings (session_id);
CREATE INDEX bookings_family ON bookings (family_id);
CREATE INDEX bookings_provider_delivered ON bookings (provider_id, delivered_at);

CREATE TABLE voucher_ledger (
  id bigserial PRIMARY KEY,
  voucher_id text NOT NULL REFERENCES vouchers (id),
  booking_id text NOT NULL REFERENCES bookings (id) DEFERRABLE INITIALLY DEFERRED,
  kind text NOT NULL CHECK (kind IN ('hold', 'release', 'consume')),
  amount_cents integer NOT NULL CHECK (amount_cents >= 0),
  at timestamptz NOT NULL
);
CREATE INDEX voucher_ledger_voucher ON voucher_ledger (voucher_id);

-- Auth: codes and tokens are stored as sha256 hashes only.
CREATE TABLE activation_codes (
  id text PRIMARY KEY,
  code_hash text NOT NULL UNIQUE,
  role text NOT NULL CHECK (role IN ('parent', 'provider', 'officer')),
  program_id text NOT NULL REFERENCES programs (id),
  family_id text REFERENCES families (id),
  provider_id text REFERENCES providers (id),
  display_name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz,
  CHECK ((role = 'parent') = (family_id IS NOT NULL)),
  CHECK ((role = 'provider') = (provider_id IS NOT NULL))
);

CREATE TABLE tokens (
  token_hash text PRIMARY KEY,
  code_id text NOT NULL REFERENCES activation_codes (id),
  device_name text,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz
);
CREATE INDEX tokens_code ON tokens (code_id);

-- Sync: one row per client (browser profile + role); last_mutation_id moves in the mutation's transaction.
CREATE TABLE clients (
  id text PRIMARY KEY,
  client_group_id text NOT NULL,
  principal text NOT NULL,
  last_mutation_id bigint NOT NULL DEFAULT 0 CHECK (last_mutation_id >= 0),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX clients_group ON clients (client_group_id, principal);

-- Refusals are data: kept until the client acknowledges them in a pull.
CREATE TABLE mutation_results (
  client_id text NOT NULL REFERENCES clients (id),
  mutation_id bigint NOT NULL,
  code text NOT NULL,
  message text NOT NULL,
  details jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (client_id, mutation_id)
);

-- The pull cookie (docs/sync.md): per-space versions, bumped under the space row's lock at the end
-- of every writing transaction; row_versions says which version of a space last touched a row.
CREATE TABLE spaces (
  id text PRIMARY KEY,
  version bigint NOT NULL CHECK (version >= 0)
);

CREATE TABLE row_versions (
  space text NOT NULL,
  entity text NOT NULL,
  key text NOT NULL,
  version bigint NOT NULL,
  deleted boolean NOT NULL DEFAULT false,
  PRIMARY KEY (space, entity, key)
);
CREATE INDEX row_versions_space_version ON row_versions (space, version);
