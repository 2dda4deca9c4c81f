-- 0020 (issue 9): operators read and answer the message threads of the bookings assigned to them, and
-- a message records which person wrote it. `operator_id` is the booking's, copied (booking.confirm
-- re-copies it when it assigns someone), so the row knows its space `assigned:<operatorId>`;
-- `written_by` is `operator:<id>` or `person:<codeId>` (shared/actor.ts personOf), null before this.
ALTER TABLE messages ADD COLUMN operator_id text REFERENCES operators (id);
ALTER TABLE messages ADD COLUMN written_by text CHECK (length(written_by) <= 80);

-- Threads of bookings already assigned: the operator's phone pulls them from now on.
UPDATE messages m SET operator_id = b.operator_id FROM bookings b WHERE b.id = m.booking_id AND b.operator_id IS NOT NULL;
INSERT INTO row_versions (space, entity, key, deleted)
SELECT 'assigned:' || operator_id, 'message', id, false FROM messages WHERE operator_id IS NOT NULL
ON CONFLICT (space, entity, key) DO UPDATE SET deleted = false, xid = pg_current_xact_id();
