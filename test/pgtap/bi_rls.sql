-- A BI reader set up as README documents it (grant_reader, and the
-- row-level security policies of docs/scope_policies.sql, which README
-- shows verbatim: make lint compares them) reads the views and nothing
-- more, and a reader limited to one scope sees nothing of another: not
-- through any relation it may read, nor any function that takes a scope.
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
		-- an internal audit programme and a held audit, in versions that have them
		IF to_regclass('iso27001.internal_audit') IS NOT NULL THEN
			EXECUTE 'INSERT INTO iso27001.internal_audit_programme (scope_id, programme_id, period_start, description)
					 VALUES ($1, ''IAP-1'', CURRENT_DATE - 100, $2)'
			  USING id, initcap(s) || ' secret programme';
			EXECUTE 'INSERT INTO iso27001.internal_audit (scope_id, audit_id, title, planned_on, held_on, auditor, clauses, controls)
					 VALUES ($1, ''IA-1'', $2, CURRENT_DATE - 10, CURRENT_DATE - 10, ''Jane Doe'', ''{9.2}'', ''{A.5.1}'')'
			  USING id, initcap(s) || ' secret audit';
		END IF;
		-- a nonconformity, in versions that have them
		IF to_regclass('iso27001.nonconformity') IS NOT NULL THEN
			EXECUTE 'INSERT INTO iso27001.nonconformity (scope_id, nc_id, source, grade, clause, description, raised_on)
					 VALUES ($1, ''NC-1'', ''internal_audit'', ''minor'', ''9.2'', $2, ''2026-01-15'')'
			  USING id, initcap(s) || ' secret nonconformity';
		END IF;
		INSERT INTO iso27001.behaviour_target VALUES (id, 'phishing_click_rate', 0.05, '2027-01-01');
		-- a risk scale and a risk, in versions that have them
		IF to_regclass('iso27001.risk') IS NOT NULL THEN
			EXECUTE 'INSERT INTO iso27001.risk_scale (scope_id, acceptance_level) VALUES ($1, 6)' USING id;
			EXECUTE 'INSERT INTO iso27001.risk (scope_id, risk_id, description, likelihood, impact, treatment, controls)
					 VALUES ($1, ''R-1'', $2, 4, 4, ''modify'', ''{A.5.1}'')'
			  USING id, initcap(s) || ' secret risk';
		END IF;
		-- a management review and its action, in versions that have them
		IF to_regclass('iso27001.management_review') IS NOT NULL THEN
			EXECUTE 'INSERT INTO iso27001.management_review (scope_id, review_id, held_on, chair, issues_changes)
					 VALUES ($1, ''MR-1'', CURRENT_DATE - 5, ''Jane Doe'', $2)'
			  USING id, initcap(s) || ' secret issue';
			EXECUTE 'INSERT INTO iso27001.management_review_action (scope_id, review_id, action_id, kind, action, due_date)
					 VALUES ($1, ''MR-1'', ''1'', ''improvement'', $2, CURRENT_DATE + 30)'
			  USING id, initcap(s) || ' secret action';
		END IF;
		-- dated evidence of an organization-defined control, expired, and
		-- a requirement of current evidence, in versions that have them
		IF to_regclass('iso27001.evidence') IS NOT NULL THEN
			PERFORM iso27001.soa_set_custom(s, upper(s) || '-SECRET', initcap(s) || ' secret control',
											'applicable, implemented (risk treatment)', 'RA-2.');
			EXECUTE 'INSERT INTO iso27001.evidence (scope_id, control_keys, uri, title, collected_at, valid_until)
					 VALUES ($1, ARRAY[$2], ''https://evidence.example/'' || $2, $3, ''2024-01-01'', ''2024-12-31'')'
			  USING id, upper(s) || '-SECRET', initcap(s) || ' secret report';
			EXECUTE 'INSERT INTO iso27001.evidence_requirement VALUES ($1, ''A.5.2'', $2)'
			  USING id, initcap(s) || ' secret requirement';
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

-- README's set-up of a BI tool's login, in this database only
CREATE ROLE iso27001_bi_alpha LOGIN;
DO $$ BEGIN PERFORM iso27001.grant_reader('iso27001_bi_alpha'); END $$;

-- every relation of the extension the reader may read, and the column
-- that says whose a row is: scope_id, else the scope's name
CREATE TEMP VIEW readable AS
SELECT c.oid::regclass::text AS rel,
	   (SELECT min(a.attname) FROM pg_attribute a
		 WHERE a.attrelid = c.oid AND a.attname IN ('scope_id', 'scope') AND NOT a.attisdropped)::text AS key
  FROM pg_class c
 WHERE c.relnamespace IN ('iso27001'::regnamespace, 'iso27001_bi'::regnamespace)
   AND c.relkind IN ('r', 'v', 'm', 'f', 'p')
   AND has_table_privilege('iso27001_bi_alpha', c.oid, 'SELECT');
GRANT SELECT ON readable TO PUBLIC;

-- the scopes in a relation (NULL for the catalogue), and its rows that
-- mention a secret
CREATE FUNCTION pg_temp.scopes_in(rel text, key text) RETURNS text
	LANGUAGE plpgsql AS $$
DECLARE
	r text;
BEGIN
	IF key = 'scope_id' THEN
		EXECUTE format('SELECT string_agg(DISTINCT s.name, '','' ORDER BY s.name) FROM %s x
						  JOIN pg_temp.scope_name s ON s.scope_id = x.scope_id', rel) INTO r;
	ELSIF key = 'scope' THEN
		EXECUTE format('SELECT string_agg(DISTINCT x.scope, '','' ORDER BY x.scope) FROM %s x', rel) INTO r;
	END IF;
	RETURN r;
END $$;
CREATE FUNCTION pg_temp.secrets_in(rel text, whose text) RETURNS bigint
	LANGUAGE plpgsql AS $$
DECLARE
	r bigint;
BEGIN
	EXECUTE format('SELECT count(*) FROM %s x WHERE x::text LIKE %L', rel, '%' || whose || ' secret%') INTO r;
	RETURN r;
END $$;
-- the SQLSTATE a call as the reader ends with (00000: it returned)
CREATE FUNCTION pg_temp.outcome(call text) RETURNS text
	LANGUAGE plpgsql AS $$
DECLARE
	st text;
BEGIN
	EXECUTE call;
	RETURN '00000';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE;
	RETURN st;
END $$;
GRANT EXECUTE ON FUNCTION pg_temp.scopes_in(text, text), pg_temp.secrets_in(text, text), pg_temp.outcome(text) TO PUBLIC;

-- every call of a function that names a scope, with the other scope
CREATE TEMP TABLE beta_call (fn text, call text);
INSERT INTO beta_call VALUES
	('iso27001.soa_scope_id(text)', $$SELECT iso27001.soa_scope_id('beta')$$),
	('iso27001.soa_as_of(text,timestamptz)', $$SELECT count(*) FROM iso27001.soa_as_of('beta', now())$$),
	('iso27001.soa_version_time(text,integer)', $$SELECT iso27001.soa_version_time('beta', 1)$$),
	('iso27001.soa_as_of_version(text,integer)', $$SELECT count(*) FROM iso27001.soa_as_of_version('beta', 1)$$),
	('iso27001.soa_diff_at(text,timestamptz,timestamptz)', $$SELECT count(*) FROM iso27001.soa_diff_at('beta', '-infinity', now())$$),
	('iso27001.soa_diff(text,integer,integer)', $$SELECT count(*) FROM iso27001.soa_diff('beta', 1, 1)$$),
	('iso27001.soa_validate(text)', $$SELECT count(*) FROM iso27001.soa_validate('beta')$$),
	('iso27001.soa_validate(text,date)', $$SELECT count(*) FROM iso27001.soa_validate('beta', '2026-01-01')$$),
	('iso27001.soa_coverage(text)', $$SELECT count(*) FROM iso27001.soa_coverage('beta')$$),
	('iso27001.soa_coverage_by_attribute(text)', $$SELECT count(*) FROM iso27001.soa_coverage_by_attribute('beta')$$),
	('iso27001.soa_export(text,integer)', $$SELECT count(*) FROM iso27001.soa_export('beta')$$),
	('iso27001.soa_export_json(text,integer)', $$SELECT iso27001.soa_export_json('beta')$$),
	('iso27001.evidence_period_check(text,text,date,date)', $$SELECT iso27001.evidence_period_check('beta', 'phishing_click_rate', NULL, NULL)$$),
	('iso27001.evidence_observations(text,text,date,date)', $$SELECT count(*) FROM iso27001.evidence_observations('beta', 'phishing_click_rate')$$),
	('iso27001.trend_adjusted(text,text,text,date,date,interval,double precision)', $$SELECT count(*) FROM iso27001.trend_adjusted('beta', 'phishing_click_rate')$$),
	('iso27001.evidence_pack(text,text,date,date,double precision,integer)', $$SELECT iso27001.evidence_pack('beta', 'phishing_click_rate')$$),
	('iso27001.evidence_chart(text,text,date,date,double precision,integer,integer)', $$SELECT iso27001.evidence_chart('beta', 'phishing_click_rate')$$),
	('iso27001.oscal_entries(text,integer)', $$SELECT count(*) FROM iso27001.oscal_entries('beta', NULL)$$),
	('iso27001.oscal_profile(text,integer)', $$SELECT iso27001.oscal_profile('beta')$$),
	('iso27001.oscal_ssp(text,integer)', $$SELECT iso27001.oscal_ssp('beta')$$),
	-- the writers: refused, whatever the scope
	('iso27001.delete_scope(text)', $$SELECT iso27001.delete_scope('beta')$$),
	('iso27001.soa_set(text,iso27001.iso_control,iso27001.soa_entry,text,text,text[],boolean)', $$SELECT iso27001.soa_set('beta', 'A.5.1', 'excluded', 'No.')$$),
	('iso27001.soa_set_custom(text,text,text,iso27001.soa_entry,text,text,text[],boolean)', $$SELECT iso27001.soa_set_custom('beta', 'X-1', 'Mine', 'excluded', 'No.')$$),
	('iso27001.soa_remove_custom(text,text)', $$SELECT iso27001.soa_remove_custom('beta', 'X-1')$$),
	('iso27001.soa_add_evidence(text,text,text)', $$SELECT iso27001.soa_add_evidence('beta', 'A.5.1', 'https://e/1')$$),
	('iso27001.soa_approve(text,text,text)', $$SELECT iso27001.soa_approve('beta')$$),
	('iso27001.soa_migrate_2013_to_2022(text,text,text)', $$SELECT count(*) FROM iso27001.soa_migrate_2013_to_2022('beta', 'gamma')$$),
	-- in versions that have them
	('iso27001.certificate_record(text,text,date,text,text,text,integer)', $$SELECT iso27001.certificate_record('beta', 'issued', '2025-03-14')$$),
	('iso27001.nonconformity_check(text,date,interval)', $$SELECT count(*) FROM iso27001.nonconformity_check('beta')$$),
	('iso27001.nonconformity_effectiveness(text,text,double precision)', $$SELECT count(*) FROM iso27001.nonconformity_effectiveness('beta', 'NC-1')$$),
	('iso27001.oscal_poam(text)', $$SELECT iso27001.oscal_poam('beta')$$),
	('iso27001.internal_audit_items(text,date,date,date)', $$SELECT count(*) FROM iso27001.internal_audit_items('beta')$$),
	('iso27001.internal_audit_coverage(text,date,date)', $$SELECT count(*) FROM iso27001.internal_audit_coverage('beta')$$),
	('iso27001.internal_audit_check(text,date)', $$SELECT count(*) FROM iso27001.internal_audit_check('beta')$$),
	('iso27001.risk_check(text)', $$SELECT count(*) FROM iso27001.risk_check('beta')$$),
	('iso27001.internal_audit_findings(text,text)', $$SELECT count(*) FROM iso27001.internal_audit_findings('beta', 'IA-1')$$),
	('iso27001.management_review_pack(text,date,date)', $$SELECT iso27001.management_review_pack('beta', CURRENT_DATE - 365, CURRENT_DATE)$$),
	('iso27001.soa_history_evidence(bigint,text,timestamptz)', format($$SELECT count(*) FROM iso27001.soa_history_evidence(%s, 'A.5.1', now())$$, :beta));
DELETE FROM beta_call WHERE to_regprocedure(fn) IS NULL;
UPDATE beta_call SET fn = to_regprocedure(fn)::text;
GRANT SELECT ON beta_call TO PUBLIC;

SELECT plan(26);

-- the list above is complete: every function with an argument naming a
-- scope is called (but evidence_states and evidence_control_keys, which
-- take a scope_id: below,
-- and soa_lock_key, which reads nothing, in versions that have it)
SELECT set_eq(
	$$SELECT p.oid::regprocedure::text FROM pg_proc p
		JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
		JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'iso27001'
	   WHERE p.proargnames[1:p.pronargs] && ARRAY['scope', 'scope_id', 'from_scope', 'to_scope']
		 AND p.proname NOT IN ('soa_lock_key', 'evidence_states', 'evidence_control_keys')$$,
	$$SELECT fn FROM beta_call$$,
	'every function that takes a scope is called below with the other scope');

-- what the reader may read: the relations with a scope, checked below,
-- and the catalogue, shared by every scope (the names this version has)
SELECT set_eq(
	$$SELECT rel FROM readable WHERE key IS NULL$$,
	$$SELECT to_regclass(n)::text FROM unnest(ARRAY['iso27001.ref_control_2022', 'iso27001.ref_clause_2013', 'iso27001.ref_objective_2013',
		  'iso27001.ref_control_2013', 'iso27001.ref_correspondence', 'iso27001.annex_a_2022',
		  'iso27001.annex_a_2013', 'iso27001.correspondence', 'iso27001.annex_a_titles',
		  'iso27001.annex_a_sections', 'iso27001.isms_audit_time_band', 'iso27001.behaviour_metric',
		  'iso27001_bi.annex_a_control', 'iso27001_bi.annex_a_attribute', 'iso27001.ref_isms_clause_2022',
		  'iso27001.isms_clauses_2022']) n
	   WHERE to_regclass(n) IS NOT NULL$$,
	'every relation the reader may read has a scope (scope_id or its name), but the catalogue and the metrics');
SELECT set_eq(
	$$SELECT rel FROM readable WHERE key IS NOT NULL$$,
	$$SELECT to_regclass(n)::text FROM unnest(ARRAY['iso27001.soa_scope', 'iso27001.soa_register', 'iso27001.soa_version', 'iso27001.soa_version_entry',
		  'iso27001.certificate', 'iso27001.certification_audit', 'iso27001.behaviour_observation',
		  'iso27001.behaviour_target', 'iso27001.soa_versions', 'iso27001.soa_version_entries',
		  'iso27001.behaviour_campaign', 'iso27001_bi.scope', 'iso27001_bi.soa_entry',
		  'iso27001_bi.soa_coverage_by_theme', 'iso27001_bi.soa_coverage_by_attribute',
		  'iso27001_bi.soa_finding', 'iso27001_bi.certification_calendar',
		  'iso27001_bi.certification_finding', 'iso27001_bi.behaviour_series', 'iso27001_bi.behaviour_trend',
		  'iso27001.certificate_event', 'iso27001.nonconformity', 'iso27001_bi.certificate_history',
		  'iso27001_bi.nonconformity', 'iso27001_bi.soa_evidence', 'iso27001_bi.behaviour_trend_12_months',
		  'iso27001_bi.behaviour_trend_quarterly', 'iso27001.internal_audit_programme', 'iso27001.internal_audit',
		  'iso27001_bi.internal_audit', 'iso27001_bi.internal_audit_coverage', 'iso27001.risk', 'iso27001.risk_scale',
		  'iso27001.risk_level', 'iso27001_bi.risk', 'iso27001_bi.risk_control', 'iso27001.management_review',
		  'iso27001.management_review_action', 'iso27001_bi.management_review_action', 'iso27001.evidence',
		  'iso27001.evidence_requirement', 'iso27001_bi.evidence_freshness']) n
	   WHERE to_regclass(n) IS NOT NULL$$,
	'the reader may read the register but its history, certificates, audits, observations, targets and the views over them');

-- the reader's tables are every table with a scope_id but the change history
SELECT set_eq(
	$$SELECT t::text FROM unnest(iso27001.reader_tables()) t$$,
	$$SELECT c.oid::regclass::text FROM pg_class c
	   WHERE c.relnamespace = 'iso27001'::regnamespace AND c.relkind = 'r' AND c.relname <> 'soa_history'
		 AND EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'scope_id')$$,
	'grant_reader''s tables are every table with a scope_id but the change history');

-- as the owner, every one of them has both scopes (so the filtering below is real)
SELECT is_empty(
	$$SELECT rel, pg_temp.scopes_in(rel, key) FROM readable
	   WHERE key IS NOT NULL AND pg_temp.scopes_in(rel, key) IS DISTINCT FROM 'alpha,beta'$$,
	'every relation with a scope shows both scopes to its owner');

SET ROLE iso27001_bi_alpha;
SELECT is_empty(
	$$SELECT rel, pg_temp.scopes_in(rel, key) FROM readable
	   WHERE key IS NOT NULL AND pg_temp.scopes_in(rel, key) IS DISTINCT FROM 'alpha'$$,
	'every relation with a scope shows the reader its own scope only');
SELECT is_empty(
	$$SELECT rel, pg_temp.secrets_in(rel, 'Beta') FROM readable WHERE pg_temp.secrets_in(rel, 'Beta') > 0$$,
	'no row the reader reads holds the other scope''s justifications, certificate, notes or cohorts');
SELECT cmp_ok((SELECT sum(pg_temp.secrets_in(rel, 'Alpha')) FROM readable), '>', 0::numeric,
			  'while its own scope''s are there');

-- the functions
SELECT is_empty(
	$$SELECT fn, pg_temp.outcome(call) FROM beta_call WHERE pg_temp.outcome(call) NOT IN ('22023', '42501')$$,
	'every function called with the other scope refuses: it does not exist (22023), or the reader may not (42501)');
SELECT throws_ok($$SELECT iso27001.evidence_pack('beta', 'phishing_click_rate')$$,
				 '22023', 'ISMS scope "beta" does not exist', 'evidence_pack: the other scope does not exist');
SELECT is((SELECT (iso27001.evidence_pack('alpha', 'phishing_click_rate')) #>> '{control,justification}'),
		  'Alpha secret justification.', 'evidence_pack of its own scope works, the control''s entry with it');
SELECT is((SELECT (iso27001.evidence_pack('alpha', 'phishing_click_rate')) #>> '{soa_version,version}'),
		  '1', 'and the approved version''s');
SELECT is((SELECT row(iso27001.n(s.ols), iso27001.n(s.rate), iso27001.n(s.robust))::text
			 FROM iso27001.evidence_states(:beta, 'phishing_click_rate', NULL, NULL) s),
		  '(0,0,0)', 'evidence_states of the other scope''s id finds no observation');
SELECT is((SELECT iso27001.n(s.rate) FROM iso27001.evidence_states(:alpha, 'phishing_click_rate', NULL, NULL) s),
		  10::bigint, 'evidence_states of its own scope: its 10 campaigns');
SELECT is((SELECT array_agg(DISTINCT scope ORDER BY scope) FROM iso27001.soa_validate()), ARRAY['alpha'],
		  'soa_validate() of every scope reports its scope only');
SELECT is((SELECT array_agg(DISTINCT scope ORDER BY scope) FROM iso27001.soa_coverage()), ARRAY['alpha'],
		  'soa_coverage() too');
SELECT is((SELECT array_agg(DISTINCT scope_name ORDER BY scope_name) FROM iso27001.internal_audit_check()), ARRAY['alpha'],
		  'internal_audit_check() of every scope reports its scope only');
SELECT throws_ok($$SELECT iso27001.management_review_pack('beta', '2026-01-01', '2026-12-31')$$,
				 '22023', 'ISMS scope "beta" does not exist', 'management_review_pack: the other scope does not exist');
SELECT is((SELECT array_agg(control_key || ' ' || severity ORDER BY control_key) FROM iso27001.soa_validate(NULL, '2026-01-01')
			WHERE rule = 'EVIDENCE_STALE'),
		  ARRAY['A.5.2 error', 'ALPHA-SECRET warning'],
		  'soa_validate(NULL, as_of) judges its own scope''s evidence only: the required A.5.2 without a record, the expired report');
SELECT throws_ok(format($$SELECT iso27001.evidence_control_keys(%s, ARRAY['BETA-SECRET'])$$, :beta), '23514',
				 'control "BETA-SECRET" is neither an Annex A control nor an organization-defined control of the scope',
				 'evidence_control_keys does not see the other scope''s organization-defined control');
SELECT is(iso27001.evidence_control_keys(:alpha, ARRAY['ALPHA-SECRET', 'a.5.1']), ARRAY['ALPHA-SECRET', 'A.5.1'],
		  'and sees its own');

-- no writes, no change history
SELECT throws_ok($$INSERT INTO iso27001.soa_register (scope_id, control_key, title)
				   VALUES (1, 'X-1', 'Mine')$$, '42501', NULL, 'the reader cannot write the register');
SELECT throws_ok($$SELECT iso27001.soa_set('alpha', 'A.5.1', 'excluded', 'No.')$$, '42501', NULL,
				 'nor through the API');
SELECT throws_ok($$SELECT count(*) FROM iso27001.soa_history$$, '42501', NULL,
				 'it cannot read the change history');
SELECT throws_ok($$DELETE FROM iso27001.behaviour_observation$$, '42501', NULL,
				 'nor delete observations');
SELECT throws_ok($$SELECT iso27001.grant_reader('iso27001_bi_alpha')$$, '42501',
				 'permission denied to grant or revoke iso27001''s reader privileges',
				 'nor grant itself or others the reader''s privileges');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
