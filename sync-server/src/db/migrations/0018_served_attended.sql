-- 0018: served_years (0011) counts a child as served on a day only for an ATTENDED delivery, and follows
-- a provider that moves to another territory (issue 11).
--
-- Before: the served_years part of office_rollups_booking() set a day's bit for any booking with a
-- delivered_at, whatever its status and even when the family did not come (a no-show is recorded with
-- a delivered_at): a no-show counted the child (and family) as served. And the territory scope was the
-- provider's territory when the delivery was recorded, while every other figure of the monitoring (and
-- its scan) filters by the provider's territory now: after a move they disagreed until a rebuild.
--
-- Now:
--   * a booking serves its child on its day when delivered_at IS NOT NULL AND status IN ('delivered',
--     'liquidated') AND NOT no_show ("attended"); the day's bit is cleared when no other attended
--     booking of the child by a provider of that scope falls on it;
--   * served_years has its own trigger function (office_served_booking) and triggers, fired only by the
--     writes that change whether or where a booking served (a liquidation does not: delivered and
--     liquidated both count); office_rollups_booking() keeps delivery_hours and request_hours exactly
--     as 0011 wrote them;
--   * a provider's territory change recomputes the territory scopes (old and new) of the children it
--     served, from their attended bookings (bounded by that provider's children);
--   * office_rollups_rebuild() counts attended deliveries only, and runs once here.

CREATE OR REPLACE FUNCTION office_rollups_booking() RETURNS trigger LANGUAGE plpgsql AS $$
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
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION office_served_booking() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  sd record;
BEGIN
  IF TG_OP <> 'INSERT' AND OLD.delivered_at IS NOT NULL AND OLD.status IN ('delivered', 'liquidated') AND NOT OLD.no_show THEN
    -- The day stays served in a scope if another attended delivery to this child by a provider of that scope falls on it.
    sd := office_served_day(OLD.provider_id, OLD.delivered_at);
    IF NOT EXISTS (SELECT 1 FROM bookings b JOIN providers pr ON pr.id = b.provider_id
        WHERE b.child_id = OLD.child_id AND b.delivered_at >= sd.day_start AND b.delivered_at < sd.day_end AND b.id <> OLD.id
          AND b.status IN ('delivered', 'liquidated') AND NOT b.no_show AND 'program:' || pr.program_id = sd.program_scope) THEN
      UPDATE served_years SET days = set_bit(days, sd.d, 0) WHERE year = sd.y AND scope = sd.program_scope AND child_id = OLD.child_id;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM bookings b JOIN providers pr ON pr.id = b.provider_id
        WHERE b.child_id = OLD.child_id AND b.delivered_at >= sd.day_start AND b.delivered_at < sd.day_end AND b.id <> OLD.id
          AND b.status IN ('delivered', 'liquidated') AND NOT b.no_show AND 'territory:' || pr.territory_id = sd.territory_scope) THEN
      UPDATE served_years SET days = set_bit(days, sd.d, 0) WHERE year = sd.y AND scope = sd.territory_scope AND child_id = OLD.child_id;
    END IF;
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.delivered_at IS NOT NULL AND NEW.status IN ('delivered', 'liquidated') AND NOT NEW.no_show THEN
    sd := office_served_day(NEW.provider_id, NEW.delivered_at);
    INSERT INTO served_years AS s (year, scope, child_id, family_id, days)
      VALUES (sd.y, sd.program_scope, NEW.child_id, NEW.family_id, set_bit(repeat('0', 366)::bit(366), sd.d, 1)),
             (sd.y, sd.territory_scope, NEW.child_id, NEW.family_id, set_bit(repeat('0', 366)::bit(366), sd.d, 1))
      ON CONFLICT (year, scope, child_id) DO UPDATE SET days = set_bit(s.days, sd.d, 1);
  END IF;
  RETURN NULL;
END $$;

-- Fired only when whether, when, for whom or by whom a booking served may change (the WHEN is
-- evaluated without entering PL/pgSQL): a new booking (no delivered_at yet), a confirmation, a message
-- or a liquidation cost nothing here.
CREATE TRIGGER bookings_served_insert AFTER INSERT ON bookings
  FOR EACH ROW WHEN (NEW.delivered_at IS NOT NULL) EXECUTE FUNCTION office_served_booking();
CREATE TRIGGER bookings_served_update AFTER UPDATE ON bookings
  FOR EACH ROW WHEN (
    (OLD.delivered_at IS NOT NULL AND OLD.status IN ('delivered', 'liquidated') AND NOT OLD.no_show)
      IS DISTINCT FROM (NEW.delivered_at IS NOT NULL AND NEW.status IN ('delivered', 'liquidated') AND NOT NEW.no_show)
    OR OLD.delivered_at IS DISTINCT FROM NEW.delivered_at OR OLD.child_id IS DISTINCT FROM NEW.child_id
    OR OLD.provider_id IS DISTINCT FROM NEW.provider_id)
  EXECUTE FUNCTION office_served_booking();
CREATE TRIGGER bookings_served_delete AFTER DELETE ON bookings
  FOR EACH ROW WHEN (OLD.delivered_at IS NOT NULL) EXECUTE FUNCTION office_served_booking();

-- The children's served days in one territory scope, from their attended bookings by the providers
-- of that territory now (a provider that moved counts in its new territory).
CREATE FUNCTION office_served_recompute(p_children text[], p_scopes text[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM served_years WHERE child_id = ANY(p_children) AND scope = ANY(p_scopes);
  INSERT INTO served_years (year, scope, child_id, family_id, days)
    SELECT x.y, x.scope, x.child_id, min(x.family_id), bit_or(set_bit(repeat('0', 366)::bit(366), x.d, 1))
    FROM (SELECT b.child_id, b.family_id, 'territory:' || pr.territory_id AS scope,
            extract(year FROM b.delivered_at AT TIME ZONE coalesce(pg.time_zone, 'Europe/Rome'))::integer AS y,
            extract(doy FROM b.delivered_at AT TIME ZONE coalesce(pg.time_zone, 'Europe/Rome'))::integer - 1 AS d
          FROM bookings b JOIN providers pr ON pr.id = b.provider_id JOIN programs pg ON pg.id = pr.program_id
          WHERE b.child_id = ANY(p_children) AND b.delivered_at IS NOT NULL AND b.status IN ('delivered', 'liquidated') AND NOT b.no_show
            AND 'territory:' || pr.territory_id = ANY(p_scopes)) x
    GROUP BY 1, 2, 3;
END $$;

CREATE FUNCTION office_served_provider_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM office_served_recompute(
    ARRAY(SELECT DISTINCT child_id FROM bookings WHERE provider_id = NEW.id AND delivered_at IS NOT NULL),
    ARRAY['territory:' || OLD.territory_id, 'territory:' || NEW.territory_id]);
  RETURN NULL;
END $$;

CREATE TRIGGER providers_served_moved AFTER UPDATE OF territory_id ON providers
  FOR EACH ROW WHEN (OLD.territory_id IS DISTINCT FROM NEW.territory_id) EXECUTE FUNCTION office_served_provider_moved();

CREATE OR REPLACE FUNCTION office_rollups_rebuild() RETURNS void LANGUAGE plpgsql AS $$
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
          WHERE b.delivered_at IS NOT NULL AND b.status IN ('delivered', 'liquidated') AND NOT b.no_show) x
    CROSS JOIN LATERAL (VALUES (x.program_scope), (x.territory_scope)) sc(scope)
    GROUP BY 1, 2, 3;
END $$;

SELECT office_rollups_rebuild();
