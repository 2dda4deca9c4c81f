-- 0009 (the parent's app, issue 10): one child holds at most one live booking of a session.
-- The rule is in the shared mutator (booking.request refuses invalid-state {reason: 'already-booked'});
-- this index is the backstop when two requests for the same child and session race (the second's
-- insert fails, and the push answers invalid-state {reason: 'conflict'}). It also serves the
-- mutator's lookup `booking.liveOfChildSession`.
-- A database that already holds such pairs stops here with their count: cancel the later booking of
-- each pair (the parent's app or the office) and start again; nothing is changed behind anyone's back.
DO $$
DECLARE pairs integer;
BEGIN
  SELECT count(*) INTO pairs FROM (
    SELECT 1 FROM bookings WHERE status IN ('requested', 'confirmed')
    GROUP BY child_id, session_id HAVING count(*) > 1) d;
  IF pairs > 0 THEN
    RAISE EXCEPTION '0009: % child/session pairs hold two live bookings; cancel the later one of each, then start again', pairs;
  END IF;
END $$;
CREATE UNIQUE INDEX bookings_live_child_session ON bookings (child_id, session_id) WHERE status IN ('requested', 'confirmed');
