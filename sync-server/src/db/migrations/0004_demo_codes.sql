-- 0004: demo activation codes are marked, and work only while the server runs in demo mode.
ALTER TABLE activation_codes ADD COLUMN demo boolean NOT NULL DEFAULT false;
-- The demo seed's codes written before this migration (its ids; real codes are issued otherwise).
UPDATE activation_codes SET demo = true WHERE id LIKE 'cod-fam-%' OR id LIKE 'cod-prv-%' OR id = 'cod-officer-1';
