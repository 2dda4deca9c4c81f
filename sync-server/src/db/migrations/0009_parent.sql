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

-- Service descriptions in English (the phone shows the Italian one where none exists); the demo's ten
-- services get theirs here too, since the seed never rewrites rows that already exist.
ALTER TABLE services ADD COLUMN description_en text;
UPDATE services SET description_en = 'A day at the company nursery for employees'' children, in the extra places the project pays for.' WHERE id = 'svc-nursery' AND description_en IS NULL;
UPDATE services SET description_en = 'An afternoon of play with educators, for children aged 0 to 3 and 4 to 6.' WHERE id = 'svc-play-space' AND description_en IS NULL;
UPDATE services SET description_en = 'Lunch, homework and activities after school, until 6 pm.' WHERE id = 'svc-after-school' AND description_en IS NULL;
UPDATE services SET description_en = 'A babysitter at home when your child is sick and you have to work. Book the hours you need.' WHERE id = 'svc-babysitting' AND description_en IS NULL;
UPDATE services SET description_en = 'A small group with specialised educators: attention, rules, independence.' WHERE id = 'svc-adhd-lab' AND description_en IS NULL;
UPDATE services SET description_en = 'Homework with method and compensatory tools for children and teenagers with learning disorders (DSA).' WHERE id = 'svc-dsa' AND description_en IS NULL;
UPDATE services SET description_en = 'A week of day camp while schools are closed (in summer and during the holidays).' WHERE id = 'svc-camp' AND description_en IS NULL;
UPDATE services SET description_en = 'A week of educational holiday in a group, with educators, away from home.' WHERE id = 'svc-holiday' AND description_en IS NULL;
UPDATE services SET description_en = 'A worker takes your child to sports, therapy or activities and brings them back home.' WHERE id = 'svc-accompaniment' AND description_en IS NULL;
UPDATE services SET description_en = 'A free interview to assess your needs and draw up the family conciliation plan.' WHERE id = 'svc-counselling' AND description_en IS NULL;
