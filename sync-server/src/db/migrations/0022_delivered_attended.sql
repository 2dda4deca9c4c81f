-- 0022: the monitoring's delivered and units figures (delivery_hours, 0011) count ATTENDED deliveries
-- only, and their units are the units actually delivered (issue 11).
--
-- Before: office_rollups_booking() counted every booking with a delivered_at and status delivered or
-- liquidated, no-shows included (a no-show is recorded with a delivered_at), and its units were the
-- units BOOKED (`quantity`): a family that did not come counted as a delivery of all it had booked,
-- and a partial delivery (2 hours of 3) as the 3 booked. Statements and the liquidation have never
-- counted no-shows, and state the hours delivered (`delivered_quantity`); served_years (0018) already
-- counts attended deliveries only. Now the three agree:
--
--   * a booking counts in delivery_hours when delivered_at IS NOT NULL AND status IN ('delivered',
--     'liquidated') AND NOT no_show ("attended", as 0018 says it), with units = delivered_quantity (a
--     delivered booking always has one: CHECK bookings_delivered_quantity, 0008). voucher_cents was
--     already the delivered share (0 for a no-show: shared/booking/delivery.rules.ts);
--   * the update trigger also fires when no_show or delivered_quantity change;
--   * office_rollups_rebuild() builds delivery_hours the same way, and delivery_hours is recomputed
--     here from the bookings (request_hours and served_years are right and stay as they are).

CREATE OR REPLACE FUNCTION office_rollups_booking() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    IF OLD.delivered_at IS NOT NULL AND OLD.status IN ('delivered', 'liquidated') AND NOT OLD.no_show THEN
      UPDATE delivery_hours SET delivered = delivered - 1, units = units - coalesce(OLD.delivered_quantity, OLD.quantity),
          voucher_cents = voucher_cents - OLD.voucher_cents
        WHERE hour = date_trunc('hour', OLD.delivered_at, 'UTC') AND provider_id = OLD.provider_id AND service_id = OLD.service_id;
    END IF;
    IF TG_OP = 'DELETE' OR OLD.created_at IS DISTINCT FROM NEW.created_at OR OLD.session_id IS DISTINCT FROM NEW.session_id THEN
      UPDATE request_hours SET bookings = bookings - 1
        WHERE hour = date_trunc('hour', OLD.created_at, 'UTC') AND session_id = OLD.session_id;
    END IF;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    IF NEW.delivered_at IS NOT NULL AND NEW.status IN ('delivered', 'liquidated') AND NOT NEW.no_show THEN
      INSERT INTO delivery_hours AS h (hour, provider_id, service_id, delivered, units, voucher_cents)
        VALUES (date_trunc('hour', NEW.delivered_at, 'UTC'), NEW.provider_id, NEW.service_id, 1, coalesce(NEW.delivered_quantity, NEW.quantity), NEW.voucher_cents)
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

-- As 0011's, plus whether the family came and how much was delivered. A liquidation (delivered →
-- liquidated: both count), a confirmation or a message still cost nothing here.
DROP TRIGGER bookings_office_rollups_update ON bookings;
CREATE TRIGGER bookings_office_rollups_update AFTER UPDATE ON bookings
  FOR EACH ROW WHEN (
    (OLD.delivered_at IS NOT NULL AND OLD.status IN ('delivered', 'liquidated') AND NOT OLD.no_show)
      IS DISTINCT FROM (NEW.delivered_at IS NOT NULL AND NEW.status IN ('delivered', 'liquidated') AND NOT NEW.no_show)
    OR OLD.delivered_at IS DISTINCT FROM NEW.delivered_at OR OLD.quantity IS DISTINCT FROM NEW.quantity
    OR OLD.delivered_quantity IS DISTINCT FROM NEW.delivered_quantity
    OR OLD.voucher_cents IS DISTINCT FROM NEW.voucher_cents OR OLD.provider_id IS DISTINCT FROM NEW.provider_id
    OR OLD.service_id IS DISTINCT FROM NEW.service_id OR OLD.child_id IS DISTINCT FROM NEW.child_id
    OR OLD.created_at IS DISTINCT FROM NEW.created_at OR OLD.session_id IS DISTINCT FROM NEW.session_id)
  EXECUTE FUNCTION office_rollups_booking();

-- delivery_hours from the bookings as they are: attended deliveries, the units delivered.
CREATE FUNCTION office_delivery_hours_rebuild() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM delivery_hours;
  INSERT INTO delivery_hours (hour, provider_id, service_id, delivered, units, voucher_cents)
    SELECT date_trunc('hour', delivered_at, 'UTC'), provider_id, service_id, count(*), sum(coalesce(delivered_quantity, quantity)), sum(voucher_cents)
    FROM bookings WHERE delivered_at IS NOT NULL AND status IN ('delivered', 'liquidated') AND NOT no_show GROUP BY 1, 2, 3;
END $$;

CREATE OR REPLACE FUNCTION office_rollups_rebuild() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM office_delivery_hours_rebuild();
  DELETE FROM request_hours;
  DELETE FROM served_years;
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

-- The existing rollups, recomputed: every no-show taken out, every partial delivery's units corrected.
SELECT office_delivery_hours_rebuild();
