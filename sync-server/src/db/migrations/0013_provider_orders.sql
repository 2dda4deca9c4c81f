-- 0013: the provider's side, continued (issue 9): what the program will pay and when, orders that say
-- who and where, "propose another time", the delivery of an emergency and the family's usual operator.

-- Program setting (null = the default in shared/provider/payments.rules.ts, 60 days): how long after a
-- statement's approval the program usually pays, the basis of the provider's expected payment date.
ALTER TABLE programs ADD COLUMN payment_days_after_approval integer
  CHECK (payment_days_after_approval BETWEEN 0 AND 365);

-- Orders say who and where (copied at booking.request, like child_first_name): the family's surname,
-- the child's age in whole months at the session's start (never the birth date), and for at-home
-- services the address the family gave. Pulled by the provider and the assigned operator only.
ALTER TABLE bookings ADD COLUMN family_name text;
ALTER TABLE bookings ADD COLUMN child_age_months integer CHECK (child_age_months BETWEEN 0 AND 240);
ALTER TABLE bookings ADD COLUMN address text CHECK (length(address) <= 200);

-- Propose another time: the provider offers another of its sessions for a requested order; the
-- family accepts (the booking moves there) or declines (it stays as it was).
ALTER TABLE bookings ADD COLUMN proposed_session_id text REFERENCES sessions (id);
ALTER TABLE bookings ADD COLUMN proposal_note text CHECK (length(proposal_note) <= 500);
ALTER TABLE bookings ADD COLUMN proposal_status text CHECK (proposal_status IN ('proposed', 'accepted', 'declined'));
ALTER TABLE bookings ADD COLUMN proposed_at timestamptz;
ALTER TABLE bookings ADD CONSTRAINT bookings_proposal CHECK ((proposal_status IS NULL) = (proposed_at IS NULL));
ALTER TABLE bookings ADD CONSTRAINT bookings_proposal_open CHECK (proposal_status IS DISTINCT FROM 'proposed' OR proposed_session_id IS NOT NULL);

-- The delivery of an emergency (emergency.deliver): hours actually delivered (0 = no-show), who
-- recorded it, what the voucher spent; and the family's usual operator, asked first.
ALTER TABLE emergency_requests ADD COLUMN delivered_at timestamptz;
ALTER TABLE emergency_requests ADD COLUMN delivered_hours integer CHECK (delivered_hours BETWEEN 0 AND 24);
ALTER TABLE emergency_requests ADD COLUMN no_show boolean NOT NULL DEFAULT false;
ALTER TABLE emergency_requests ADD COLUMN delivered_by text;
ALTER TABLE emergency_requests ADD COLUMN spent_cents integer CHECK (spent_cents >= 0);
ALTER TABLE emergency_requests ADD COLUMN usual_operator_id text REFERENCES operators (id);
ALTER TABLE emergency_requests ADD CONSTRAINT emergency_requests_delivered
  CHECK ((status = 'delivered') = (delivered_at IS NOT NULL AND delivered_hours IS NOT NULL AND spent_cents IS NOT NULL));
ALTER TABLE emergency_requests ADD CONSTRAINT emergency_requests_no_show CHECK (NOT no_show OR delivered_hours = 0);
