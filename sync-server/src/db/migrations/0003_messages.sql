-- 0003: the booking's message thread, and the lookup of a child's bookings (a rename is copied onto them).
CREATE TABLE messages (
  id text PRIMARY KEY,
  booking_id text NOT NULL REFERENCES bookings (id),
  family_id text NOT NULL REFERENCES families (id),
  provider_id text NOT NULL REFERENCES providers (id),
  author_role text NOT NULL CHECK (author_role IN ('parent', 'provider')),
  body text NOT NULL CHECK (length(body) BETWEEN 1 AND 1000),
  created_at timestamptz NOT NULL
);
CREATE INDEX messages_booking ON messages (booking_id);

CREATE INDEX bookings_child ON bookings (child_id);
