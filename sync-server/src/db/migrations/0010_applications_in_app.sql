-- 0010: families apply in the app (docs/office-commands.md). Added to 0005 after it had landed, so
-- moved here; IF NOT EXISTS because a database made in between already has them from 0005.
-- A family applies to a call once (in the app; a funded import's new family is unique anyway).
CREATE UNIQUE INDEX IF NOT EXISTS applications_call_family ON applications (call_id, family_id);
-- In the app, the family's own child (its voucher is created, or topped up, when funded).
ALTER TABLE application_children ADD COLUMN IF NOT EXISTS child_id text REFERENCES children (id);
