-- 0028: how a family reaches the person coming to an urgent request (issue 10's noticed items).
--
-- A parent whose emergency is accepted at 5 a.m. read "arriva Chiara Bettoni alle 6:00" and had no way
-- to call her (the program's contact is an office open on weekdays). An operator now has a work phone
-- (operators.phone, kept by the coordinator with the rest of the staff record; the office and the
-- families never receive the staff list), and an accepted request carries the phone of the operator
-- who goes (emergency_requests.contact_phone, copied on acceptance like operator_name, kept in step
-- when the coordinator corrects it): the family sees the one number of the one person coming.
ALTER TABLE operators ADD COLUMN phone text;
ALTER TABLE emergency_requests ADD COLUMN contact_phone text;
