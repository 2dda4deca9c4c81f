-- 0019 (issue 10): a waiting entry whose session has started ends 'expired' (the server's sweep,
-- services/waitlist/expire.ts), and a recurring plan item's dates are kept as the server decided them
-- (booked, or skipped with the reason), so every phone of the family shows the same outcome.
ALTER TABLE waitlist_entries DROP CONSTRAINT waitlist_entries_status_check;
ALTER TABLE waitlist_entries ADD CONSTRAINT waitlist_entries_status_check
  CHECK (status IN ('waiting', 'promoted', 'left', 'closed', 'expired'));

CREATE TABLE plan_dates (
  -- The booking id the date has or would have had (shared/booking/recurrence.rules.ts planBookingId).
  id text PRIMARY KEY,
  plan_id text NOT NULL,
  family_id text NOT NULL REFERENCES families (id),
  child_id text NOT NULL REFERENCES children (id),
  session_id text NOT NULL REFERENCES sessions (id),
  starts_at timestamptz NOT NULL,
  booking_id text REFERENCES bookings (id),
  code text CHECK (length(code) <= 40),
  reason text CHECK (length(reason) <= 40),
  created_at timestamptz NOT NULL,
  -- Booked, or skipped with a reason: never both, never neither.
  CHECK ((booking_id IS NULL) = (code IS NOT NULL))
);
CREATE INDEX plan_dates_family ON plan_dates (family_id);
CREATE INDEX plan_dates_plan ON plan_dates (plan_id);
