-- 0025: a paid statement is ONE stamp for its bookings in the families' and the provider's spaces.
--
-- Paying a statement moves its bookings to `liquidated`; their phones learn it by pull. Until now the
-- payment upserted a row_versions stamp per booking and space (family:, orders:; 9,348 for a month of
-- 4,674 rows: 169k buffers, 10 MB of WAL, about a third of the payment's SQL time, bench/README "Pay
-- under 300 ms"). Now the payment writes its transaction id here, and the pull (pull.service.ts) reads a
-- statement paid by a transaction its cookie did not see as a stamp, with that xid, of each of the
-- statement's bookings in the family's and the provider's space: the same rows at the same moment as
-- the per-booking stamps, since a stamp's meaning is "transaction X changed this row" and X is here.
-- (The operator's `assigned:` space keeps its per-booking stamps: a few rows, and no index finds an
-- operator's bookings.) A liquidated booking never changes space (family and provider are fixed, and
-- liquidated is final), so the spaces read at pull time are those it was in when paid.
-- Statements paid before this migration keep NULL: their bookings were stamped one by one.
ALTER TABLE statements ADD COLUMN paid_xid xid8;
ALTER TABLE statements ADD CONSTRAINT statements_paid_xid CHECK (paid_xid IS NULL OR status = 'paid');
CREATE INDEX statements_paid_xid ON statements (paid_xid) WHERE paid_xid IS NOT NULL;
