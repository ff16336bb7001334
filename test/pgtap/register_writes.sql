-- Writing the SoA register (issue 15 items 2 and 6): bulk onboarding of
-- 1,000 scopes in one transaction; every write function of the API called
-- twice with the same arguments succeeds and leaves the state of one call;
-- DROP EXTENSION refused while the register holds data, unless the DBA
-- allows it.  (That no role without grants can block a writer needs two
-- sessions: test/shell/register_locks.sh.)
\ir ../include/preamble.sql
SET LOCAL search_path = public, iso27001;

SELECT plan(49);

-- the state of a scope that a retry must leave as it was: its register
-- rows, history rows and versions, as one digest
CREATE FUNCTION pg_temp.state(scope text) RETURNS text LANGUAGE sql AS $$
	SELECT md5(coalesce((SELECT string_agg(format('%s|%s|%s|%s|%s|%s|%s|%s', r.control_key, r.title, r.entry,
												  r.justification, r.owner, r.evidence, r.needs_review, r.changed_at),
										   ';' ORDER BY r.control_key)
						   FROM iso27001.soa_register r JOIN iso27001.soa_scope s USING (scope_id)
						  WHERE s.name = state.scope), '')
			   || '#' || coalesce((SELECT string_agg(h.change_id::text, ',' ORDER BY h.change_id)
									 FROM iso27001.soa_history h JOIN iso27001.soa_scope s USING (scope_id)
									WHERE s.name = state.scope), '')
			   || '#' || coalesce((SELECT string_agg(v.version::text, ',' ORDER BY v.version)
									 FROM iso27001.soa_version v JOIN iso27001.soa_scope s USING (scope_id)
									WHERE s.name = state.scope), ''))
$$;
CREATE FUNCTION pg_temp.history(scope text) RETURNS bigint LANGUAGE sql AS $$
	SELECT count(*) FROM iso27001.soa_history h JOIN iso27001.soa_scope s USING (scope_id)
	 WHERE s.name = history.scope
$$;

-- try() runs a command and undoes it: 'done', or the error and its hint
CREATE FUNCTION pg_temp.try(command text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	hint text;
BEGIN
	EXECUTE command;
	-- undo what worked, so that the test goes on
	RAISE EXCEPTION 'done' USING ERRCODE = 'P0001';
EXCEPTION
	WHEN SQLSTATE 'P0001' THEN RETURN 'done';
	WHEN OTHERS THEN
		GET STACKED DIAGNOSTICS hint = PG_EXCEPTION_HINT;
		RETURN SQLSTATE || ' ' || SQLERRM || coalesce(' HINT: ' || nullif(hint, ''), '');
END
$$;
SELECT is(pg_temp.try('DROP EXTENSION iso27001'), 'done',
		  'while no table holds data (the built-in metrics aside), DROP EXTENSION drops it');

-- 1. Bulk onboarding: 1,000 scopes in one transaction (93 register rows
-- and 93 history rows each).  With a lock-table entry per control
-- (advisory locks until 0.2.2) it failed with "out of shared memory".
SELECT lives_ok($$SELECT count(iso27001.create_scope('tenant-' || i)) FROM generate_series(1, 1000) AS i$$,
				'1,000 scopes created in one transaction');
SELECT is((SELECT count(*) FROM iso27001.soa_register r JOIN iso27001.soa_scope s USING (scope_id)
			WHERE s.name LIKE 'tenant-%'), 93000::bigint,
		  '93,000 register rows: 93 undecided Annex A entries a scope');
SELECT is((SELECT count(*) FROM iso27001.soa_history h JOIN iso27001.soa_scope s USING (scope_id)
			WHERE s.name LIKE 'tenant-%'), 93000::bigint,
		  'and 93,000 history rows');
SELECT is((SELECT count(*) FROM pg_catalog.pg_locks
			WHERE locktype = 'advisory' AND pid = pg_catalog.pg_backend_pid()), 0::bigint,
		  'the transaction holds no advisory lock');

-- 2. Every write function twice with the same arguments.  call() runs a
-- query and gives its value as text, or the error, so that a failing retry
-- fails its test and not the file (a function returning void gives '').
CREATE FUNCTION pg_temp.call(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	result text;
BEGIN
	EXECUTE q INTO result;
	RETURN result;
EXCEPTION WHEN OTHERS THEN
	RETURN 'ERROR ' || SQLSTATE || ' ' || SQLERRM;
END
$$;
SELECT iso27001.create_scope('acme', 2022, 'Retries') AS acme_id \gset
SELECT is(pg_temp.call($$SELECT iso27001.create_scope('acme', 2022, 'Retries')$$), :'acme_id',
		  'create_scope twice: the same scope_id');
SELECT is((SELECT count(*) FROM iso27001.soa_scope WHERE name = 'acme'), 1::bigint, 'one scope');
SELECT is(pg_temp.history('acme'), 93::bigint, 'with 93 history rows, not 186');
SELECT throws_ok($$SELECT iso27001.create_scope('acme', 2013, 'Retries')$$, '23505',
				 'ISMS scope "acme" already exists',
				 'create_scope with another edition is no retry: the name is taken');
SELECT throws_ok($$SELECT iso27001.create_scope('acme', 2022, 'Another description')$$, '23505',
				 'ISMS scope "acme" already exists',
				 'nor with another description');

SELECT iso27001.soa_set('acme', 'A.5.1', 'applicable, implemented (legal)', 'Policy approved.',
						'CISO', '{https://x/policy}')::text AS first_set \gset
SELECT is(pg_temp.call($$SELECT iso27001.soa_set('acme', 'A.5.1', 'applicable, implemented (legal)',
												'Policy approved.', 'CISO', '{https://x/policy}')$$),
		  :'first_set', 'soa_set twice: the same register row (its change time included)');
SELECT is(pg_temp.history('acme'), 94::bigint, 'one history row for the two calls');

SELECT iso27001.soa_set_custom('acme', 'ORG-1', 'Phishing simulation', 'applicable, planned (best practice)',
							   'Quarterly campaigns.')::text AS first_custom \gset
SELECT is(pg_temp.call($$SELECT iso27001.soa_set_custom('acme', 'ORG-1', 'Phishing simulation',
									'applicable, planned (best practice)', 'Quarterly campaigns.')$$),
		  :'first_custom', 'soa_set_custom twice: the same register row');
SELECT is(pg_temp.history('acme'), 95::bigint, 'one history row for the two calls');

SELECT is(iso27001.soa_add_evidence('acme', 'A.5.1', 'https://x/minutes'),
		  ARRAY['https://x/policy', 'https://x/minutes'], 'soa_add_evidence adds the link');
SELECT is(pg_temp.call($$SELECT iso27001.soa_add_evidence('acme', 'A.5.1', 'https://x/minutes')$$),
		  '{https://x/policy,https://x/minutes}',
		  'soa_add_evidence again with the same link: the same list, no error');
SELECT is(pg_temp.call($$SELECT iso27001.soa_add_evidence('acme', ' a.5.1 ', 'https://x/minutes')$$),
		  '{https://x/policy,https://x/minutes}',
		  'and with the control written otherwise');
SELECT is(pg_temp.history('acme'), 96::bigint, 'one history row for the three calls');
SELECT throws_ok($$SELECT iso27001.soa_add_evidence('acme', 'A.5.99', 'https://x/minutes')$$, '22023',
				 'scope "acme" has no control "A.5.99"', 'a control the scope lacks is still refused');

SELECT lives_ok($$SELECT iso27001.soa_remove_custom('acme', 'ORG-1')$$, 'soa_remove_custom');
SELECT pg_temp.state('acme') AS after_remove \gset
SELECT is(pg_temp.call($$SELECT iso27001.soa_remove_custom('acme', 'ORG-1')$$), '',
		  'soa_remove_custom again: the control is already removed, no error');
SELECT is(pg_temp.state('acme'), :'after_remove', 'and nothing changed (one removal in the history)');
SELECT throws_ok($$SELECT iso27001.soa_remove_custom('acme', 'ORG-9')$$, '22023',
				 'scope "acme" has no control "ORG-9"', 'a control that was never in the SoA is still refused');

-- an approvable SoA: every Annex A control decided
UPDATE iso27001.soa_register r SET entry = 'excluded', justification = 'Out of scope.'
  FROM iso27001.soa_scope s
 WHERE s.scope_id = r.scope_id AND s.name = 'acme' AND r.entry IS NULL;
SELECT is(iso27001.soa_approve('acme', 'Jane Doe', 'First'), 1, 'soa_approve: version 1');
SELECT pg_temp.state('acme') AS after_approve \gset
SELECT is(pg_temp.call($$SELECT iso27001.soa_approve('acme', 'Jane Doe', 'First')$$), '1',
		  'soa_approve again, nothing changed since: version 1 again');
SELECT is(pg_temp.state('acme'), :'after_approve', 'no second version');
SELECT is(pg_temp.call($$SELECT iso27001.soa_approve('acme', 'Jane Doe', 'Second look')$$), '2',
		  'another note is a new approval: version 2');
SELECT lives_ok($$SELECT iso27001.soa_set('acme', 'A.5.2', 'excluded', 'Changed after version 2.')$$,
				'a change after version 2');
SELECT is(pg_temp.call($$SELECT iso27001.soa_approve('acme', 'Jane Doe', 'Second look')$$), '3',
		  'the same approval after a change is a new version: 3');

-- the migration of a 2013 SoA, twice
SELECT lives_ok($$SELECT iso27001.create_scope('legacy', 2013)$$, 'a 2013 scope');
SELECT lives_ok($$SELECT iso27001.soa_set('legacy', 'A.5.1.1', 'applicable, implemented (legal)', 'Policy.')$$,
				'with a decision');
SELECT lives_ok($$SELECT iso27001.soa_set_custom('legacy', 'L-1', 'Legacy control', 'excluded', 'Not needed.')$$,
				'and an organization-defined control');
CREATE TEMP TABLE first_migration AS SELECT * FROM iso27001.soa_migrate_2013_to_2022('legacy', 'legacy-2022');
SELECT pg_temp.state('legacy-2022') AS after_migration \gset
SELECT is(pg_temp.call($$SELECT md5(string_agg(m::text, ';' ORDER BY m::text))
							 FROM iso27001.soa_migrate_2013_to_2022('legacy', 'legacy-2022') m$$),
		  (SELECT md5(string_agg(m::text, ';' ORDER BY m::text)) FROM first_migration m),
		  'soa_migrate_2013_to_2022 again: the same report');
SELECT is(pg_temp.state('legacy-2022'), :'after_migration', 'and the draft unchanged');
SELECT lives_ok($$SELECT iso27001.soa_set('legacy-2022', 'A.5.1', 'excluded', 'Edited draft.')$$,
				'the draft is edited');
SELECT pg_temp.state('legacy-2022') AS after_edit \gset
SELECT throws_ok($$SELECT * FROM iso27001.soa_migrate_2013_to_2022('legacy', 'legacy-2022')$$, '23505',
				 'ISMS scope "legacy-2022" already exists',
				 'a migration into an edited draft is no retry: refused');
SELECT is(pg_temp.state('legacy-2022'), :'after_edit', 'and the edit is kept');

SELECT lives_ok($$SELECT iso27001.delete_scope('legacy-2022')$$, 'delete_scope');
SELECT is(pg_temp.call($$SELECT iso27001.delete_scope('legacy-2022')$$), '',
		  'delete_scope again: the scope is already gone, no error');

-- does a table hold a row of a scope?
CREATE FUNCTION pg_temp.has_rows(t regclass, id bigint) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
	r boolean;
BEGIN
	EXECUTE format('SELECT EXISTS (SELECT FROM %s WHERE scope_id = $1)', t) INTO r USING id;
	RETURN r;
END $$;
-- delete_scope of a scope that holds a row in every table with a scope_id
-- (until 0.2.2 it stopped at the first foreign key of a certificate, a
-- nonconformity or a risk)
SELECT is_empty($$SELECT c.relname FROM pg_class c
				   WHERE c.relnamespace = 'iso27001'::regnamespace AND c.relkind = 'r'
					 AND EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'scope_id')
					 AND (SELECT p.prosrc FROM pg_proc p WHERE p.oid = 'iso27001.delete_scope(text)'::regprocedure)
						 NOT LIKE '%iso27001.' || c.relname || ' %'$$,
				'delete_scope names every table with a scope_id');
DO $$
DECLARE
	id bigint := iso27001.create_scope('full');
BEGIN
	PERFORM iso27001.soa_set('full', 'A.5.1', 'applicable, implemented (risk treatment)', 'RA.', evidence => '{https://e/1}');
	UPDATE iso27001.soa_register SET entry = 'excluded', justification = 'Not needed.'
	 WHERE scope_id = id AND entry IS NULL;
	PERFORM iso27001.soa_approve('full', 'Jane Doe');
	PERFORM iso27001.certificate_record('full', 'issued', '2025-01-01', 'C-1', 'CB');
	INSERT INTO iso27001.certification_audit VALUES (id, 'surveillance', '2025-12-01');
	INSERT INTO iso27001.behaviour_observation (scope_id, metric, observed_at, events, trials)
	VALUES (id, 'phishing_click_rate', '2025-06-02', 3, 10);
	INSERT INTO iso27001.behaviour_target VALUES (id, 'phishing_click_rate', 0.05, '2026-12-31');
	INSERT INTO iso27001.evidence_requirement (scope_id, control_key) VALUES (id, 'A.5.1');
	INSERT INTO iso27001.risk_scale (scope_id) VALUES (id);
	INSERT INTO iso27001.risk (scope_id, risk_id, description, treatment, controls) VALUES (id, 'R-1', 'x', 'modify', '{A.5.1}');
	INSERT INTO iso27001.internal_audit_programme (scope_id, programme_id) VALUES (id, 'P');
	INSERT INTO iso27001.internal_audit (scope_id, audit_id, planned_on, held_on, auditor, clauses)
	VALUES (id, 'IA-1', '2025-03-01', '2025-03-01', 'Ravi', '{9.2}');
	INSERT INTO iso27001.nonconformity (scope_id, nc_id, source, grade, clause, description, raised_on, internal_audit_id)
	VALUES (id, 'NC-1', 'internal_audit', 'minor', '9.2', 'x', '2025-03-02', 'IA-1');
	INSERT INTO iso27001.management_review (scope_id, review_id, held_on, chair) VALUES (id, 'MR-1', '2025-11-01', 'CEO');
	INSERT INTO iso27001.management_review_action (scope_id, review_id, action_id, kind, action)
	VALUES (id, 'MR-1', '1', 'improvement', 'x');
END $$;
SELECT iso27001.soa_scope_id('full') AS full_id \gset
SELECT is_empty(format($$SELECT c.relname FROM pg_class c
						  WHERE c.relnamespace = 'iso27001'::regnamespace AND c.relkind = 'r'
							AND CASE WHEN EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'scope_id')
									 THEN NOT pg_temp.has_rows(c.oid::regclass, %s) END$$, :full_id),
				'the scope holds a row in every table with a scope_id');
SELECT lives_ok($$SELECT iso27001.delete_scope('full')$$, 'delete_scope deletes all of it');
SELECT is_empty(format($$SELECT c.relname FROM pg_class c
						  WHERE c.relnamespace = 'iso27001'::regnamespace AND c.relkind = 'r'
							AND CASE WHEN EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'scope_id')
									 THEN pg_temp.has_rows(c.oid::regclass, %s) END$$, :full_id),
				'and no table holds a row of it any more');

-- 3. DROP EXTENSION while the register holds data
SELECT is(pg_temp.try('DROP EXTENSION iso27001'),
		  '55000 extension "iso27001" holds data and is not dropped'
		  || ' HINT: Keep a dump of it (pg_dump), then SET iso27001.allow_drop = on in the dropping session.',
		  'DROP EXTENSION is refused while the register holds data');
SELECT is(pg_temp.try('DROP EXTENSION iso27001 CASCADE'),
		  '55000 extension "iso27001" holds data and is not dropped'
		  || ' HINT: Keep a dump of it (pg_dump), then SET iso27001.allow_drop = on in the dropping session.',
		  'with CASCADE too');
SELECT is(pg_temp.try('DROP SCHEMA iso27001 CASCADE'),
		  '55000 extension "iso27001" holds data and is not dropped'
		  || ' HINT: Keep a dump of it (pg_dump), then SET iso27001.allow_drop = on in the dropping session.',
		  'and DROP SCHEMA of its schema');
SELECT is(pg_temp.try('DROP SCHEMA public CASCADE'),
		  '55000 extension "iso27001" holds data and is not dropped'
		  || ' HINT: Keep a dump of it (pg_dump), then SET iso27001.allow_drop = on in the dropping session.',
		  'and DROP SCHEMA of the schema of its operators (public), which would drop it too');
SELECT is(pg_temp.try('DROP EXTENSION IF EXISTS iso27001_none'), 'done',
		  'other extensions are dropped as usual');
SELECT is(pg_temp.try('SET LOCAL iso27001.allow_drop = on; DROP EXTENSION iso27001 CASCADE'), 'done',
		  'with iso27001.allow_drop on, the DBA drops it');

SELECT * FROM finish();
ROLLBACK;
