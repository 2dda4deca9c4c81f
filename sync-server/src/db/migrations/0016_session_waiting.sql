-- 0016: a session counts its waiting-list entries still waiting (issue 8: push throughput).
-- A place freed (cancel, decline, an accepted proposal) or taken (a request) read the session's
-- waiting list in every push, though nearly always nobody waits; the mutators now read it only when
-- `waiting` > 0 (shared/mutators/waitlist.mutators.ts). The mutators keep the counter (so a batch's
-- later mutations see an earlier join or promotion); this trigger makes it exact whoever writes the
-- entries (the office's erasure of a family closes its entries in SQL): after each write of an entry
-- it recounts the entry's session, and writes only if the count differs (after a mutator's own
-- update of the session it does not).

ALTER TABLE sessions ADD COLUMN waiting integer NOT NULL DEFAULT 0 CHECK (waiting >= 0);

UPDATE sessions s SET waiting = w.n
  FROM (SELECT session_id, count(*)::int AS n FROM waitlist_entries WHERE status = 'waiting' GROUP BY session_id) w
  WHERE s.id = w.session_id;

CREATE FUNCTION waitlist_count_session(p_session text) RETURNS void LANGUAGE sql AS $$
  UPDATE sessions s SET waiting = c.n
    FROM (SELECT count(*)::int AS n FROM waitlist_entries WHERE session_id = p_session AND status = 'waiting') c
    WHERE s.id = p_session AND s.waiting <> c.n;
$$;

CREATE FUNCTION waitlist_entries_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    PERFORM waitlist_count_session(OLD.session_id);
  END IF;
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.session_id IS DISTINCT FROM OLD.session_id) THEN
    PERFORM waitlist_count_session(NEW.session_id);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER waitlist_entries_count_insert AFTER INSERT OR DELETE ON waitlist_entries
  FOR EACH ROW EXECUTE FUNCTION waitlist_entries_count();
CREATE TRIGGER waitlist_entries_count_update AFTER UPDATE ON waitlist_entries
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.session_id IS DISTINCT FROM NEW.session_id)
  EXECUTE FUNCTION waitlist_entries_count();
