-- 0008: the provider's side (issue 9): delivery with quantity or no-show, who did what.

-- Delivery: units actually delivered (0 = no-show); the booked quantity stays in `quantity`.
ALTER TABLE bookings ADD COLUMN delivered_quantity integer CHECK (delivered_quantity >= 0 AND delivered_quantity <= quantity);
ALTER TABLE bookings ADD COLUMN no_show boolean NOT NULL DEFAULT false;
-- Deliveries before this migration delivered all that was booked.
UPDATE bookings SET delivered_quantity = quantity WHERE status IN ('delivered', 'liquidated');
ALTER TABLE bookings ADD CONSTRAINT bookings_delivered_quantity CHECK ((delivered_quantity IS NOT NULL) = (delivered_at IS NOT NULL));
ALTER TABLE bookings ADD CONSTRAINT bookings_no_show CHECK (NOT no_show OR delivered_quantity = 0);
-- Who confirmed / delivered: 'operator:<id>' or 'person:<activation code id>' (shared/actor.ts personOf).
ALTER TABLE bookings ADD COLUMN confirmed_by text;
ALTER TABLE bookings ADD COLUMN delivered_by text;

-- Operators (issue 9): what the Job Family desk keeps. Training track, free-text qualifications,
-- whether they take mildly ill children, on-call windows ("1-5 05:00-14:00; 6 08:00-12:00").
ALTER TABLE operators ADD COLUMN track text CHECK (track IN ('nursery-care', 'baby-care', 'child-care'));
ALTER TABLE operators ADD COLUMN qualifications text NOT NULL DEFAULT '';
ALTER TABLE operators ADD COLUMN takes_mildly_ill boolean NOT NULL DEFAULT false;
ALTER TABLE operators ADD COLUMN on_call_windows text NOT NULL DEFAULT '';

-- A family learns an operator's name only through its own booking (stamped at confirm): operators
-- leave the catalog space every role pulls for a provider-only staff space (docs/security.md).
ALTER TABLE bookings ADD COLUMN operator_name text;
UPDATE bookings b SET operator_name = o.name FROM operators o WHERE o.id = b.operator_id;
UPDATE row_versions SET xid = pg_current_xact_id()
  WHERE entity = 'booking' AND key IN (SELECT id FROM bookings WHERE operator_id IS NOT NULL);
UPDATE row_versions SET deleted = true, xid = pg_current_xact_id() WHERE entity = 'operator' AND space LIKE 'catalog:%';
INSERT INTO row_versions (space, entity, key, deleted)
  SELECT 'staff:' || provider_id, 'operator', id, false FROM operators ON CONFLICT (space, entity, key) DO NOTHING;
-- An operator pulls the bookings assigned to them (space assigned:<operatorId>).
INSERT INTO row_versions (space, entity, key, deleted)
  SELECT 'assigned:' || operator_id, 'booking', id, false FROM bookings WHERE operator_id IS NOT NULL
  ON CONFLICT (space, entity, key) DO NOTHING;

-- The role `operator`: each operator activates with their own code, issued by their coordinator.
ALTER TABLE activation_codes ADD COLUMN operator_id text REFERENCES operators (id);
ALTER TABLE activation_codes DROP CONSTRAINT activation_codes_role_check;
ALTER TABLE activation_codes ADD CONSTRAINT activation_codes_role_check CHECK (role IN ('parent', 'provider', 'officer', 'operator'));
ALTER TABLE activation_codes DROP CONSTRAINT activation_codes_check1;
ALTER TABLE activation_codes ADD CONSTRAINT activation_codes_provider_check CHECK ((role IN ('provider', 'operator')) = (provider_id IS NOT NULL));
ALTER TABLE activation_codes ADD CONSTRAINT activation_codes_operator_check CHECK ((role = 'operator') = (operator_id IS NOT NULL));
CREATE INDEX activation_codes_operator ON activation_codes (operator_id) WHERE operator_id IS NOT NULL;
