-- soa_as_of_version(): an approved version, whichever way it is read.  Its
-- fast path (the version's index, read in C) must return exactly what the
-- history says the SoA was at the approval, in catalogue order, and so must
-- soa_as_of() at that time, and after it with changes since; the query
-- path takes over where row-level security, column privileges or a missing
-- index make the shortcut wrong.  Which path ran is seen in the sequential
-- scans of soa_version_entry: the planner may use no index here, while the
-- fast path reads the index all the same.
\ir ../include/preamble.sql
SET LOCAL search_path = public, iso27001;
SET LOCAL enable_indexscan = off;
SET LOCAL enable_indexonlyscan = off;
SET LOCAL enable_bitmapscan = off;

-- acme: version 1, then changes (one with a justification of 200 kB that
-- is stored out of line), version 2, then more changes not approved
DO $$
BEGIN
	PERFORM iso27001.create_scope('acme');
	PERFORM iso27001.create_scope('beta');
	UPDATE iso27001.soa_register SET entry = 'applicable, implemented (risk treatment)',
		   justification = 'Risk assessment RA-1.', evidence = '{https://e/1}';
	PERFORM iso27001.soa_set_custom('acme', 'ORG-2', 'Phishing simulation', 'excluded', 'Not yet.');
	PERFORM iso27001.soa_set_custom('acme', 'ORG-10', 'Red team', 'excluded', 'Not yet.');
	PERFORM iso27001.soa_approve('acme', 'Jane Doe');
	PERFORM iso27001.soa_approve('beta', 'Joe Bloggs');
	PERFORM iso27001.soa_set('acme', 'A.5.10', 'excluded',
							 (SELECT string_agg(md5(g::text), '') FROM generate_series(1, 6250) g));
	PERFORM iso27001.soa_set('acme', 'A.8.34', 'applicable, planned (legal)', 'Audit plan.');
	PERFORM iso27001.soa_approve('acme', 'Jane Doe');
	PERFORM iso27001.soa_set('acme', 'A.5.1', 'excluded', 'After version 2.');
END $$;

CREATE FUNCTION pg_temp.query_path_calls() RETURNS bigint LANGUAGE sql AS $$
	SELECT coalesce((SELECT seq_scan FROM pg_catalog.pg_stat_xact_user_tables
					  WHERE relid = 'iso27001.soa_version_entry'::regclass), 0)
$$;

-- what the SoA was at a time, by definition: the latest history row of
-- every control by then, unless it was a removal (Annex A titles from the
-- catalogue); independent of both as-of functions
CREATE FUNCTION pg_temp.from_history(scope text, at timestamptz)
	RETURNS TABLE (control_key text, control iso27001.iso_control, title text,
				   entry iso27001.soa_entry, justification text, owner text,
				   evidence text[], needs_review boolean,
				   changed_at timestamptz, changed_by text)
LANGUAGE sql AS $$
	SELECT h.control_key, h.control, coalesce(h.title, iso27001.title(h.control)), h.entry,
		   h.justification, h.owner,
		   coalesce(h.evidence, iso27001.soa_history_evidence(h.scope_id, h.control_key, h.changed_at)),
		   h.needs_review, h.changed_at, h.changed_by
	  FROM (SELECT DISTINCT ON (h.control_key) h.*
			  FROM iso27001.soa_history h JOIN iso27001.soa_scope s USING (scope_id)
			 WHERE s.name = from_history.scope AND h.changed_at <= from_history.at
			 ORDER BY h.control_key, h.changed_at DESC) h
	 WHERE NOT h.removed
$$;
CREATE TEMP TABLE expected_v1 AS
SELECT * FROM pg_temp.from_history('acme', iso27001.soa_version_time('acme', 1));
CREATE TEMP TABLE expected_v2 AS
SELECT * FROM pg_temp.from_history('acme', iso27001.soa_version_time('acme', 2));
GRANT SELECT ON expected_v1, expected_v2 TO PUBLIC;
SELECT pg_temp.query_path_calls() AS calls_before \gset

SELECT plan(23);

-- the fast path (the extension's owner: no policy applies, every privilege)
SELECT set_eq($$SELECT * FROM iso27001.soa_as_of_version('acme', 1)$$,
			  $$SELECT * FROM expected_v1$$,
			  'version 1 is what the history says the SoA was at its approval (95 rows)');
SELECT set_eq($$SELECT * FROM iso27001.soa_as_of_version('acme', 2)$$,
			  $$SELECT * FROM expected_v2$$,
			  'version 2 too, with its 200 kB justification');
SELECT is(pg_temp.query_path_calls(), :calls_before::bigint,
		  'both were read by the index, without the query');
SELECT set_eq($$SELECT * FROM iso27001.soa_as_of('acme', iso27001.soa_version_time('acme', 2))$$,
			  $$SELECT * FROM expected_v2$$,
			  'soa_as_of at the approval of version 2 (nothing changed since: read as the version)');
SELECT set_eq($$SELECT * FROM iso27001.soa_as_of('acme', clock_timestamp())$$,
			  $$SELECT * FROM pg_temp.from_history('acme', clock_timestamp())$$,
			  'soa_as_of now, one change after version 2 (the version and the change merged)');
SELECT is((SELECT md5(justification) FROM iso27001.soa_as_of_version('acme', 2) WHERE control_key = 'A.5.10'),
		  (SELECT md5(string_agg(md5(g::text), '')) FROM generate_series(1, 6250) g),
		  'the justification stored out of line comes back whole');
SELECT is((SELECT array_agg(control_key) FROM (SELECT control_key FROM iso27001.soa_as_of_version('acme', 1)
												 LIMIT 11) f),
		  ARRAY['A.5.1', 'A.5.2', 'A.5.3', 'A.5.4', 'A.5.5', 'A.5.6', 'A.5.7', 'A.5.8', 'A.5.9',
				'A.5.10', 'A.5.11'],
		  'the rows come in catalogue order: A.5.9 before A.5.10');
SELECT is((SELECT array_agg(control_key) FROM (SELECT control_key FROM iso27001.soa_as_of_version('acme', 1)
												 OFFSET 92) f),
		  ARRAY['A.8.34', 'ORG-10', 'ORG-2'],
		  'A.8.34 last of Annex A, then the organization-defined controls by key');
SELECT is((SELECT entry::text FROM iso27001.soa_as_of_version('acme', 2) WHERE control_key = 'A.5.1'),
		  'applicable, implemented (risk treatment)',
		  'a change after the approval is not in the version');
SELECT is((SELECT count(*) FROM iso27001.soa_as_of_version('beta', 1)), 93::bigint,
		  'another scope''s version holds its own 93 entries');
SELECT is((SELECT count(*) FROM iso27001.soa_as_of_version(NULL, 1)), 0::bigint,
		  'a NULL argument gives no rows (STRICT)');

-- errors come from the look-ups of the scope and the version, with their SQLSTATE
SELECT throws_ok($$SELECT * FROM iso27001.soa_as_of_version('acme', 3)$$, '22023',
				 'scope "acme" has no approved version 3', 'a version not yet approved');
SELECT throws_ok($$SELECT * FROM iso27001.soa_as_of_version('nope', 1)$$, '22023',
				 'ISMS scope "nope" does not exist', 'an unknown scope');

-- row-level security: the query path, which the policy filters
CREATE TABLE public.scope_access (role_name name, scope_id bigint);
INSERT INTO public.scope_access
SELECT 'iso27001_as_of_alpha', scope_id FROM iso27001.soa_scope WHERE name = 'acme';
GRANT SELECT ON public.scope_access TO PUBLIC;
ALTER TABLE iso27001.soa_scope ENABLE ROW LEVEL SECURITY;
ALTER TABLE iso27001.soa_version ENABLE ROW LEVEL SECURITY;
ALTER TABLE iso27001.soa_version_entry ENABLE ROW LEVEL SECURITY;
CREATE POLICY by_scope ON iso27001.soa_scope
	USING (scope_id IN (SELECT a.scope_id FROM public.scope_access a WHERE a.role_name = current_user));
CREATE POLICY by_scope ON iso27001.soa_version
	USING (scope_id IN (SELECT a.scope_id FROM public.scope_access a WHERE a.role_name = current_user));
CREATE POLICY by_scope ON iso27001.soa_version_entry
	USING (scope_id IN (SELECT a.scope_id FROM public.scope_access a WHERE a.role_name = current_user));
CREATE ROLE iso27001_as_of_alpha NOLOGIN;
GRANT SELECT ON iso27001.soa_scope, iso27001.soa_version, iso27001.soa_version_entry
	TO iso27001_as_of_alpha;

SET ROLE iso27001_as_of_alpha;
SELECT set_eq($$SELECT * FROM iso27001.soa_as_of_version('acme', 1)$$,
			  $$SELECT * FROM expected_v1$$,
			  'under a policy, the role reads a version of its scope');
SELECT throws_ok($$SELECT * FROM iso27001.soa_as_of_version('beta', 1)$$, '22023',
				 'ISMS scope "beta" does not exist',
				 'but not of the scope the policy hides');
RESET ROLE;
SELECT cmp_ok(pg_temp.query_path_calls(), '>', :calls_before::bigint,
			  'under the policy the query path ran');

-- column privileges only: the query path, which the executor checks
ALTER TABLE iso27001.soa_scope DISABLE ROW LEVEL SECURITY;
ALTER TABLE iso27001.soa_version DISABLE ROW LEVEL SECURITY;
ALTER TABLE iso27001.soa_version_entry DISABLE ROW LEVEL SECURITY;
CREATE ROLE iso27001_as_of_columns NOLOGIN;
GRANT SELECT (scope_id, name) ON iso27001.soa_scope TO iso27001_as_of_columns;
GRANT SELECT (scope_id, version, control_key, control, title, entry, justification, owner,
			  evidence, needs_review, changed_at, changed_by)
	ON iso27001.soa_version_entry TO iso27001_as_of_columns;
CREATE ROLE iso27001_as_of_nobody NOLOGIN;
GRANT SELECT ON iso27001.soa_scope TO iso27001_as_of_nobody;

SET ROLE iso27001_as_of_columns;
SELECT set_eq($$SELECT * FROM iso27001.soa_as_of_version('acme', 2)$$,
			  $$SELECT * FROM expected_v2$$,
			  'with privileges on the columns only, the role reads the version');
RESET ROLE;
SET ROLE iso27001_as_of_nobody;
SELECT throws_ok($$SELECT * FROM iso27001.soa_as_of_version('acme', 2)$$, '42501',
				 'permission denied for table soa_version_entry',
				 'without a privilege on the entries, it is refused');
RESET ROLE;

-- without the order index: the query path sorts, the same rows come back;
-- with a new index: the fast path again (its catalog entry was refreshed)
DROP INDEX iso27001.soa_version_entry_order;
SELECT results_eq($$SELECT * FROM iso27001.soa_as_of_version('acme', 1)$$,
				  $$SELECT * FROM expected_v1 ORDER BY control, control_key$$,
				  'without the index the version comes back the same, in the same order');
CREATE INDEX soa_version_entry_order ON iso27001.soa_version_entry
	(scope_id, version, control, control_key);
SELECT pg_temp.query_path_calls() AS calls_rebuilt \gset
SELECT results_eq($$SELECT * FROM iso27001.soa_as_of_version('acme', 2)$$,
				  $$SELECT * FROM expected_v2 ORDER BY control, control_key$$,
				  'with the index made again, the same rows in the same order');
SELECT is(pg_temp.query_path_calls(), :calls_rebuilt::bigint,
		  'and by the index again, without the query');

-- an index of that name in another order is not taken for the catalogue's
DROP INDEX iso27001.soa_version_entry_order;
CREATE INDEX soa_version_entry_order ON iso27001.soa_version_entry
	(scope_id, version, control DESC, control_key);
SELECT results_eq($$SELECT * FROM iso27001.soa_as_of_version('acme', 1)$$,
				  $$SELECT * FROM expected_v1 ORDER BY control, control_key$$,
				  'with an index in descending order under that name, still the catalogue order');
SELECT cmp_ok(pg_temp.query_path_calls(), '>', :calls_rebuilt::bigint,
			  'read by the query, not by that index');

SELECT * FROM finish();
ROLLBACK;
