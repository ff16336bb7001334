-- A BI login in role iso27001_reader reads the views and nothing more, and
-- row-level security by scope works through every view: a reader limited
-- to one scope sees that scope only.
\ir ../include/preamble.sql

-- two scopes with rows in every view
DO $$
DECLARE
	s text;
	id bigint;
BEGIN
	FOREACH s IN ARRAY ARRAY['alpha', 'beta'] LOOP
		id := iso27001.create_scope(s);
		PERFORM iso27001.soa_set(s, 'A.5.7', 'applicable, implemented (risk treatment)', 'Threat feeds.');
		INSERT INTO iso27001.certificate VALUES (id, '2025-03-14', s || '-1', 'Example CB');
		INSERT INTO iso27001.certification_audit VALUES (id, 'surveillance', '2026-03-30');
		INSERT INTO iso27001.behaviour_observation (scope_id, metric, observed_at, events, trials)
		SELECT id, 'phishing_click_rate', '2025-01-06'::timestamptz + i * interval '7 days', 20 - i, 100
		  FROM generate_series(0, 9) i;
		INSERT INTO iso27001.behaviour_target VALUES (id, 'phishing_click_rate', 0.05);
	END LOOP;
END $$;
SELECT scope_id AS alpha FROM iso27001.soa_scope WHERE name = 'alpha' \gset

-- README's policy, on every table with a scope
CREATE TABLE public.scope_access (role_name name, scope_id bigint);
INSERT INTO public.scope_access VALUES ('iso27001_bi_alpha', :alpha);
GRANT SELECT ON public.scope_access TO PUBLIC;
DO $$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['soa_scope', 'soa_register', 'soa_history', 'soa_version',
							 'soa_version_entry', 'certificate', 'certification_audit',
							 'behaviour_observation', 'behaviour_target'] LOOP
		EXECUTE format('ALTER TABLE iso27001.%I ENABLE ROW LEVEL SECURITY', t);
		EXECUTE format($p$CREATE POLICY by_scope ON iso27001.%I USING (scope_id IN
			(SELECT a.scope_id FROM public.scope_access a WHERE a.role_name = current_user))$p$, t);
	END LOOP;
END $$;

-- README's one command for a BI tool's login
CREATE ROLE iso27001_bi_alpha LOGIN IN ROLE iso27001_reader;

CREATE FUNCTION pg_temp.scopes_in(view_name text) RETURNS text[]
	LANGUAGE plpgsql AS $$
DECLARE
	r text[];
BEGIN
	EXECUTE format('SELECT array_agg(DISTINCT scope ORDER BY scope) FROM iso27001_bi.%I', view_name) INTO r;
	RETURN r;
END $$;
GRANT EXECUTE ON FUNCTION pg_temp.scopes_in(text) TO PUBLIC;

SELECT plan(24);

-- as the owner, every view has both scopes (so the filtering below is real)
SELECT is(pg_temp.scopes_in(v), ARRAY['alpha', 'beta'], v || ' shows both scopes to its owner')
  FROM unnest(ARRAY['scope', 'soa_entry', 'soa_coverage_by_theme', 'soa_coverage_by_attribute',
					'soa_finding', 'certification_calendar', 'certification_finding',
					'behaviour_series', 'behaviour_trend']) v;

SET ROLE iso27001_bi_alpha;
SELECT is(pg_temp.scopes_in(v), ARRAY['alpha'], v || ' shows the reader its scope only')
  FROM unnest(ARRAY['scope', 'soa_entry', 'soa_coverage_by_theme', 'soa_coverage_by_attribute',
					'soa_finding', 'certification_calendar', 'certification_finding',
					'behaviour_series', 'behaviour_trend']) v;

SELECT is((SELECT count(*) FROM iso27001_bi.annex_a_control), 207::bigint,
		  'the reader reads the catalogue');
SELECT throws_ok($$INSERT INTO iso27001.soa_register (scope_id, control_key, title)
				   VALUES (1, 'X-1', 'Mine')$$, '42501', NULL, 'the reader cannot write the register');
SELECT throws_ok($$SELECT iso27001.soa_set('alpha', 'A.5.1', 'excluded', 'No.')$$, '42501', NULL,
				 'nor through the API');
SELECT throws_ok($$SELECT count(*) FROM iso27001.soa_history$$, '42501', NULL,
				 'it cannot read the change history');
SELECT throws_ok($$DELETE FROM iso27001.behaviour_observation$$, '42501', NULL,
				 'nor delete observations');
SELECT throws_ok($$SELECT * FROM iso27001.evidence_observations('beta', 'phishing_click_rate')$$,
				 '22023', 'ISMS scope "beta" does not exist',
				 'the other scope does not exist for it, in the evidence functions too');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
