-- Evidence records: the row rules with their messages, the register's
-- links recorded as evidence, the validator's EVIDENCE_STALE on chosen
-- dates (validity computed by hand), a requirement of current evidence
-- making it an error and refusing the approval on its day, and the BI
-- view of freshness.
\ir ../include/preamble.sql
SET LOCAL TimeZone = 'UTC';
SET LOCAL search_path = public, iso27001;

SELECT plan(43);

-- a scope whose every control is implemented and justified, but A.5.9
-- (planned), and an organization-defined control
DO $$
DECLARE
	id bigint := create_scope('acme');
BEGIN
	UPDATE soa_register SET entry = 'applicable, implemented (risk treatment)', justification = 'RA-1.', owner = 'CISO'
	 WHERE scope_id = id;
	PERFORM soa_set('acme', 'A.5.9', 'applicable, planned (risk treatment)', 'RA-1.');
	PERFORM soa_set_custom('acme', 'ORG-1', 'Quarterly access review', 'applicable, implemented (risk treatment)', 'RA-2.');
END $$;
SELECT soa_scope_id('acme') AS acme \gset

-- 1. Row rules: each refusal with its own message and SQLSTATE
SELECT throws_ok(format($$INSERT INTO evidence (scope_id, control_keys, uri, collected_at, valid_until)
						  VALUES (%s, '{}', 'https://e/1', '2026-01-01', '2026-12-31')$$, :acme),
				 '23514', 'evidence names no control', 'a record names at least one control');
SELECT throws_ok(format($$INSERT INTO evidence (scope_id, control_keys, uri, collected_at, valid_until)
						  VALUES (%s, '{A.5.1,NOPE}', 'https://e/1', '2026-01-01', '2026-12-31')$$, :acme),
				 '23514', 'control "NOPE" is neither an Annex A control nor an organization-defined control of the scope',
				 'an unknown control is refused');
SELECT throws_ok(format($$INSERT INTO evidence (scope_id, control_keys, uri, collected_at, valid_until)
						  VALUES (%s, '{A.5.1,NULL}', 'https://e/1', '2026-01-01', '2026-12-31')$$, :acme),
				 '23514', 'a control of evidence must not be empty or NULL', 'a NULL control is refused');
SELECT throws_ok(format($$INSERT INTO evidence (scope_id, control_keys, uri, collected_at, valid_until)
						  VALUES (%s, '{A.5.1}', '  ', '2026-01-01', '2026-12-31')$$, :acme),
				 '23514', 'evidence needs a URI (a link or document reference)', 'a blank URI is refused');
SELECT throws_ok(format($$INSERT INTO evidence (scope_id, control_keys, uri, collected_at, valid_until)
						  VALUES (%s, '{A.5.1}', 'https://e/1', NULL, '2026-12-31')$$, :acme),
				 '23502', 'evidence https://e/1 needs the time it was collected', 'collected_at is required');
SELECT throws_ok(format($$INSERT INTO evidence (scope_id, control_keys, uri, collected_at, valid_until)
						  VALUES (%s, '{A.5.1}', 'https://e/1', 'infinity', '2026-12-31')$$, :acme),
				 '22008', 'collected_at of evidence https://e/1 must be a finite time', 'an infinite collected_at is refused');
SELECT throws_ok(format($$INSERT INTO evidence (scope_id, control_keys, uri, collected_at, valid_until)
						  VALUES (%s, '{A.5.1}', 'https://e/1', '2026-01-01', 'infinity')$$, :acme),
				 '22008', 'valid_until of evidence https://e/1 must be a finite date', 'an infinite valid_until is refused');
SELECT throws_ok(format($$INSERT INTO evidence (scope_id, control_keys, uri, collected_at)
						  VALUES (%s, '{A.5.1}', 'https://e/1', '2026-01-01')$$, :acme),
				 '23514', 'evidence https://e/1 needs valid_until or a recurrence', 'a record says until when it is valid');
SELECT throws_ok(format($$INSERT INTO evidence (scope_id, control_keys, uri, collected_at, valid_until)
						  VALUES (%s, '{A.5.1}', 'https://e/1', '2026-01-01 10:00', '2025-12-31')$$, :acme),
				 '23514', 'evidence https://e/1 is valid until 2025-12-31 but was collected on 2026-01-01',
				 'valid_until before collected_at is refused');
SELECT throws_ok(format($$INSERT INTO evidence (scope_id, control_keys, uri, collected_at, recurrence)
						  VALUES (%s, '{A.5.1}', 'https://e/1', '2026-01-01', '12 hours')$$, :acme),
				 '23514', 'the recurrence of evidence https://e/1 must be at least a day, not 12:00:00',
				 'a recurrence under a day is refused');
SELECT throws_ok(format($$INSERT INTO evidence (scope_id, control_keys, uri, collected_at, recurrence, valid_until)
						  VALUES (%s, '{A.5.1}', 'https://e/1', '2026-01-01', '90 days', '2026-03-01')$$, :acme),
				 '23514', 'evidence https://e/1 gives valid_until 2026-03-01 and a recurrence of 90 days (which gives 2026-04-01)',
				 'a valid_until that disagrees with the recurrence is refused');
SELECT throws_ok(format($$INSERT INTO evidence (scope_id, control_keys, uri, collected_at, valid_until, sha256)
						  VALUES (%s, '{A.5.1}', 'https://e/1', '2026-01-01', '2026-12-31', '\x0011')$$, :acme),
				 '23514', 'the SHA-256 of evidence https://e/1 must be 32 bytes or 64 hexadecimal characters (it has 2 bytes)',
				 'a digest of 2 bytes is refused');
SELECT throws_ok(format($$INSERT INTO evidence (scope_id, control_keys, uri, collected_at, valid_until, sha256)
						  VALUES (%s, '{A.5.1}', 'https://e/1', '2026-01-01', '2026-12-31', %L)$$, :acme, repeat('g', 64)),
				 '23514', 'the SHA-256 of evidence https://e/1 must be 32 bytes or 64 hexadecimal characters (it has 64 bytes)',
				 '64 characters that are not hexadecimal are refused');
SELECT throws_ok(format($$INSERT INTO evidence_requirement (scope_id, control_key) VALUES (%s, 'ORG-9')$$, :acme),
				 '23514', 'control "ORG-9" is neither an Annex A control nor an organization-defined control of the scope',
				 'a requirement names a known control');
SELECT is((SELECT count(*) FROM evidence), 0::bigint, 'the refused rows left nothing');

-- 2. What a record stores: canonical keys once; a digest as 64
-- hexadecimal characters or 32 bytes (SHA-256 of "abc", FIPS 180-2
-- test vector); valid_until from a recurrence (2026-01-01 + 90 days:
-- 30 days to Jan 31, 28 to Feb 28, 31 to Mar 31, 1 more: Apr 1; 2024-02-29
-- + 1 year: Feb 28, 2025)
INSERT INTO evidence (scope_id, control_keys, uri, title, collected_at, recurrence, owner, sha256)
VALUES (:acme, '{a.5.15, " A.5.15 ", ORG-1}', 'https://e/access-review-q1', 'Access review Q1',
		'2026-01-01 10:00', '90 days', 'IAM lead', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'),
	   (:acme, '{A.5.16}', 'https://e/leap', NULL, '2024-02-29 23:00', '1 year', NULL,
		'\xba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
SELECT results_eq(
	$$SELECT control_keys, valid_until, sha256 = sha256('abc'::bytea) FROM evidence ORDER BY evidence_id$$,
	$$VALUES ('{A.5.15,ORG-1}'::text[], '2026-04-01'::date, true), ('{A.5.16}', '2025-02-28', true)$$,
	'keys canonical and once, valid_until from the recurrence, the digest in both forms (SHA-256 of abc)');
-- collected again a month later: valid_until follows the recurrence
-- (2026-02-01 + 90 days: 27 to Feb 28, 31 to Mar 31, 30 to Apr 30, 2
-- more: May 2); the record's author and time stay
UPDATE evidence SET collected_at = '2026-02-01 09:00' WHERE uri = 'https://e/access-review-q1';
SELECT results_eq(
	$$SELECT valid_until, recorded_by = current_user FROM evidence WHERE uri = 'https://e/access-review-q1'$$,
	$$VALUES ('2026-05-02'::date, true)$$,
	'an update of collected_at moves valid_until with the recurrence');
SELECT throws_ok($$UPDATE evidence SET valid_until = '2026-06-30' WHERE uri = 'https://e/access-review-q1'$$,
				 '23514', 'evidence https://e/access-review-q1 gives valid_until 2026-06-30 and a recurrence of 90 days (which gives 2026-05-02)',
				 'an explicit valid_until against the recurrence is refused on update too');
DELETE FROM evidence;

-- 3. The register's links are recorded: each link new to a control's
-- list, collected at the change, valid a year, the control's owner
DO $$
BEGIN
	PERFORM soa_add_evidence('acme', 'a.5.4', 'https://e/policy.pdf');
	PERFORM soa_add_evidence('acme', 'A.5.4', 'https://e/policy.pdf');
	PERFORM soa_set('acme', 'A.5.4', 'applicable, implemented (risk treatment)', 'RA-1.',
					evidence => ARRAY['https://e/policy.pdf', 'https://e/minutes.pdf', '  ']);
	PERFORM soa_set('acme', 'A.5.4', 'applicable, implemented (risk treatment)', 'RA-1.');
END $$;
SELECT results_eq(
	$$SELECT e.control_keys, e.uri, e.collected_at <= r.changed_at, e.recurrence, e.valid_until = (e.collected_at + interval '1 year')::date, e.owner
		FROM evidence e JOIN soa_register r ON r.scope_id = e.scope_id AND r.control_key = 'A.5.4'
	   ORDER BY e.evidence_id$$,
	$$VALUES ('{A.5.4}'::text[], 'https://e/policy.pdf', true, '1 year'::interval, true, 'CISO'),
			 ('{A.5.4}', 'https://e/minutes.pdf', true, '1 year', true, 'CISO')$$,
	'soa_add_evidence and soa_set(evidence =>) record each new link once (not a blank one), valid a year');
SELECT is((SELECT collected_at FROM evidence WHERE uri = 'https://e/policy.pdf'),
		  (SELECT min(changed_at) FROM soa_history WHERE scope_id = :acme AND control_key = 'A.5.4'
			   AND 'https://e/policy.pdf' = ANY (coalesce(evidence, evidence_added))),
		  'collected when the history shows the link added');
DELETE FROM evidence;

-- 4. EVIDENCE_STALE on chosen dates.  A.5.1: collected 2025-01-10 valid
-- to 2025-06-30, and 2025-06-01 every 90 days (to Aug 30: 29 days to Jun
-- 30, 31 to Jul 31, 30 more); A.5.2 and ORG-1: 2025-03-01 to 2025-03-31;
-- A.5.9 (planned): expired, never reported
INSERT INTO evidence (scope_id, control_keys, uri, collected_at, valid_until, recurrence) VALUES
	(:acme, '{A.5.1}', 'https://e/1', '2025-01-10 08:00', '2025-06-30', NULL),
	(:acme, '{A.5.1}', 'https://e/2', '2025-06-01 08:00', NULL, '90 days'),
	(:acme, '{A.5.2,ORG-1}', 'https://e/3', '2025-03-01 08:00', '2025-03-31', NULL),
	(:acme, '{A.5.9}', 'https://e/4', '2025-01-01 08:00', '2025-01-31', NULL);
SELECT is((SELECT valid_until FROM evidence WHERE uri = 'https://e/2'), '2025-08-30'::date,
		  '2025-06-01 every 90 days: valid until 2025-08-30 (by hand)');
CREATE FUNCTION pg_temp.stale(d date) RETURNS text[] LANGUAGE sql AS $$
	SELECT coalesce(array_agg(control_key || ' ' || severity ORDER BY control_key), '{}')
	  FROM iso27001.soa_validate('acme', d) WHERE rule = 'EVIDENCE_STALE' $$;
SELECT is(pg_temp.stale('2025-01-09'), '{}'::text[], '2025-01-09: nothing collected yet, nothing stale');
SELECT ok((SELECT 'A.5.1' = ANY (array_agg(control_key)) FROM soa_validate('acme', '2025-01-09') WHERE rule = 'NO_EVIDENCE'),
		  '2025-01-09: A.5.1 has no evidence (NO_EVIDENCE)');
SELECT ok((SELECT NOT 'A.5.1' = ANY (array_agg(control_key)) FROM soa_validate('acme', '2025-01-10') WHERE rule = 'NO_EVIDENCE'),
		  '2025-01-10: its record counts as evidence from the day it was collected');
SELECT is(pg_temp.stale('2025-03-31'), '{}'::text[], '2025-03-31: every record valid (last day of A.5.2''s)');
SELECT is(pg_temp.stale('2025-04-01'), ARRAY['A.5.2 warning', 'ORG-1 warning'],
		  '2025-04-01: A.5.2 and ORG-1 stale (one record of two controls)');
SELECT is(pg_temp.stale('2025-08-30'), ARRAY['A.5.2 warning', 'ORG-1 warning'],
		  '2025-08-30: A.5.1 still valid on the last day of its second record');
SELECT is(pg_temp.stale('2025-08-31'), ARRAY['A.5.1 warning', 'A.5.2 warning', 'ORG-1 warning'],
		  '2025-08-31: A.5.1 stale too; A.5.9, planned, never');
SELECT is((SELECT message FROM soa_validate('acme', '2025-08-31') WHERE rule = 'EVIDENCE_STALE' AND control_key = 'A.5.1'),
		  'A.5.1 is implemented but none of its evidence is valid on 2025-08-31: the latest expired on 2025-08-30.',
		  'the warning says when the latest record expired');
SELECT set_eq($$SELECT * FROM soa_validate('acme')$$, $$SELECT * FROM soa_validate('acme', CURRENT_DATE)$$,
			  'soa_validate(scope) validates as of today');
SELECT is((SELECT count(*) FROM soa_validate('acme', '2025-08-31') WHERE rule = 'EVIDENCE_STALE'),
		  (SELECT count(*) FROM soa_validate(NULL, '2025-08-31') WHERE scope = 'acme' AND rule = 'EVIDENCE_STALE'),
		  'every scope at once finds the same');

-- 5. Required controls: an error, with or without records
INSERT INTO evidence_requirement (scope_id, control_key, note) VALUES
	(:acme, 'a.5.1', 'CB request'), (:acme, 'A.5.3', NULL), (:acme, 'A.5.9', NULL);
SELECT is((SELECT array_agg(control_key ORDER BY control_key) FROM evidence_requirement), ARRAY['A.5.1', 'A.5.3', 'A.5.9'],
		  'requirements keyed as the register keys controls');
SELECT is(pg_temp.stale('2025-03-15'), ARRAY['A.5.3 error'],
		  '2025-03-15: the required A.5.3 has no record (error); the required A.5.1 is valid; A.5.9 is planned');
SELECT is(pg_temp.stale('2025-08-31'), ARRAY['A.5.1 error', 'A.5.2 warning', 'A.5.3 error', 'ORG-1 warning'],
		  '2025-08-31: the required A.5.1 stale is an error');
SELECT results_eq(
	$$SELECT severity, message FROM soa_validate('acme', '2025-08-31') WHERE rule = 'EVIDENCE_STALE' AND control_key IN ('A.5.1', 'A.5.3') ORDER BY control_key$$,
	$$VALUES ('error', 'A.5.1 is implemented and requires current evidence, but none is valid on 2025-08-31: the latest expired on 2025-08-30.'),
			 ('error', 'A.5.3 is implemented and requires current evidence, but none was collected by 2025-08-31.')$$,
	'the errors say what is missing');
SELECT is((SELECT rule FROM soa_validate('acme', '2025-08-31') WHERE severity = 'error' LIMIT 1), 'EVIDENCE_STALE',
		  'errors come first');

-- 6. The approval judges evidence on its day (today): refused with the
-- required controls' records expired yesterday, approved when they last
-- until today
INSERT INTO evidence (scope_id, control_keys, uri, collected_at, valid_until)
VALUES (:acme, '{A.5.1,A.5.3}', 'https://e/yesterday', CURRENT_DATE - 30, CURRENT_DATE - 1);
SELECT throws_ok($$SELECT soa_approve('acme', 'Jane Doe')$$, '23514',
				 'the SoA of scope "acme" has 2 error(s) and cannot be approved',
				 'the approval is refused while required evidence is stale on its day');
SELECT is((SELECT count(*) FROM soa_version WHERE scope_id = :acme), 0::bigint, 'no version');
UPDATE evidence SET valid_until = CURRENT_DATE WHERE uri = 'https://e/yesterday';
SELECT is(soa_approve('acme', 'Jane Doe'), 1, 'approved once the records last until the day of the approval');

-- 7. The BI view, as of today, in a scope of its own: per control and
-- owner, valid beyond 30 days, due within them, expired
DO $$ BEGIN PERFORM create_scope('bi'); END $$;
SELECT soa_scope_id('bi') AS bi \gset
INSERT INTO evidence (scope_id, control_keys, uri, collected_at, valid_until, owner) VALUES
	(:bi, '{A.5.1}', 'https://e/b1', CURRENT_DATE - 100, CURRENT_DATE + 45, 'Ann'),
	(:bi, '{A.5.1}', 'https://e/b2', CURRENT_DATE - 100, CURRENT_DATE + 30, 'Ann'),
	(:bi, '{A.5.1}', 'https://e/b3', CURRENT_DATE - 100, CURRENT_DATE - 1, 'Ann'),
	(:bi, '{A.5.1}', 'https://e/b4', CURRENT_DATE - 100, CURRENT_DATE, 'Bob'),
	(:bi, '{A.5.2}', 'https://e/b5', CURRENT_DATE - 100, CURRENT_DATE - 10, 'Ann'),
	(:bi, '{A.5.3}', 'https://e/b6', CURRENT_DATE + 1, CURRENT_DATE + 400, 'Ann');
INSERT INTO evidence_requirement (scope_id, control_key) VALUES (:bi, 'A.5.4'), (:bi, 'A.5.2');
SELECT results_eq(
	$$SELECT control_id, sort_key, owner, records, valid_records, due_records, expired_records,
			 latest_valid_until - CURRENT_DATE, days_left, status, required
		FROM iso27001_bi.evidence_freshness WHERE scope = 'bi' ORDER BY sort_key, owner$$,
	$$VALUES ('A.5.1', 50100, 'Ann', 3::bigint, 1::bigint, 1::bigint, 1::bigint, 45, 45, 'current', false),
			 ('A.5.1', 50100, 'Bob', 1, 0, 1, 0, 0, 0, 'due', false),
			 ('A.5.2', 50200, 'Ann', 1, 0, 0, 1, -10, -10, 'overdue', true),
			 ('A.5.4', 50400, NULL, 0, 0, 0, 0, NULL, NULL, 'missing', true)$$,
	'evidence_freshness: counts by hand, days left, status; a record collected tomorrow not counted; a required control without records missing');

-- 8. Bad input
SELECT throws_ok($$SELECT * FROM soa_validate('acme', NULL)$$, '22004', 'as_of must not be null', 'as_of NULL is refused');
SELECT throws_ok($$SELECT * FROM soa_validate('acme', 'infinity')$$, '22008', 'as_of must be a finite date, not infinity',
				 'an infinite as_of is refused');
SELECT throws_ok($$SELECT * FROM soa_validate('nope', '2025-01-01')$$, '22023', 'ISMS scope "nope" does not exist',
				 'an unknown scope is refused');

SELECT * FROM finish();
ROLLBACK;
