-- What a user sees when a call or a row is refused (issue 16, item 4): the
-- error is raised from the function the user called, its context holds no
-- internal SQL statement of the extension, and a row a table refuses gets a
-- message that says what is wrong with it, never PostgreSQL's generic
-- "violates check constraint".
\ir ../include/preamble.sql

DO $$
BEGIN
	PERFORM iso27001.create_scope('acme');
	PERFORM iso27001.create_scope('legacy', 2013);
	PERFORM iso27001.soa_set_custom('acme', 'ORG-1', 'Phishing simulation', 'excluded', 'Not yet.');
	PERFORM iso27001.certificate_record('acme', 'issued', '2025-03-14', 'C-1', 'Example CB');
END $$;

-- The error a statement raises: SQLSTATE, message, and its context less
-- the two lines this function's own EXECUTE adds
CREATE FUNCTION pg_temp.refusal(statement text,
								OUT state text, OUT msg text, OUT ctx text)
	LANGUAGE plpgsql AS $$
DECLARE
	own integer;
BEGIN
	EXECUTE statement;
	state := 'none';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, ctx = PG_EXCEPTION_CONTEXT;
	own := strpos(ctx, 'SQL statement "' || statement || '"');
	IF own > 0 THEN
		ctx := rtrim(left(ctx, own - 1), E'\n');
	END IF;
END
$$;

-- a call refused with its own SQLSTATE and message, and no internal SQL
CREATE FUNCTION pg_temp.refused_cleanly(statement text, state text, message_like text, description text)
	RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
	r record;
BEGIN
	SELECT * INTO r FROM pg_temp.refusal(statement);
	RETURN NEXT is(r.state || ': ' || CASE WHEN r.msg LIKE message_like THEN 'the message' ELSE r.msg END,
				   state || ': the message', description || ' (' || state || ')');
	RETURN NEXT ok(coalesce(r.ctx, '') !~ 'SQL statement',
				   description || ': no internal SQL in the context'
				   || CASE WHEN r.ctx ~ 'SQL statement' THEN E'\n' || r.ctx ELSE '' END);
END
$$;

SELECT plan(64);

-- the API: the register's rules raised from the function called
SELECT pg_temp.refused_cleanly($$SELECT iso27001.soa_set('acme', 'A.5.1', 'excluded', ' ')$$,
	'23514', 'the SoA entry of A.5.1 needs a justification', 'soa_set without a justification');
SELECT pg_temp.refused_cleanly($$SELECT iso27001.soa_set('acme', 'A.7.2.2', 'excluded', 'x')$$,
	'23514', 'control A.7.2.2 is an ISO/IEC 27001:2013 control', 'soa_set of a control of the other edition');
SELECT pg_temp.refused_cleanly($$SELECT iso27001.soa_set('acme', 'A.5.1', 'excluded', 'x', evidence => '{https://e.example/1,NULL}')$$,
	'22004', 'the evidence links of A.5.1 must not be null', 'soa_set with a NULL evidence link');
SELECT pg_temp.refused_cleanly($$SELECT iso27001.soa_set_custom('acme', 'ORG-2', ' ', 'excluded', 'x')$$,
	'23514', 'organization-defined control ORG-2 needs a title', 'soa_set_custom without a title');
SELECT pg_temp.refused_cleanly($$SELECT iso27001.soa_set_custom('acme', 'ORG-2', 'Title', 'excluded', '')$$,
	'23514', 'the SoA entry of ORG-2 needs a justification', 'soa_set_custom without a justification');
SELECT pg_temp.refused_cleanly($$SELECT iso27001.soa_remove_custom('acme', 'A.5.1')$$,
	'22023', '"A.5.1" is an Annex A control, not an organization-defined one', 'soa_remove_custom of an Annex A control');
SELECT pg_temp.refused_cleanly($$SELECT iso27001.soa_add_evidence('acme', 'A.5.1', ' ')$$,
	'22023', 'an evidence link must not be empty', 'soa_add_evidence of a blank link');
SELECT pg_temp.refused_cleanly($$SELECT iso27001.soa_approve('acme')$$,
	'23514', 'the SoA of scope "acme" has % error(s) and cannot be approved', 'soa_approve of an SoA with errors');
SELECT pg_temp.refused_cleanly($$SELECT * FROM iso27001.soa_migrate_2013_to_2022('acme', 'new')$$,
	'22023', 'scope "acme" does not follow ISO/IEC 27001:2013', 'soa_migrate_2013_to_2022 from a 2022 scope');
SELECT pg_temp.refused_cleanly($$SELECT iso27001.oscal_ssp('nope')$$,
	'22023', 'ISMS scope "nope" does not exist', 'oscal_ssp of an unknown scope');
SELECT pg_temp.refused_cleanly($$SELECT iso27001.oscal_profile('nope')$$,
	'22023', 'ISMS scope "nope" does not exist', 'oscal_profile of an unknown scope');
SELECT pg_temp.refused_cleanly($$SELECT iso27001.grant_reader('pg_monitor')$$,
	'22023', 'role "pg_monitor" is a predefined role', 'grant_reader of a predefined role');
SELECT pg_temp.refused_cleanly($$SELECT iso27001.grant_auditor('pg_monitor')$$,
	'22023', 'role "pg_monitor" is a predefined role', 'grant_auditor of a predefined role');
SELECT pg_temp.refused_cleanly($$SELECT iso27001.certificate_record('acme', 'issued', '2026-01-01', 'C-2', 'Example CB')$$,
	'55000', 'scope "acme" already holds certificate C-1 in force', 'certificate_record of a second issue');
SELECT pg_temp.refused_cleanly($$SELECT iso27001.evidence_pack('acme', 'nope')$$,
	'22023', 'behaviour metric "nope" does not exist', 'evidence_pack of an unknown metric');

-- rows written directly: each rule has its own message
SELECT pg_temp.refused_cleanly($$INSERT INTO iso27001.soa_scope (name) VALUES ('  ')$$,
	'23514', 'a scope needs a name that is not blank', 'a scope row with a blank name');
SELECT pg_temp.refused_cleanly($$INSERT INTO iso27001.soa_scope (name, edition) VALUES ('x', 2019)$$,
	'23514', 'edition must be 2013 or 2022, not 2019', 'a scope row of an unknown edition');
SELECT pg_temp.refused_cleanly($$UPDATE iso27001.soa_register SET title = 'Mine' WHERE control_key = 'A.5.1'$$,
	'23514', 'the title of Annex A control A.5.1 comes from the catalogue', 'a title given to an Annex A entry');
SELECT pg_temp.refused_cleanly($$INSERT INTO iso27001.certificate (scope_id, certification_decision, edition)
	VALUES (iso27001.soa_scope_id('legacy'), '2025-01-01', 2019)$$,
	'23514', 'edition must be 2013 or 2022, not 2019', 'a certificate of an unknown edition');
SELECT pg_temp.refused_cleanly($$INSERT INTO iso27001.certificate (scope_id, certification_decision)
	VALUES (iso27001.soa_scope_id('legacy'), 'infinity')$$,
	'22008', 'the certification decision must be a finite date', 'a certificate decided on infinity');
SELECT pg_temp.refused_cleanly($$INSERT INTO iso27001.certification_audit VALUES (iso27001.soa_scope_id('acme'), 'audit', '2026-03-30')$$,
	'23514', 'unknown certification audit kind "audit"', 'an audit of an unknown kind');
SELECT pg_temp.refused_cleanly($$INSERT INTO iso27001.certification_audit VALUES (iso27001.soa_scope_id('acme'), 'surveillance', '-infinity')$$,
	'22008', 'the date of a certification audit must be finite', 'an audit on an infinite date');
SELECT pg_temp.refused_cleanly($$INSERT INTO iso27001.certification_audit VALUES (iso27001.soa_scope_id('legacy'), 'surveillance', '2026-03-30')$$,
	'23503', 'scope "legacy" has no certificate', 'an audit of a scope without a certificate');
SELECT pg_temp.refused_cleanly($$INSERT INTO iso27001.behaviour_observation (scope_id, metric, observed_at, events, trials)
	VALUES (iso27001.soa_scope_id('acme'), 'phishing_click_rate', '2026-01-05', 5, 3)$$,
	'23514', 'an observation of a rate needs 0 <= events <= trials, not 5 events out of 3', 'more events than trials');
SELECT pg_temp.refused_cleanly($$INSERT INTO iso27001.behaviour_observation (scope_id, metric, observed_at, events, trials)
	VALUES (iso27001.soa_scope_id('acme'), 'phishing_click_rate', '2026-01-05', 0, 0)$$,
	'23514', 'an observation of a rate needs 0 <= events <= trials, not 0 events out of 0', 'no trials');
SELECT pg_temp.refused_cleanly($$INSERT INTO iso27001.behaviour_observation (scope_id, metric, observed_at, events, trials, value)
	VALUES (iso27001.soa_scope_id('acme'), 'phishing_click_rate', '2026-01-05', 1, 3, 0.3)$$,
	'23514', 'an observation holds events and trials (a rate) or a value, not both', 'a rate and a value');
SELECT pg_temp.refused_cleanly($$INSERT INTO iso27001.behaviour_observation (scope_id, metric, observed_at, value)
	VALUES (iso27001.soa_scope_id('acme'), 'time_to_report_hours', '2026-01-05', 'NaN')$$,
	'23514', 'the value of an observation must be finite, not NaN', 'a value that is not a number');
SELECT pg_temp.refused_cleanly($$INSERT INTO iso27001.behaviour_observation (scope_id, metric, observed_at, events, trials, cohort)
	VALUES (iso27001.soa_scope_id('acme'), 'phishing_click_rate', '2026-01-05', 1, 3, ' Sales')$$,
	'23514', 'cohort " Sales" has surrounding white space', 'a cohort with surrounding white space');
SELECT pg_temp.refused_cleanly($$INSERT INTO iso27001.behaviour_observation (scope_id, metric, observed_at, events, trials)
	VALUES (iso27001.soa_scope_id('acme'), 'phishing_click_rate', 'infinity', 1, 3)$$,
	'22008', 'the time of an observation must be finite', 'an observation at infinity');
SELECT pg_temp.refused_cleanly($$INSERT INTO iso27001.behaviour_observation (scope_id, metric, observed_at, value)
	VALUES (iso27001.soa_scope_id('acme'), 'phishing_click_rate', '2026-01-05', 0.3)$$,
	'23503', '%violates foreign key constraint "metric_known_and_of_this_kind"', 'a value given for a rate metric: the foreign key''s name says why');
SELECT pg_temp.refused_cleanly($$INSERT INTO iso27001.behaviour_target VALUES (iso27001.soa_scope_id('acme'), 'phishing_click_rate', 'Infinity', '2027-01-01')$$,
	'23514', 'a target must be a finite number, not Infinity', 'an infinite target');
SELECT pg_temp.refused_cleanly($$INSERT INTO iso27001.behaviour_metric (metric, name, description, kind, better, unit)
	VALUES ('Phish-Rate', 'x', 'y', 'rate', 'lower', 'share')$$,
	'23514', 'metric key "Phish-Rate" is not a lower-case identifier', 'a metric key with capitals and a hyphen');

SELECT * FROM finish();
ROLLBACK;
