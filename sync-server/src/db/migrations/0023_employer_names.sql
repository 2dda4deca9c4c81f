-- 0023: one employer per name in a program, whatever the case, said by the database (issue 11).
--
-- createEmployer refused a name already used (compared lower-cased) by reading first: a check
-- that only the program row's lock kept from racing, and that nothing backed up when a write came
-- another way (0012's UNIQUE (program_id, name) tells "Acme" from "ACME"). Now a unique index on the
-- lower-cased name is the authority; the service answers its violation as the check does (409
-- invalid-state {reason: 'employer-exists'}). 0012's case-sensitive constraint is implied and goes.
--
-- Names that already clash (possible only through a write outside the service) keep the first
-- created as it is; the others get " (2)", " (3)"… so that the index can be built.
UPDATE employers e SET name = left(e.name, 190) || ' (' || d.n || ')'
FROM (SELECT id, row_number() OVER (PARTITION BY program_id, lower(name) ORDER BY created_at, id) AS n FROM employers) d
WHERE d.id = e.id AND d.n > 1;

CREATE UNIQUE INDEX employers_program_name_ci ON employers (program_id, lower(name));
ALTER TABLE employers DROP CONSTRAINT employers_program_id_name_key;
