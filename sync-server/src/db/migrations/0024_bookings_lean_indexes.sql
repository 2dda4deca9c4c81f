-- 0024: two of bookings' indexes go (issue 11: paying a 5,000-row statement writes 5,000 bookings).
--
-- 0006 made two covering indexes so that monitoring read a period from the index alone:
-- bookings_created_at (created_at) INCLUDE (provider_id, service_id, status) and bookings_delivered_at
-- (delivered_at) INCLUDE (provider_id, service_id, family_id, child_id, voucher_cents, status). Since
-- 0011 monitoring reads its rollups instead: nothing reads bookings by created_at any more, and by
-- delivered_at only the liquidation, which now reads provider by provider through
-- bookings_provider_delivered (provider_id, delivered_at), as statements do. Every non-HOT write of a
-- booking (a delivery, a liquidation: status is indexed, below) paid an entry in each, and they were
-- 101 MB + 82 MB of bookings' 281 MB of indexes in bench:office (1M bookings; 107 MB after).
--
-- A liquidation is still not a HOT update: the partial unique index bookings_live_child_session has
-- status in its predicate (bench/README.md, "bench:office", says what that costs and what was tried).
DROP INDEX bookings_created_at;
DROP INDEX bookings_delivered_at;
