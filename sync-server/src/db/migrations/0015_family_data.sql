-- 0015 (the parent's app, issue 10): children corrected by the family with their history, birth dates
-- decided by the office on request, the family's devices named for the family, erasure requests.

-- A child's note (allergies, what a carer must know): the family's own words, short.
ALTER TABLE children ADD COLUMN note text CHECK (note IS NULL OR char_length(note) <= 500);

-- Every change of a child, append-only: added, a corrected name or note, a birth date (by the family
-- while no voucher exists, by an officer's approval after).
CREATE TABLE child_changes (
  id text PRIMARY KEY,
  child_id text NOT NULL REFERENCES children (id),
  family_id text NOT NULL REFERENCES families (id),
  field text NOT NULL CHECK (field IN ('added', 'firstName', 'birthDate', 'note')),
  before text,
  after text,
  changed_at timestamptz NOT NULL,
  changed_by text NOT NULL CHECK (changed_by IN ('parent', 'officer')),
  request_id text
);
CREATE INDEX child_changes_child ON child_changes (child_id, changed_at);

-- A birth date the family asks the office for; one pending per child (the mutator's rule, backed here).
CREATE TABLE birth_date_requests (
  id text PRIMARY KEY,
  child_id text NOT NULL REFERENCES children (id),
  family_id text NOT NULL REFERENCES families (id),
  program_id text NOT NULL REFERENCES programs (id),
  birth_date date NOT NULL,
  previous_birth_date date NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
  requested_at timestamptz NOT NULL,
  decided_at timestamptz,
  reason text CHECK (reason IS NULL OR char_length(reason) <= 500),
  decided_by text,
  CHECK ((status = 'pending') = (decided_at IS NULL))
);
CREATE INDEX birth_date_requests_child ON birth_date_requests (child_id);
CREATE INDEX birth_date_requests_program ON birth_date_requests (program_id, status, requested_at);
CREATE UNIQUE INDEX birth_date_requests_one_pending ON birth_date_requests (child_id) WHERE status = 'pending';

-- A device the family can name and revoke without ever seeing a token or its hash (a volatile default:
-- every existing token gets its own id).
ALTER TABLE tokens ADD COLUMN device_id text NOT NULL DEFAULT gen_random_uuid()::text;
CREATE UNIQUE INDEX tokens_device_id ON tokens (device_id);

-- A family asks for the deletion of its data; the office handles it (GET /api/office/erasure-requests,
-- then POST /api/office/families/:id/erase, which marks the family's pending requests done).
CREATE TABLE erasure_requests (
  id text PRIMARY KEY,
  family_id text NOT NULL REFERENCES families (id),
  program_id text NOT NULL REFERENCES programs (id),
  requested_at timestamptz NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'done')),
  handled_at timestamptz,
  CHECK ((status = 'pending') = (handled_at IS NULL))
);
CREATE UNIQUE INDEX erasure_requests_one_pending ON erasure_requests (family_id) WHERE status = 'pending';
CREATE INDEX erasure_requests_program ON erasure_requests (program_id, status, requested_at);
