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
