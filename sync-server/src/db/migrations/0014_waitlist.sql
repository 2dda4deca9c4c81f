-- 0014: the waiting list of full sessions, and recurring plan items (a booking's plan).
CREATE TABLE waitlist_entries (
  id text PRIMARY KEY,
  child_id text NOT NULL REFERENCES children (id),
  family_id text NOT NULL REFERENCES families (id),
  session_id text NOT NULL REFERENCES sessions (id),
  service_id text NOT NULL REFERENCES services (id),
  provider_id text NOT NULL REFERENCES providers (id),
  quantity int NOT NULL CHECK (quantity > 0),
  status text NOT NULL CHECK (status IN ('waiting', 'promoted', 'left', 'closed')),
  booking_id text REFERENCES bookings (id),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CHECK ((status = 'promoted') = (booking_id IS NOT NULL))
);
-- The turn: a session's waiting entries in order of arrival.
CREATE INDEX waitlist_session_waiting ON waitlist_entries (session_id, created_at, id) WHERE status = 'waiting';
CREATE INDEX waitlist_family ON waitlist_entries (family_id);
-- One waiting entry per child and session (two joins racing: the second is refused).
CREATE UNIQUE INDEX waitlist_waiting_child_session ON waitlist_entries (child_id, session_id) WHERE status = 'waiting';

-- A recurring plan item's bookings carry the plan's id (the first date's booking id).
ALTER TABLE bookings ADD COLUMN plan_id text;
CREATE INDEX bookings_plan ON bookings (plan_id) WHERE plan_id IS NOT NULL;
