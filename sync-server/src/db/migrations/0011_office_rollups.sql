-- 0011: the office's monitoring reads rollups kept by the bookings' own writes (issue 11: answers that
-- grow with the period asked, not with the database). Three tables, kept exact by row triggers on
-- `bookings` (every writer goes through them: push path, office commands, demo seed, erasure), and
-- rebuilt from `bookings` by office_rollups_rebuild() (here, and by bench/office.bench.ts after its
-- bulk load, which runs with triggers off):
--
--   delivery_hours   per UTC hour of delivered_at, provider and service: the bookings counted as
--                    delivered (status delivered or liquidated), their units (quantity) and voucher share;
--   request_hours    per UTC hour of created_at and session: the bookings requested. Keyed by session
--                    so that only a transaction already holding the session's row (the place update
--                    every request makes) writes it: no new contention, no new lock order;
--   served_years     per year (program time zone), scope (the program, or one territory's providers)
--                    and child: the days (bit n = day n of the year) on which the child had a delivery
--                    in that scope. "Families and children served in a period" is then one bit test per
--                    child served that year instead of a scan of every delivery of the period. A
--                    provider moved to another territory keeps its past deliveries in the old one
--                    until office_rollups_rebuild() runs.
--
-- A month is ~720 rows of delivery_hours per provider and service that delivered, whatever the size
-- of the database; served_years holds two rows (program, territory) per child and year served, or
-- more for a child served in several territories.

CREATE TABLE delivery_hours (
  hour timestamptz NOT NULL,
  provider_id text NOT NULL,
  service_id text NOT NULL,
  delivered integer NOT NULL,
  units bigint NOT NULL,
  voucher_cents bigint NOT NULL,
  PRIMARY KEY (hour, provider_id, service_id)
);

CREATE TABLE request_hours (
  hour timestamptz NOT NULL,
  session_id text NOT NULL,
  provider_id text NOT NULL,
  service_id text NOT NULL,
  bookings integer NOT NULL,
  PRIMARY KEY (hour, session_id)
);

CREATE TABLE served_years (
  year integer NOT NULL,
  -- 'program:<id>' (every provider of the program) or 'territory:<id>' (the providers of that territory)
  scope text NOT NULL,
  child_id text NOT NULL,
  family_id text NOT NULL,
  days bit(366) NOT NULL,
  PRIMARY KEY (year, scope, child_id)
);
CREATE INDEX served_years_child ON served_years (child_id);

-- Where a delivery by this provider at this instant counts: the year and day (0-based) in the time zone
-- of the provider's program, that day's bounds, and the two scopes (its program, its territory).
CREATE FUNCTION office_served_day(p_provider text, p_at timestamptz, OUT y integer, OUT d integer,
  OUT day_start timestamptz, OUT day_end timestamptz, OUT program_scope text, OUT territory_scope text)
LANGUAGE plpgsql STABLE AS $$
DECLARE
  tz text;
  local_day timestamp;
BEGIN
  SELECT pg.time_zone, 'program:' || pr.program_id, 'territory:' || pr.territory_id INTO tz, program_scope, territory_scope
    FROM providers pr JOIN programs pg ON pg.id = pr.program_id WHERE pr.id = p_provider;
  tz := coalesce(tz, 'Europe/Rome');
  local_day := date_trunc('day', p_at AT TIME ZONE tz);
  y := extract(year FROM local_day)::integer;
  d := extract(doy FROM local_day)::integer - 1;
  day_start := local_day AT TIME ZONE tz;
  day_end := (local_day + interval '1 day') AT TIME ZONE tz;
END $$;

CREATE FUNCTION office_rollups_booking() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  sd record;
BEGIN
  IF TG_OP <> 'INSERT' THEN
    IF OLD.delivered_at IS NOT NULL AND OLD.status IN ('delivered', 'liquidated') THEN
      UPDATE delivery_hours SET delivered = delivered - 1, units = units - OLD.quantity, voucher_cents = voucher_cents - OLD.voucher_cents
        WHERE hour = date_trunc('hour', OLD.delivered_at, 'UTC') AND provider_id = OLD.provider_id AND service_id = OLD.service_id;
    END IF;
    IF TG_OP = 'DELETE' OR OLD.created_at IS DISTINCT FROM NEW.created_at OR OLD.session_id IS DISTINCT FROM NEW.session_id THEN
      UPDATE request_hours SET bookings = bookings - 1
        WHERE hour = date_trunc('hour', OLD.created_at, 'UTC') AND session_id = OLD.session_id;
    END IF;
    IF OLD.delivered_at IS NOT NULL AND (TG_OP = 'DELETE' OR NEW.delivered_at IS DISTINCT FROM OLD.delivered_at
        OR NEW.child_id IS DISTINCT FROM OLD.child_id OR NEW.provider_id IS DISTINCT FROM OLD.provider_id) THEN
      -- The day stays served in a scope if another delivery to this child by a provider of that scope falls on it.
      sd := office_served_day(OLD.provider_id, OLD.delivered_at);
      IF NOT EXISTS (SELECT 1 FROM bookings b JOIN providers pr ON pr.id = b.provider_id
          WHERE b.child_id = OLD.child_id AND b.delivered_at >= sd.day_start AND b.delivered_at < sd.day_end AND b.id <> OLD.id
            AND 'program:' || pr.program_id = sd.program_scope) THEN
        UPDATE served_years SET days = set_bit(days, sd.d, 0) WHERE year = sd.y AND scope = sd.program_scope AND child_id = OLD.child_id;
      END IF;
      IF NOT EXISTS (SELECT 1 FROM bookings b JOIN providers pr ON pr.id = b.provider_id
          WHERE b.child_id = OLD.child_id AND b.delivered_at >= sd.day_start AND b.delivered_at < sd.day_end AND b.id <> OLD.id
            AND 'territory:' || pr.territory_id = sd.territory_scope) THEN
        UPDATE served_years SET days = set_bit(days, sd.d, 0) WHERE year = sd.y AND scope = sd.territory_scope AND child_id = OLD.child_id;
      END IF;
    END IF;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    IF NEW.delivered_at IS NOT NULL AND NEW.status IN ('delivered', 'liquidated') THEN
      INSERT INTO delivery_hours AS h (hour, provider_id, service_id, delivered, units, voucher_cents)
        VALUES (date_trunc('hour', NEW.delivered_at, 'UTC'), NEW.provider_id, NEW.service_id, 1, NEW.quantity, NEW.voucher_cents)
        ON CONFLICT (hour, provider_id, service_id) DO UPDATE
        SET delivered = h.delivered + 1, units = h.units + EXCLUDED.units, voucher_cents = h.voucher_cents + EXCLUDED.voucher_cents;
    END IF;
    IF TG_OP = 'INSERT' OR OLD.created_at IS DISTINCT FROM NEW.created_at OR OLD.session_id IS DISTINCT FROM NEW.session_id THEN
      INSERT INTO request_hours AS h (hour, session_id, provider_id, service_id, bookings)
        VALUES (date_trunc('hour', NEW.created_at, 'UTC'), NEW.session_id, NEW.provider_id, NEW.service_id, 1)
        ON CONFLICT (hour, session_id) DO UPDATE SET bookings = h.bookings + 1;
    END IF;
    IF NEW.delivered_at IS NOT NULL AND (TG_OP = 'INSERT' OR NEW.delivered_at IS DISTINCT FROM OLD.delivered_at
        OR NEW.child_id IS DISTINCT FROM OLD.child_id OR NEW.provider_id IS DISTINCT FROM OLD.provider_id) THEN
      sd := office_served_day(NEW.provider_id, NEW.delivered_at);
      INSERT INTO served_years AS s (year, scope, child_id, family_id, days)
        VALUES (sd.y, sd.program_scope, NEW.child_id, NEW.family_id, set_bit(repeat('0', 366)::bit(366), sd.d, 1)),
               (sd.y, sd.territory_scope, NEW.child_id, NEW.family_id, set_bit(repeat('0', 366)::bit(366), sd.d, 1))
        ON CONFLICT (year, scope, child_id) DO UPDATE SET days = set_bit(s.days, sd.d, 1);
    END IF;
  END IF;
  RETURN NULL;
END $$;

-- Fired only by the writes that change a rollup (the WHEN is evaluated without entering PL/pgSQL):
-- a confirmation, a message, a liquidation (delivered → liquidated: both count) cost nothing here.
CREATE TRIGGER bookings_office_rollups_insert AFTER INSERT ON bookings
  FOR EACH ROW EXECUTE FUNCTION office_rollups_booking();
CREATE TRIGGER bookings_office_rollups_update AFTER UPDATE ON bookings
  FOR EACH ROW WHEN (
    (OLD.delivered_at IS NOT NULL AND OLD.status IN ('delivered', 'liquidated')) IS DISTINCT FROM (NEW.delivered_at IS NOT NULL AND NEW.status IN ('delivered', 'liquidated'))
    OR OLD.delivered_at IS DISTINCT FROM NEW.delivered_at OR OLD.quantity IS DISTINCT FROM NEW.quantity
    OR OLD.voucher_cents IS DISTINCT FROM NEW.voucher_cents OR OLD.provider_id IS DISTINCT FROM NEW.provider_id
    OR OLD.service_id IS DISTINCT FROM NEW.service_id OR OLD.child_id IS DISTINCT FROM NEW.child_id
    OR OLD.created_at IS DISTINCT FROM NEW.created_at OR OLD.session_id IS DISTINCT FROM NEW.session_id)
  EXECUTE FUNCTION office_rollups_booking();
CREATE TRIGGER bookings_office_rollups_delete AFTER DELETE ON bookings
  FOR EACH ROW EXECUTE FUNCTION office_rollups_booking();

-- The rollups from the bookings as they are (this migration; bulk loads that skipped the triggers).
CREATE FUNCTION office_rollups_rebuild() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM delivery_hours;
  DELETE FROM request_hours;
  DELETE FROM served_years;
  INSERT INTO delivery_hours (hour, provider_id, service_id, delivered, units, voucher_cents)
    SELECT date_trunc('hour', delivered_at, 'UTC'), provider_id, service_id, count(*), sum(quantity), sum(voucher_cents)
    FROM bookings WHERE delivered_at IS NOT NULL AND status IN ('delivered', 'liquidated') GROUP BY 1, 2, 3;
  INSERT INTO request_hours (hour, session_id, provider_id, service_id, bookings)
    SELECT date_trunc('hour', created_at, 'UTC'), session_id, min(provider_id), min(service_id), count(*) FROM bookings GROUP BY 1, 2;
  INSERT INTO served_years (year, scope, child_id, family_id, days)
    SELECT x.y, sc.scope, x.child_id, min(x.family_id), bit_or(set_bit(repeat('0', 366)::bit(366), x.d, 1))
    FROM (SELECT b.child_id, b.family_id, 'program:' || pr.program_id AS program_scope, 'territory:' || pr.territory_id AS territory_scope,
            extract(year FROM b.delivered_at AT TIME ZONE coalesce(pg.time_zone, 'Europe/Rome'))::integer AS y,
            extract(doy FROM b.delivered_at AT TIME ZONE coalesce(pg.time_zone, 'Europe/Rome'))::integer - 1 AS d
          FROM bookings b JOIN providers pr ON pr.id = b.provider_id JOIN programs pg ON pg.id = pr.program_id
          WHERE b.delivered_at IS NOT NULL) x
    CROSS JOIN LATERAL (VALUES (x.program_scope), (x.territory_scope)) sc(scope)
    GROUP BY 1, 2, 3;
END $$;

SELECT office_rollups_rebuild();
