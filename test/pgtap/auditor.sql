-- An auditor set up as README documents it (grant_auditor, and the
-- row-level security policies of docs/scope_policies.sql) runs every read
-- and export function on its scope -- history and approved versions
-- included -- sees nothing of another scope through any of them, and
-- writes nothing (issue 16 item 3).
\ir ../include/preamble.sql
SET LOCAL TimeZone = 'UTC';

-- two scopes with rows in every table that has a scope: decisions with a
-- private justification, an approved version, a change after it, a
-- certificate, an audit, observations (by cohort too) and a target
DO $$
DECLARE
	s text;
	id bigint;
BEGIN
	FOREACH s IN ARRAY ARRAY['alpha', 'beta'] LOOP
		id := iso27001.create_scope(s);
		UPDATE iso27001.soa_register SET entry = 'applicable, implemented (risk treatment)',
										 justification = initcap(s) || ' secret justification.'
		 WHERE scope_id = id;
		PERFORM iso27001.soa_approve(s, 'Jane Doe');
		PERFORM iso27001.soa_set(s, 'A.5.7', 'excluded', initcap(s) || ' secret reason.');
		PERFORM iso27001.soa_add_evidence(s, 'A.5.1', 'https://' || s || '.example/secret-evidence');
		-- a certificate (with its history of events, in versions that keep one)
		IF to_regprocedure('iso27001.certificate_record(text,text,date,text,text,text,integer)') IS NULL THEN
			INSERT INTO iso27001.certificate VALUES (id, '2025-03-14', initcap(s) || ' secret certificate', 'Example CB');
		ELSE
			EXECUTE 'SELECT iso27001.certificate_record($1, ''issued'', ''2025-03-14'', $2, ''Example CB'', $3)'
			  USING s, initcap(s) || ' secret certificate', initcap(s) || ' secret event';
		END IF;
		INSERT INTO iso27001.certification_audit VALUES (id, 'surveillance', '2026-03-30', initcap(s) || ' secret note');
		-- ten weekly campaigns ending last week (so that views of the last
		-- 12 months have them too)
		INSERT INTO iso27001.behaviour_observation (scope_id, metric, observed_at, cohort, events, trials)
		SELECT id, 'phishing_click_rate', date_trunc('day', now()) - (10 - i) * interval '7 days', c, 20 - i, 100
		  FROM generate_series(0, 9) i, unnest(ARRAY['', initcap(s) || ' secret cohort']) c;
		-- a nonconformity, in versions that have them
		IF to_regclass('iso27001.nonconformity') IS NOT NULL THEN
			EXECUTE 'INSERT INTO iso27001.nonconformity (scope_id, nc_id, source, grade, clause, description, raised_on)
					 VALUES ($1, ''NC-1'', ''internal_audit'', ''minor'', ''9.2'', $2, ''2026-01-15'')'
			  USING id, initcap(s) || ' secret nonconformity';
		END IF;
		INSERT INTO iso27001.behaviour_target VALUES (id, 'phishing_click_rate', 0.05, '2027-01-01');
		-- a management review and its action, in versions that have them
		IF to_regclass('iso27001.management_review') IS NOT NULL THEN
			EXECUTE 'INSERT INTO iso27001.management_review (scope_id, review_id, held_on, chair, issues_changes)
					 VALUES ($1, ''MR-1'', CURRENT_DATE - 5, ''Jane Doe'', $2)'
			  USING id, initcap(s) || ' secret issue';
			EXECUTE 'INSERT INTO iso27001.management_review_action (scope_id, review_id, action_id, kind, action, due_date)
					 VALUES ($1, ''MR-1'', ''1'', ''improvement'', $2, CURRENT_DATE + 30)'
			  USING id, initcap(s) || ' secret action';
		END IF;
	END LOOP;
END $$;
SELECT scope_id AS alpha FROM iso27001.soa_scope WHERE name = 'alpha' \gset
SELECT scope_id AS beta FROM iso27001.soa_scope WHERE name = 'beta' \gset
-- the scopes' names, for the test's eyes (the reader may read this copy)
CREATE TEMP TABLE scope_name AS SELECT scope_id, name FROM iso27001.soa_scope;
GRANT SELECT ON scope_name TO PUBLIC;

-- README's policies, from the file README shows
SET LOCAL client_min_messages = warning;
\ir ../../docs/scope_policies.sql
RESET client_min_messages;
INSERT INTO public.scope_access VALUES ('iso27001_bi_alpha', :alpha);

-- README's set-up of an auditor's login, in this database only
CREATE ROLE iso27001_auditor_alpha LOGIN;
SELECT iso27001.grant_auditor('iso27001_auditor_alpha');
INSERT INTO public.scope_access VALUES ('iso27001_auditor_alpha', :alpha);
-- a reader of the same scope, for comparison
CREATE ROLE iso27001_reader_alpha LOGIN;
SELECT iso27001.grant_reader('iso27001_reader_alpha');
INSERT INTO public.scope_access VALUES ('iso27001_reader_alpha', :alpha);

SELECT plan(34);

-- what a reader cannot do (the history is not a reader's), an auditor can
SET LOCAL ROLE iso27001_reader_alpha;
SELECT throws_ok($$SELECT count(*) FROM iso27001.soa_as_of('alpha', 'infinity')$$, '42501', NULL,
				 'a reader cannot read the SoA as of a time (no SELECT on the history)');
RESET ROLE;
SET LOCAL ROLE iso27001_auditor_alpha;

-- every read and export function on its own scope
SELECT is((SELECT count(*) FROM iso27001.soa_as_of('alpha', 'infinity')), 93::bigint, 'soa_as_of: 93 controls');
SELECT is((SELECT count(*) FROM iso27001.soa_as_of_version('alpha', 1)), 93::bigint, 'soa_as_of_version 1: 93 controls');
SELECT is((SELECT entry::text FROM iso27001.soa_as_of_version('alpha', 1) WHERE control_key = 'A.5.7'),
		  'applicable, implemented (risk treatment)', 'version 1 as approved (A.5.7 decided later)');
SELECT is((SELECT count(*) FROM iso27001.soa_diff_at('alpha', '-infinity', 'infinity')), 93::bigint,
		  'soa_diff_at: every control from nothing');
SELECT is((SELECT count(*) FROM iso27001.soa_export('alpha')), 93::bigint, 'soa_export: 93 rows');
SELECT is((SELECT count(*) FROM iso27001.soa_export('alpha', 1)), 93::bigint, 'soa_export of version 1');
SELECT ok((SELECT iso27001.soa_export_json('alpha', 1) IS NOT NULL), 'soa_export_json of version 1');
SELECT is((SELECT count(*) FROM iso27001.soa_validate('alpha') WHERE severity = 'error'), 0::bigint,
		  'soa_validate: no error in a decided SoA');
SELECT is((SELECT iso27001.evidence_pack('alpha', 'phishing_click_rate') -> 'soa_version' ->> 'version'), '1',
		  'evidence_pack with the approved version');
SELECT ok((SELECT iso27001.evidence_chart('alpha', 'phishing_click_rate') ~ '^<svg'), 'evidence_chart');
SELECT is((SELECT jsonb_array_length(iso27001.oscal_ssp('alpha', 1) #> '{system-security-plan,control-implementation,implemented-requirements}')),
		  93, 'oscal_ssp of version 1');
SELECT ok((SELECT iso27001.oscal_ssp('alpha') IS NOT NULL AND iso27001.oscal_profile('alpha', 1) IS NOT NULL),
		  'oscal_ssp of the current SoA, oscal_profile of version 1');
SELECT is((SELECT count(*) FROM iso27001.nonconformity_check('alpha', '2026-12-01')), 1::bigint,
		  'nonconformity_check: its nonconformity (no due date)');
SELECT is((SELECT count(*) FROM iso27001_bi.soa_entry), 93::bigint, 'the BI views: its own scope only');
SELECT is((SELECT p #>> '{inputs,issues_changes,reviews,0,change}' || ', ' || (p #>> '{inputs,previous_actions,open}')
			 FROM iso27001.management_review_pack('alpha', CURRENT_DATE - 364, CURRENT_DATE) p),
		  'Alpha secret issue, 1', 'management_review_pack: its review''s issue and its open action');

-- nothing of the other scope, through any of them
SELECT throws_ok($$SELECT count(*) FROM iso27001.soa_as_of('beta', 'infinity')$$, '22023', NULL, 'soa_as_of of beta: does not exist');
SELECT throws_ok($$SELECT count(*) FROM iso27001.soa_as_of_version('beta', 1)$$, '22023', NULL, 'soa_as_of_version of beta');
SELECT throws_ok($$SELECT count(*) FROM iso27001.soa_export('beta', 1)$$, '22023', NULL, 'soa_export of beta');
SELECT throws_ok($$SELECT iso27001.soa_export_json('beta')$$, '22023', NULL, 'soa_export_json of beta');
SELECT throws_ok($$SELECT count(*) FROM iso27001.soa_diff('beta', 1, 1)$$, '22023', NULL, 'soa_diff of beta');
SELECT throws_ok($$SELECT iso27001.evidence_pack('beta', 'phishing_click_rate')$$, '22023', NULL, 'evidence_pack of beta');
SELECT throws_ok($$SELECT iso27001.oscal_ssp('beta', 1)$$, '22023', NULL, 'oscal_ssp of beta');
SELECT throws_ok($$SELECT count(*) FROM iso27001.soa_validate('beta')$$, '22023', NULL, 'soa_validate of beta');
SELECT throws_ok($$SELECT iso27001.management_review_pack('beta', '2026-01-01', '2026-12-31')$$, '22023', NULL,
				 'management_review_pack of beta');
SELECT ok(iso27001.management_review_pack('alpha', CURRENT_DATE - 364, CURRENT_DATE)::text !~ 'Beta secret',
		  'no text of beta in its management review pack');
SELECT is((SELECT count(*) FROM iso27001.soa_history WHERE scope_id = :beta), 0::bigint, 'beta''s history: no row');
SELECT is((SELECT count(*) FROM iso27001.nonconformity_check()), 1::bigint, 'nonconformity_check of all scopes: alpha''s only');
SELECT ok((SELECT string_agg(x::text, '') FROM iso27001.soa_as_of('alpha', 'infinity') x) !~ 'Beta secret',
		  'no text of beta in what it reads');

-- and writes nothing
SELECT throws_ok($$SELECT iso27001.soa_set('alpha', 'A.5.7', 'excluded', 'Changed by the auditor.')$$, '42501', NULL,
				 'soa_set: 42501');
SELECT throws_ok($$SELECT iso27001.soa_approve('alpha', 'Auditor')$$, '42501', NULL, 'soa_approve: 42501');
SELECT throws_ok($$INSERT INTO iso27001.nonconformity (scope_id, nc_id, source, grade, clause, description, raised_on)
				   VALUES ((SELECT scope_id FROM scope_name WHERE name = 'alpha'), 'NC-9', 'other', 'minor', '9.2', 'x', '2026-01-01')$$,
				 '42501', NULL, 'a nonconformity: 42501');
SELECT throws_ok($$INSERT INTO iso27001.management_review (scope_id, review_id)
				   VALUES ((SELECT scope_id FROM scope_name WHERE name = 'alpha'), 'MR-9')$$,
				 '42501', NULL, 'a management review: 42501');
RESET ROLE;
SELECT iso27001.revoke_auditor('iso27001_auditor_alpha');
SELECT is((SELECT count(*) FROM information_schema.role_table_grants WHERE grantee = 'iso27001_auditor_alpha'), 0::bigint,
		  'revoke_auditor takes every privilege back');

SELECT * FROM finish();
ROLLBACK;
