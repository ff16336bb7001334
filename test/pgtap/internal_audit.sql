-- The internal audit programme (clause 9.2): the programme's period and
-- its default from the certificate, the audits' row rules with their
-- messages, the coverage of the 30 clause 4 to 10 requirements and the
-- applicable controls (expected rows by hand), the programme's rules as of
-- a date, and the findings linked to nonconformities.
\ir ../include/preamble.sql
SET LOCAL TimeZone = 'UTC';

SELECT plan(65);

-- acme (2022): three applicable controls, A.5.7 owned by Carol (written
-- " carol "), one excluded, the other 89 undecided (not applicable: no item)
DO $$
BEGIN
	PERFORM iso27001.create_scope('acme');
	PERFORM iso27001.soa_set('acme', 'A.5.1', 'applicable, implemented (risk treatment)', 'Policy set.', 'Ann Owner');
	PERFORM iso27001.soa_set('acme', 'A.5.7', 'applicable, implemented (risk treatment)', 'Threat feeds.', ' carol ');
	PERFORM iso27001.soa_set('acme', 'A.8.8', 'applicable, implemented (risk treatment)', 'Patching.', 'Dan');
	PERFORM iso27001.soa_set('acme', 'A.7.4', 'excluded', 'No premises of our own.');
	PERFORM iso27001.soa_set_custom('acme', 'ORG-1', 'Clean desk sweeps', 'applicable, implemented (business requirement)', 'Our own.');
	PERFORM iso27001.create_scope('legacy', 2013);
	PERFORM iso27001.create_scope('fresh');
	PERFORM iso27001.create_scope('old');
END $$;
SELECT scope_id AS acme FROM iso27001.soa_scope WHERE name = 'acme' \gset
SELECT scope_id AS legacy FROM iso27001.soa_scope WHERE name = 'legacy' \gset
SELECT scope_id AS fresh FROM iso27001.soa_scope WHERE name = 'fresh' \gset
SELECT scope_id AS old FROM iso27001.soa_scope WHERE name = 'old' \gset

-- the catalogue the programme covers
SELECT is((SELECT count(*) FROM iso27001.isms_clauses_2022 WHERE is_requirement), 30::bigint,
		  'the programme''s clause items: the 30 requirements of clauses 4 to 10');
SELECT results_eq(
	$$SELECT clause, title FROM iso27001.isms_clauses_2022 WHERE clause IN ('6.3', '9.2.2', '10.1', '10.2') ORDER BY sort_key$$,
	$$VALUES ('6.3', 'Planning of changes'), ('9.2.2', 'Internal audit programme'),
			 ('10.1', 'Continual improvement'), ('10.2', 'Nonconformity and corrective action')$$,
	'6.3 (new in 2022), 9.2.2, and the 2022 order of 10.1 and 10.2');

-- programmes: the period and its default
SELECT throws_ok(format($$INSERT INTO iso27001.internal_audit_programme (scope_id, programme_id) VALUES (%s, 'IAP')$$, :fresh),
				 '23502', 'internal audit programme IAP needs a period_start: its scope has no certificate in force to take the cycle from',
				 'no period_start and no certificate: 23502');
SELECT throws_ok(format($$INSERT INTO iso27001.internal_audit_programme (scope_id, programme_id, period_start) VALUES (%s, '  ', '2025-01-01')$$, :fresh),
				 '23514', 'an internal audit programme needs an identifier of 1 to 100 characters without control characters',
				 'a blank identifier: 23514');
SELECT throws_ok(format($$INSERT INTO iso27001.internal_audit_programme (scope_id, programme_id, period_start, period_end) VALUES (%s, 'IAP', '2025-01-01', '2024-12-31')$$, :fresh),
				 '23514', 'internal audit programme IAP ends (2024-12-31) before it starts (2025-01-01)',
				 'an end before the start: 23514');
SELECT throws_ok(format($$INSERT INTO iso27001.internal_audit_programme (scope_id, programme_id, period_start, period_end) VALUES (%s, 'IAP', '2025-01-01', 'infinity')$$, :fresh),
				 '22008', 'the period of internal audit programme IAP must have finite dates',
				 'an infinite end: 22008');
-- the default: the certificate's current cycle.  Decided 400 days ago: the
-- first cycle, from the decision to the day before its third anniversary
DO $$ BEGIN PERFORM iso27001.certificate_record('fresh', 'issued', CURRENT_DATE - 400, 'C-F', 'Example CB'); END $$;
INSERT INTO iso27001.internal_audit_programme (scope_id, programme_id) VALUES (:fresh, ' IAP-F ');
SELECT results_eq(
	format($$SELECT programme_id, period_start, period_end FROM iso27001.internal_audit_programme WHERE scope_id = %s$$, :fresh),
	$$VALUES ('IAP-F', CURRENT_DATE - 400, (CURRENT_DATE - 400 + interval '3 years')::date - 1)$$,
	'default period: the certification decision to the day before its third anniversary; the identifier trimmed');
-- decided seven years (and a day) ago: two cycles completed, the third
-- runs from the sixth anniversary
DO $$ BEGIN PERFORM iso27001.certificate_record('old', 'issued', (CURRENT_DATE - interval '7 years')::date - 1, 'C-O', 'Example CB'); END $$;
INSERT INTO iso27001.internal_audit_programme (scope_id, programme_id) VALUES (:old, 'IAP-O');
SELECT results_eq(
	format($$SELECT period_start, period_end FROM iso27001.internal_audit_programme WHERE scope_id = %s$$, :old),
	$$VALUES (((CURRENT_DATE - interval '7 years')::date - 1 + interval '6 years')::date,
			  ((CURRENT_DATE - interval '7 years')::date - 1 + interval '9 years')::date - 1)$$,
	'a certificate in its third cycle: the programme defaults to the third cycle');
INSERT INTO iso27001.internal_audit_programme (scope_id, programme_id, period_start, period_end)
VALUES (:acme, 'IAP-2022', '2022-01-01', '2024-12-31');
SELECT throws_ok(format($$INSERT INTO iso27001.internal_audit_programme (scope_id, programme_id, period_start) VALUES (%s, 'IAP-2025', '2024-12-31')$$, :acme),
				 '23514', 'internal audit programme IAP-2025 (2024-12-31 to 2027-12-30) overlaps programme IAP-2022 (2022-01-01 to 2024-12-31) of the same scope',
				 'programmes of a scope do not overlap, even by a day: 23514');
SELECT lives_ok(format($$INSERT INTO iso27001.internal_audit_programme (scope_id, programme_id, period_start) VALUES (%s, 'IAP-X', '2025-01-01')$$, :acme),
				'the next one may start the day after');
DELETE FROM iso27001.internal_audit_programme WHERE programme_id = 'IAP-X';

-- audits: the row rules
CREATE FUNCTION pg_temp.audit(id text, planned date, held date, who text, cl text, ctl text, st text DEFAULT NULL, sc text DEFAULT 'acme')
	RETURNS void LANGUAGE plpgsql AS $f$
BEGIN
	INSERT INTO iso27001.internal_audit (scope_id, audit_id, planned_on, held_on, auditor, clauses, controls, status)
	VALUES ((SELECT scope_id FROM iso27001.soa_scope WHERE name = sc), id, planned, held, who, cl::text[], ctl::text[], st);
END $f$;
SELECT throws_ok($$SELECT pg_temp.audit(E'IA\t1', '2022-01-01', NULL, NULL, '{4}', '{}')$$, '23514',
				 'an internal audit needs an identifier of 1 to 100 characters without control characters', 'a control character in the identifier: 23514');
SELECT throws_ok($$SELECT pg_temp.audit('IA-X', NULL, NULL, NULL, '{4}', '{}')$$, '23502',
				 'internal audit IA-X needs the date it is planned for', 'no planned day: 23502');
SELECT throws_ok($$SELECT pg_temp.audit('IA-X', '-infinity', NULL, NULL, '{4}', '{}')$$, '22008',
				 'the dates of internal audit IA-X must be finite', 'an infinite planned day: 22008');
SELECT throws_ok($$SELECT pg_temp.audit('IA-X', '2022-01-01', NULL, NULL, '{4}', '{}', 'done')$$, '23514',
				 'unknown status of an internal audit: "done"', 'an unknown status: 23514');
SELECT throws_ok($$SELECT pg_temp.audit('IA-X', '2022-01-01', NULL, NULL, '{4}', '{}', 'held')$$, '23514',
				 'internal audit IA-X is held and has no held_on date', 'held without a day: 23514');
SELECT throws_ok($$SELECT pg_temp.audit('IA-X', '2022-01-01', '2022-01-02', 'Bob', '{4}', '{}', 'planned')$$, '23514',
				 'internal audit IA-X is planned and has a held_on date (2022-01-02)', 'planned with a held day: 23514');
SELECT throws_ok($$SELECT pg_temp.audit('IA-X', '2022-01-01', '2022-01-02', '  ', '{4}', '{}')$$, '23514',
				 'held internal audit IA-X names no auditor', 'held by nobody: 23514');
SELECT throws_ok($$SELECT pg_temp.audit('IA-X', CURRENT_DATE, CURRENT_DATE + 1, 'Bob', '{4}', '{}')$$, '23514',
				 format('internal audit IA-X cannot have been held on %s (after today)', CURRENT_DATE + 1), 'held tomorrow: 23514');
SELECT throws_ok($$SELECT pg_temp.audit('IA-X', '2022-01-01', NULL, NULL, '{}', '{}')$$, '23514',
				 'internal audit IA-X covers no clause and no control', 'covering nothing: 23514');
SELECT throws_ok($$SELECT pg_temp.audit('IA-X', '2022-01-01', NULL, NULL, '{4,NULL}', '{}')$$, '22004',
				 'the clauses and controls of internal audit IA-X must not contain NULL', 'a NULL clause: 22004');
SELECT throws_ok($$SELECT pg_temp.audit('IA-X', '2022-01-01', NULL, NULL, '{4,11}', '{}')$$, '23514',
				 'internal audit IA-X names "11", which is not a clause of ISO/IEC 27001:2022 from 4 to 10.2', 'clause 11: 23514');
SELECT throws_ok($$SELECT pg_temp.audit('IA-X', '2022-01-01', NULL, NULL, '{6.1.4}', '{}')$$, '23514',
				 'internal audit IA-X names "6.1.4", which is not a clause of ISO/IEC 27001:2022 from 4 to 10.2', 'clause 6.1.4: 23514');
SELECT throws_ok($$SELECT pg_temp.audit('IA-X', '2022-01-01', NULL, NULL, '{}', '{A.12.6.1}')$$, '23514',
				 'internal audit IA-X names control A.12.6.1, an ISO/IEC 27001:2013 control, and scope "acme" follows the 2022 edition',
				 'a 2013 control in a 2022 scope: 23514');
SELECT throws_ok($$SELECT pg_temp.audit('IA-X', '2022-01-01', NULL, NULL, '{}', '{A.5.1}', NULL, 'legacy')$$, '23514',
				 'internal audit IA-X names control A.5.1, an ISO/IEC 27001:2022 control, and scope "legacy" follows the 2013 edition',
				 'a 2022 control in a 2013 scope: 23514');
SELECT throws_ok($$SELECT pg_temp.audit('IA-X', '2022-01-01', NULL, NULL, '{}', '{A.5.38}')$$, '23514',
				 'internal audit IA-X names control "A.5.38", which is not in the SoA of scope "acme"', 'a control Annex A does not have: 23514');
SELECT throws_ok($$SELECT pg_temp.audit('IA-X', '2022-01-01', NULL, NULL, '{}', '{ORG-2}')$$, '23514',
				 'internal audit IA-X names control "ORG-2", which is not in the SoA of scope "acme"', 'a key the SoA does not have: 23514');
SELECT is((SELECT count(*) FROM iso27001.internal_audit), 0::bigint, 'none of the refused audits was stored');
-- canonical clauses and controls: trimmed, once each, the clauses in the
-- standard's order, Annex A controls written A.5.1, a custom key as it is
SELECT lives_ok($$SELECT pg_temp.audit('IA-C', '2024-06-01', NULL, NULL, '{10.2, 4, 9.3.3 ,4}', '{ a.5.1 ,5.1,ORG-1}', 'cancelled')$$,
				'a cancelled audit');
SELECT results_eq($$SELECT status, clauses, controls FROM iso27001.internal_audit WHERE audit_id = 'IA-C'$$,
				  $$VALUES ('cancelled', '{4,9.3.3,10.2}'::text[], '{A.5.1,ORG-1}'::text[])$$,
				  'stored canonical: clauses 4, 9.3.3, 10.2; controls A.5.1 and ORG-1');

-- the programme 2022-2024 of acme.  Held in it: IA-1 on its first day
-- (clauses 4, 5, 6: 4.1-4.4, 5.1-5.3, 6.1.1-6.1.3, 6.2, 6.3, and A.5.1),
-- IA-2 (7: 7.1-7.4, 7.5.1-7.5.3; 8.1-8.3; 9.1; 9.2: 9.2.1, 9.2.2; and
-- A.5.7, which its auditor owns), IA-3 on its last day (9.3.1, 9.3.2,
-- 10.1): 28 of the 30 requirements and 2 of the 3 applicable controls.
-- Outside it: IA-0 the day before (10.2, A.8.8), IA-9 the day after
-- (9.3.3); cancelled: IA-C (9.3.3, 10.2); planned and never held: IA-4
-- (10.2).  Not audited: 9.3.3, 10.2 (planned by IA-4, past its day) and A.8.8.
SELECT pg_temp.audit('IA-0', '2021-12-31', '2021-12-31', 'Bob', '{10.2}', '{A.8.8}');
SELECT pg_temp.audit('IA-1', '2022-01-01', '2022-01-01', 'Bob', '{4,5,6}', '{A.5.1}');
SELECT pg_temp.audit('IA-2', '2023-02-20', '2023-03-01', 'Carol', '{7,8,9.1,9.2}', '{A.5.7}');
SELECT pg_temp.audit('IA-3', '2024-12-31', '2024-12-31', 'Bob', '{9.3.1,9.3.2,10.1}', '{}');
SELECT pg_temp.audit('IA-9', '2025-01-01', '2025-01-01', 'Bob', '{9.3.3}', '{}');
SELECT pg_temp.audit('IA-4', '2024-09-01', NULL, 'Erin', '{10.2}', '{}');
-- held_on set alone makes a planned audit held, cleared again planned
UPDATE iso27001.internal_audit SET held_on = '2024-09-02' WHERE audit_id = 'IA-4';
SELECT is((SELECT status FROM iso27001.internal_audit WHERE audit_id = 'IA-4'), 'held',
		  'an update of held_on alone makes a planned audit held');
UPDATE iso27001.internal_audit SET held_on = NULL WHERE audit_id = 'IA-4';
SELECT is((SELECT status FROM iso27001.internal_audit WHERE audit_id = 'IA-4'), 'planned',
		  'and clearing it planned again');
SELECT results_eq(
	$$SELECT scope_name, kind, item, title, coverage, planned_audits, next_planned_on FROM iso27001.internal_audit_coverage('acme')$$,
	$$VALUES ('acme', 'clause', '9.3.3', 'Management review results', 'not covered', '{}'::text[], NULL::date),
			 ('acme', 'clause', '10.2', 'Nonconformity and corrective action', 'overdue', '{IA-4}', NULL),
			 ('acme', 'control', 'A.8.8', 'Management of technical vulnerabilities', 'not covered', '{}', NULL)$$,
	'coverage of the programme (the latest, none in force today): exactly 9.3.3, 10.2 (only overdue IA-4) and A.8.8');
SELECT results_eq(
	$$SELECT kind, coverage, count(*) FROM iso27001.internal_audit_items('acme') GROUP BY 1, 2 ORDER BY 1, 2$$,
	$$VALUES ('clause', 'audited', 28::bigint), ('clause', 'not covered', 1), ('clause', 'overdue', 1),
			 ('control', 'audited', 2), ('control', 'not covered', 1)$$,
	'items: 28 + 1 + 1 requirements, 2 + 1 applicable controls (ORG-1 and the undecided are no items)');
SELECT results_eq(
	$$SELECT item, audits, last_held_on FROM iso27001.internal_audit_items('acme') WHERE item IN ('4.1', '9.2.2', '10.1', 'A.5.7')$$,
	$$VALUES ('4.1', '{IA-1}'::text[], '2022-01-01'::date), ('9.2.2', '{IA-2}', '2023-03-01'),
			 ('10.1', '{IA-3}', '2024-12-31'), ('A.5.7', '{IA-2}', '2023-03-01')$$,
	'the audits covering an item and the day they were held: 9.2 covers 9.2.2');
-- another period: 2023 alone has IA-2 (13 requirements and A.5.7): 17
-- requirements and A.5.1, A.8.8 not covered
SELECT is((SELECT count(*) FROM iso27001.internal_audit_coverage('acme', '2023-01-01', '2023-12-31')), 19::bigint,
		  'the year 2023: 17 requirements and 2 controls not covered');
SELECT is((SELECT array_agg(item) FROM iso27001.internal_audit_coverage('acme', '2023-01-01', '2023-12-31') WHERE kind = 'control'),
		  ARRAY['A.5.1', 'A.8.8'], 'its controls not covered: A.5.1 and A.8.8');
-- a planned audit still to come: planned, with its day
SELECT pg_temp.audit('IA-5', CURRENT_DATE + 30, NULL, NULL, '{9.3.3}', '{A.8.8}');
SELECT results_eq(
	$$SELECT item, coverage, planned_audits, next_planned_on FROM iso27001.internal_audit_coverage('acme', '2022-01-01', CURRENT_DATE + 60)$$,
	$$VALUES ('10.2', 'overdue', '{IA-4}'::text[], NULL::date), ('A.8.8', 'planned', '{IA-5}', CURRENT_DATE + 30)$$,
	'a period to 60 days from now: IA-9 (held 2025-01-01) audited 9.3.3, IA-5 in 30 days plans A.8.8 (planned, not "not covered"), 10.2 overdue');
DELETE FROM iso27001.internal_audit WHERE audit_id = 'IA-5';

-- the rules as of the programme's last day
SELECT results_eq(
	$$SELECT scope_name, audit_id, rule, severity, item, message FROM iso27001.internal_audit_check('acme', '2024-12-31')$$,
	$$VALUES ('acme', NULL, 'NOT_COVERED', 'error', '9.3.3',
			  'Clause 9.3.3 (Management review results) is not covered by programme IAP-2022 (2022-01-01 to 2024-12-31): no audit held or planned covers it.'),
			 ('acme', NULL, 'NOT_COVERED', 'error', '10.2',
			  'Clause 10.2 (Nonconformity and corrective action) is not covered by programme IAP-2022 (2022-01-01 to 2024-12-31): only by audits past their day and not held (IA-4).'),
			 ('acme', NULL, 'NOT_COVERED', 'error', 'A.8.8',
			  'Control A.8.8 (Management of technical vulnerabilities) is not covered by programme IAP-2022 (2022-01-01 to 2024-12-31): no audit held or planned covers it.'),
			 ('acme', 'IA-4', 'AUDIT_OVERDUE', 'error', NULL,
			  'Internal audit IA-4 was planned for 2024-09-01 and is not held as of 2024-12-31.'),
			 ('acme', 'IA-2', 'AUDITOR_NOT_INDEPENDENT', 'warning', NULL,
			  'Auditor Carol of internal audit IA-2 owns a control it covers (A.5.7): auditors do not audit their own work (clause 9.2.2 b)).')$$,
	'internal_audit_check on 2024-12-31: the two requirements and the control, the overdue audit, the auditor of her own control');
-- on 2024-08-31 IA-4 is still to come (10.2 planned) but IA-3 is not yet
-- held (9.3.1, 9.3.2, 10.1 not covered either)
SELECT is((SELECT array_agg(item ORDER BY item) FROM iso27001.internal_audit_check('acme', '2024-08-31') WHERE rule = 'NOT_COVERED'),
		  ARRAY['10.1', '9.3.1', '9.3.2', '9.3.3', 'A.8.8'], 'on 2024-08-31: IA-4 still to come covers 10.2; IA-3 is not held yet');
SELECT is((SELECT count(*) FROM iso27001.internal_audit_check('acme', '2024-08-31') WHERE rule = 'AUDIT_OVERDUE'), 0::bigint,
		  'and IA-4 is not overdue');
-- a certified scope without a programme in force
DO $$ BEGIN PERFORM iso27001.certificate_record('acme', 'issued', '2022-01-01', 'C-A', 'Example CB'); END $$;
SELECT results_eq(
	$$SELECT rule, severity, message FROM iso27001.internal_audit_check('acme', '2025-06-01') WHERE rule <> 'AUDITOR_NOT_INDEPENDENT'$$,
	$$VALUES ('NO_PROGRAMME', 'warning', 'Scope acme is certified (C-A) and has no internal audit programme in force on 2025-06-01 (clause 9.2.2).'),
			 ('AUDIT_OVERDUE', 'error', 'Internal audit IA-4 was planned for 2024-09-01 and is not held as of 2025-06-01.')$$,
	'after the programme: NO_PROGRAMME for the certified scope, IA-4 still overdue');
SELECT is((SELECT count(*) FROM iso27001.internal_audit_check('acme', '2021-06-01') WHERE rule = 'NO_PROGRAMME'), 0::bigint,
		  'no NO_PROGRAMME before the certificate');
SELECT is((SELECT count(*) FROM iso27001.internal_audit_check(NULL, '2024-12-31') WHERE scope_name = 'acme'), 5::bigint,
		  'every scope (NULL): acme''s five findings among them');
-- the auditor no longer owns the control: no warning
UPDATE iso27001.soa_register SET owner = 'Frank' WHERE scope_id = :acme AND control_key = 'A.5.7';
SELECT is((SELECT count(*) FROM iso27001.internal_audit_check('acme', '2024-12-31') WHERE rule = 'AUDITOR_NOT_INDEPENDENT'), 0::bigint,
		  'an auditor who owns none of the controls: no warning');

-- bad arguments
SELECT throws_ok($$SELECT * FROM iso27001.internal_audit_coverage('nowhere')$$, '22023', 'ISMS scope "nowhere" does not exist',
				 'an unknown scope: 22023');
SELECT throws_ok($$SELECT * FROM iso27001.internal_audit_coverage('legacy')$$, '55000', 'scope "legacy" has no internal audit programme',
				 'no programme and no period: 55000');
SELECT is((SELECT count(*) FROM iso27001.internal_audit_coverage('legacy', '2022-01-01', '2024-12-31')), 30::bigint,
		  'with a period, a scope without a programme: the 30 requirements (no applicable control)');
SELECT throws_ok($$SELECT * FROM iso27001.internal_audit_coverage('acme', '2024-01-01', '2023-12-31')$$, '22023',
				 'period_end (2023-12-31) is before period_start (2024-01-01)', 'a period ending before it starts: 22023');
SELECT throws_ok($$SELECT * FROM iso27001.internal_audit_coverage('acme', '-infinity', NULL)$$, '22023',
				 'period_start and period_end must be finite dates', 'an infinite period: 22023');
SELECT throws_ok($$SELECT * FROM iso27001.internal_audit_check('acme', 'infinity')$$, '22023',
				 'as_of must be a finite date', 'an infinite as_of: 22023');

-- findings: nonconformities naming the audit
CREATE FUNCTION pg_temp.nc(id text, src text, audit text, raised date)
	RETURNS void LANGUAGE plpgsql AS $f$
BEGIN
	INSERT INTO iso27001.nonconformity (scope_id, nc_id, source, grade, clause, description, raised_on, internal_audit_id)
	VALUES ((SELECT scope_id FROM iso27001.soa_scope WHERE name = 'acme'), id, src, 'minor', '9.2.2', 'Finding ' || id, raised, audit);
END $f$;
SELECT throws_ok($$SELECT pg_temp.nc('NC-X', 'certification_audit', 'IA-2', '2023-03-05')$$, '23514',
				 'nonconformity NC-X names internal audit IA-2 and its source is certification_audit', 'a finding of another source: 23514');
SELECT throws_ok($$SELECT pg_temp.nc('NC-X', 'internal_audit', 'IA-4', '2024-09-05')$$, '23514',
				 'nonconformity NC-X names internal audit IA-4, which is not held', 'a finding of an audit not held: 23514');
SELECT throws_ok($$SELECT pg_temp.nc('NC-X', 'internal_audit', 'IA-77', '2024-09-05')$$, '23503',
				 'nonconformity NC-X names internal audit IA-77, which its scope does not have', 'an audit the scope does not have: 23503');
SELECT lives_ok($$SELECT pg_temp.nc('NC-2', 'internal_audit', 'IA-2', '2023-03-05')$$, 'a finding of IA-2');
SELECT lives_ok($$SELECT pg_temp.nc('NC-1', 'internal_audit', 'IA-2', '2023-03-02')$$, 'and another');
SELECT lives_ok($$SELECT pg_temp.nc('NC-3', 'internal_audit', NULL, '2023-03-02')$$, 'an internal audit''s finding without the link, as before');
SELECT is((SELECT audit_on FROM iso27001.nonconformity WHERE nc_id = 'NC-2'), '2023-03-01'::date,
		  'audit_on defaults to the day the audit was held');
SELECT results_eq($$SELECT nc_id, grade, clause, raised_on FROM iso27001.internal_audit_findings('acme', 'IA-2')$$,
				  $$VALUES ('NC-1', 'minor', '9.2.2', '2023-03-02'::date), ('NC-2', 'minor', '9.2.2', '2023-03-05')$$,
				  'internal_audit_findings: IA-2''s two, in the order raised');
SELECT is_empty($$SELECT * FROM iso27001.internal_audit_findings('acme', 'IA-1')$$, 'IA-1 found nothing');
SELECT throws_ok($$SELECT * FROM iso27001.internal_audit_findings('acme', 'IA-77')$$, '22023',
				 'scope "acme" has no internal audit "IA-77"', 'findings of an unknown audit: 22023');
UPDATE iso27001.internal_audit SET audit_id = 'IA-2023-1' WHERE scope_id = :acme AND audit_id = 'IA-2';
SELECT is((SELECT array_agg(internal_audit_id ORDER BY nc_id) FROM iso27001.nonconformity WHERE nc_id IN ('NC-1', 'NC-2')),
		  ARRAY['IA-2023-1', 'IA-2023-1'], 'renaming the audit renames the link');
SELECT throws_ok(format($$DELETE FROM iso27001.internal_audit WHERE scope_id = %s AND audit_id = 'IA-2023-1'$$, :acme), '23503', NULL,
				 'an audit with findings cannot be deleted');

-- an auditor (grant_auditor) runs the read functions
CREATE ROLE iso27001_test_internal_auditor NOLOGIN;
DO $$ BEGIN PERFORM iso27001.grant_auditor('iso27001_test_internal_auditor'); END $$;
SET ROLE iso27001_test_internal_auditor;
SELECT is((SELECT count(*) FROM iso27001.internal_audit_check('acme', '2024-12-31')), 4::bigint,
		  'an auditor runs internal_audit_check (the four findings left)');
SELECT is((SELECT count(*) FROM iso27001.internal_audit_findings('acme', 'IA-2023-1')), 2::bigint,
		  'and internal_audit_findings');
SELECT throws_ok(format($$INSERT INTO iso27001.internal_audit (scope_id, audit_id, planned_on, clauses) VALUES (%s, 'IA-Z', '2026-01-01', '{4}')$$, :acme),
				 '42501', NULL, 'but writes no audit');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
