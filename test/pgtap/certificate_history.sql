-- Certificate history: certificate_record() checks each event against the
-- certificate's state and keeps the certificate row in step; the BI views
-- show the history and leave a withdrawn certificate out of the calendar.
\ir ../include/preamble.sql

SELECT plan(30);

DO $$ BEGIN PERFORM iso27001.create_scope('acme'); PERFORM iso27001.create_scope('beta'); END $$;
CREATE TEMP VIEW cert AS
SELECT c.certification_decision, c.certificate_number, c.certification_body, c.edition, c.withdrawn_on
  FROM iso27001.certificate c JOIN iso27001.soa_scope s USING (scope_id) WHERE s.name = 'acme';

-- issue
SELECT is(iso27001.certificate_record('acme', 'issued', '2023-03-01', ' C-1 ', 'CB One'), 1, 'issued: event 1');
SELECT results_eq($$SELECT * FROM cert$$,
				  $$VALUES ('2023-03-01'::date, 'C-1', 'CB One', 2022, NULL::date)$$,
				  'the certificate: decided 2023-03-01, number trimmed, 2022 by default, in force');
SELECT throws_ok($$SELECT iso27001.certificate_record('acme', 'issued', '2023-04-01', 'C-9', 'CB One')$$,
				 '55000', 'scope "acme" already holds certificate C-1 in force', 'a second issue: 55000');
SELECT throws_ok($$SELECT iso27001.certificate_record('beta', 'issued', '2023-04-01', 'C-9', NULL)$$,
				 '22023', 'an issued certificate needs its number and certification body', 'an issue without a body: 22023');
SELECT throws_ok($$SELECT iso27001.certificate_record('beta', 'issued', '2023-04-01', 'C-9', 'CB', edition => 2017)$$,
				 '22023', 'edition must be 2013 or 2022', 'edition 2017: 22023');
SELECT throws_ok($$SELECT iso27001.certificate_record('beta', 'reissued', '2023-04-01', 'C-9')$$,
				 '55000', 'scope "beta" holds no certificate in force', 'a reissue with no certificate: 55000');

-- reissue: a new number, the same body
SELECT throws_ok($$SELECT iso27001.certificate_record('acme', 'reissued', '2024-01-10', 'C-1a', 'CB Two')$$,
				 '22023', 'a reissue keeps the certification body (CB One)', 'a reissue to another body: 22023');
SELECT is(iso27001.certificate_record('acme', 'reissued', '2024-01-10', 'C-1a'), 2, 'reissued: event 2');
SELECT is((SELECT certificate_number FROM cert), 'C-1a', 'the new number');
SELECT throws_ok($$SELECT iso27001.certificate_record('acme', 'reissued', '2024-01-10', edition => 2013)$$,
				 '22023', 'only an issue sets the certificate''s edition', 'an edition outside an issue: 22023');

-- scope change: says what
SELECT throws_ok($$SELECT iso27001.certificate_record('acme', 'scope_changed', '2024-06-01', note => '  ')$$,
				 '22023', 'a scope change needs a note saying what changed', 'a scope change without a note: 22023');
SELECT is(iso27001.certificate_record('acme', 'scope_changed', '2024-06-01', note => 'Lyon site added'), 3,
		  'scope_changed: event 3');

-- transfer: another body, the cycle goes on
SELECT throws_ok($$SELECT iso27001.certificate_record('acme', 'transferred', '2025-02-01', certification_body => 'CB One')$$,
				 '22023', 'a transfer needs the new certification body', 'a transfer to the same body: 22023');
SELECT throws_ok($$SELECT iso27001.certificate_record('acme', 'transferred', '2024-05-31', certification_body => 'CB Two')$$,
				 '22023', 'certificate events are recorded in date order: the last one of scope "acme" (scope_changed) was on 2024-06-01',
				 'an event dated before the last one: 22023');
SELECT is(iso27001.certificate_record('acme', 'transferred', '2025-02-01', 'T-77', 'CB Two'), 4, 'transferred: event 4');
SELECT results_eq($$SELECT certification_decision, certificate_number, certification_body FROM cert$$,
				  $$VALUES ('2023-03-01'::date, 'T-77', 'CB Two')$$,
				  'the new body and number; the cycle''s anchor unchanged');

-- withdrawal
SELECT throws_ok($$SELECT iso27001.certificate_record('acme', 'withdrawn', '2025-06-30', certification_body => 'X')$$,
				 '22023', 'a withdrawal changes no number or body', 'a withdrawal with a body: 22023');
SELECT is(iso27001.certificate_record('acme', 'withdrawn', '2025-06-30'), 5, 'withdrawn: event 5');
SELECT is((SELECT withdrawn_on FROM cert), '2025-06-30'::date, 'withdrawn on 2025-06-30');
SELECT is((SELECT count(*) FROM iso27001_bi.certification_calendar WHERE scope = 'acme'), 0::bigint,
		  'a withdrawn certificate has no calendar');
SELECT is((SELECT certificate_status FROM iso27001_bi.scope WHERE scope = 'acme'), 'withdrawn', 'the scope view says withdrawn');
SELECT throws_ok($$SELECT iso27001.certificate_record('acme', 'scope_changed', '2025-07-01', note => 'x')$$,
				 '55000', 'scope "acme" holds no certificate in force', 'no change to a withdrawn certificate: 55000');

-- a new certificate, a new cycle
SELECT is(iso27001.certificate_record('acme', 'issued', '2025-09-01', 'C-2', 'CB Two'), 6, 'issued again: event 6');
SELECT results_eq($$SELECT * FROM cert$$,
				  $$VALUES ('2025-09-01'::date, 'C-2', 'CB Two', 2022, NULL::date)$$,
				  'the new certificate in force, anchored on its decision');
SELECT results_eq(
	$$SELECT event, due_date, certification_decision FROM iso27001_bi.certification_calendar
	   WHERE scope = 'acme' ORDER BY due_date, event$$,
	$$SELECT event, due_date, '2025-09-01'::date
		FROM iso27001.certification_next_due('2025-09-01', '{}', CURRENT_DATE) ORDER BY due_date, event$$,
	'the calendar follows the new cycle, anchored on 2025-09-01 (as certification_next_due says for it)');

-- the history
SELECT results_eq(
	$$SELECT seq, event, on_date, certificate_number, certification_body, note
		FROM iso27001_bi.certificate_history WHERE scope = 'acme' ORDER BY seq$$,
	$$VALUES (1, 'issued', '2023-03-01'::date, 'C-1', 'CB One', NULL),
			 (2, 'reissued', '2024-01-10', 'C-1a', 'CB One', NULL),
			 (3, 'scope_changed', '2024-06-01', 'C-1a', 'CB One', 'Lyon site added'),
			 (4, 'transferred', '2025-02-01', 'T-77', 'CB Two', NULL),
			 (5, 'withdrawn', '2025-06-30', 'T-77', 'CB Two', NULL),
			 (6, 'issued', '2025-09-01', 'C-2', 'CB Two', NULL)$$,
	'certificate_history: six events in order, the number and body after each (failed calls left nothing)');

-- bad arguments
SELECT throws_ok($$SELECT iso27001.certificate_record('acme', 'suspended', '2026-01-01')$$,
				 '22023', 'unknown certificate event "suspended"', 'an unknown event: 22023');
SELECT throws_ok($$SELECT iso27001.certificate_record('acme', NULL, '2026-01-01')$$,
				 '22004', 'scope, kind and on_date must not be null', 'a NULL kind: 22004');
SELECT throws_ok($$SELECT iso27001.certificate_record('acme', 'reissued', 'infinity')$$,
				 '22008', 'the date of a certificate event must be finite', 'an infinite date: 22008');
SELECT throws_ok($$SELECT iso27001.certificate_record('nowhere', 'issued', '2026-01-01', 'N', 'B')$$,
				 '22023', NULL, 'an unknown scope: 22023');

SELECT * FROM finish();
ROLLBACK;
