-- 0017 (issue 9): a reimbursement statement's row is a delivered booking OR a delivered emergency
-- request (emergency.deliver: the hours actually delivered, the voucher share spent). The row had the
-- booking in its primary key; now it has an id of its own, and exactly one of booking_id and
-- emergency_request_id, each in one statement at most (UNIQUE), whatever two officers do at once.
ALTER TABLE statement_rows DROP CONSTRAINT statement_rows_pkey;
ALTER TABLE statement_rows ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY;
ALTER TABLE statement_rows ALTER COLUMN booking_id DROP NOT NULL;
ALTER TABLE statement_rows ADD COLUMN emergency_request_id text UNIQUE REFERENCES emergency_requests (id);
ALTER TABLE statement_rows ADD CONSTRAINT statement_rows_one_subject CHECK ((booking_id IS NULL) <> (emergency_request_id IS NULL));
-- An emergency is not a session of a service: its row names the program's at-home babysitting for a
-- sick child when there is one (null otherwise); a booking's row always has its service.
ALTER TABLE statement_rows ALTER COLUMN service_id DROP NOT NULL;
ALTER TABLE statement_rows ADD CONSTRAINT statement_rows_booking_service CHECK (booking_id IS NULL OR service_id IS NOT NULL);
-- The primary key served "the rows of a statement": an index of its own now.
CREATE INDEX statement_rows_statement ON statement_rows (statement_id);

-- A provider's delivered emergencies by delivery time: the statement's prepare and the provider's payments.
CREATE INDEX emergency_requests_delivered ON emergency_requests (provider_id, delivered_at) WHERE status = 'delivered';
