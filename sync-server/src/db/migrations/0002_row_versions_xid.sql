-- 0002: the pull cookie without hot rows (docs/sync.md, "Pull").
-- A writing transaction stamps the row_versions it touches with its own transaction id (xid8: 64 bits,
-- never wraps), and a pull's cookie is the MVCC snapshot its REPEATABLE READ transaction read with:
-- "changed since the cookie" = stamped by a transaction the cookie's snapshot did not see. No shared
-- counter row is locked until COMMIT any more, so writers of one provider no longer queue behind each
-- other's commit. Rows stamped before this migration get the migration's id; old cookies (per-space
-- versions) no longer decode, so phones start over with a full pull once.
ALTER TABLE row_versions ADD COLUMN xid xid8 NOT NULL DEFAULT pg_current_xact_id();
ALTER TABLE row_versions DROP COLUMN version;
CREATE INDEX row_versions_space_xid ON row_versions (space, xid);
DROP TABLE spaces;
