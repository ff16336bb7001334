-- certification_cycle_check_query: the caller's query runs read-only as a
-- whole (nested functions included), everything it did is undone (settings,
-- temporary tables), data-modifying statements are refused with a clear
-- message, and its rows are read in batches (README, "Certification
-- cycle"; docs/certification_cycle.md §5.1).
\ir ../include/preamble.sql
SET LOCAL search_path = public, iso27001;

DO $$
BEGIN
	PERFORM iso27001.create_scope('acme');
	UPDATE iso27001.soa_register SET entry = 'applicable, implemented (risk treatment)',
		   justification = 'Risk assessment RA-1.', evidence = '{https://e/1}';
	PERFORM pg_catalog.set_config('iso27001_test.marker', 'before', false);
END $$;

-- an audit history (the worked example of cycle_rules.sql: one finding,
-- no surveillance in 2025)
CREATE TABLE public.cq_audit (certificate int, kind text, held_on date);
INSERT INTO public.cq_audit VALUES (1, 'surveillance', '2024-12-10'), (1, 'surveillance', '2026-01-20'),
	(1, 'recertification_audit', '2026-11-10');
CREATE SEQUENCE public.cq_seq;
CREATE TEMP TABLE cq_scratch (n int);

-- volatile functions a query could call
CREATE FUNCTION public.cq_write() RETURNS text LANGUAGE plpgsql VOLATILE AS $$
BEGIN
	INSERT INTO public.cq_audit VALUES (9, 'surveillance', '2024-12-10');
	RETURN 'surveillance';
END $$;
CREATE FUNCTION public.cq_tamper() RETURNS text LANGUAGE plpgsql VOLATILE AS $$
BEGIN
	PERFORM iso27001.soa_set('acme', 'A.5.1', 'excluded', 'Changed from inside a history query.');
	PERFORM iso27001.soa_approve('acme', 'mallory');
	RETURN 'surveillance';
END $$;
CREATE FUNCTION public.cq_temp_write() RETURNS text LANGUAGE plpgsql VOLATILE AS $$
BEGIN
	INSERT INTO cq_scratch VALUES (1);
	RETURN 'surveillance';
END $$;
CREATE FUNCTION public.cq_catch_write() RETURNS text LANGUAGE plpgsql VOLATILE AS $$
BEGIN
	INSERT INTO public.cq_audit VALUES (9, 'surveillance', '2024-12-10');
	RETURN 'surveillance';
EXCEPTION WHEN read_only_sql_transaction THEN
	RETURN 'surveillance';
END $$;
-- the SQLSTATE of a call caught by a PL/pgSQL exception block, or 'ok';
-- the row it writes first is undone with the block's subtransaction
CREATE FUNCTION pg_temp.cq_caught(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO cq_scratch VALUES (-1);
	PERFORM * FROM iso27001.certification_cycle_check_query('2024-01-05', events_query => q);
	RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE;
END $$;

SET LOCAL work_mem = '4MB';

SELECT count(*) AS history_rows FROM iso27001.soa_history \gset

SELECT plan(33);

-- a normal query: the finding of the worked example
SELECT results_eq(
	$$SELECT rule, on_date FROM certification_cycle_check_query('2024-01-05',
		events_query => 'SELECT kind, held_on FROM cq_audit WHERE certificate = 1')$$,
	$$VALUES ('SURVEILLANCE_EVERY_CALENDAR_YEAR', '2025-12-31'::date)$$,
	'a read-only query gives the finding of the worked example');

-- writes in a volatile function inside the query
SELECT throws_ok($$SELECT * FROM certification_cycle_check_query('2024-01-05',
					events_query => 'SELECT cq_write(), DATE ''2024-12-10''')$$,
				 '25006', 'cannot execute INSERT in a read-only transaction',
				 'an INSERT in a volatile function called by the query is refused (25006)');
SELECT is((SELECT count(*) FROM cq_audit), 3::bigint, '... and the table is unchanged');
SELECT throws_ok($$SELECT * FROM certification_cycle_check_query('2024-01-05',
					events_query => 'SELECT cq_tamper(), DATE ''2024-12-10''')$$,
				 '25006', 'cannot execute INSERT in a read-only transaction',
				 'soa_set (INSERT ... ON CONFLICT) and soa_approve called by the query are refused (25006)');
SELECT is((SELECT entry::text || ' / ' || justification FROM soa_register r JOIN soa_scope s USING (scope_id)
			WHERE s.name = 'acme' AND r.control = 'A.5.1'),
		  'applicable, implemented (risk treatment) / Risk assessment RA-1.', '... the SoA entry is unchanged');
SELECT is((SELECT count(*) FROM soa_version), 0::bigint, '... and no version was approved');
SELECT is((SELECT count(*) FROM soa_history), :history_rows::bigint, '... nor its history');
SELECT throws_ok($$SELECT * FROM certification_cycle_check_query('2024-01-05',
					events_query => 'SELECT ''surveillance'', DATE ''2024-12-10'' FROM (SELECT nextval(''cq_seq'')) s')$$,
				 '25006', 'cannot execute nextval() in a read-only transaction',
				 'nextval() of a sequence is refused (25006)');
SELECT results_eq($$SELECT rule FROM certification_cycle_check_query('2024-01-05',
					events_query => 'SELECT cq_catch_write(), DATE ''2024-12-10''
									 UNION ALL SELECT kind, held_on FROM cq_audit WHERE certificate = 1')$$,
				  $$VALUES ('SURVEILLANCE_EVERY_CALENDAR_YEAR')$$,
				  'a function that catches its refused write goes on (its event is read)');
SELECT is((SELECT count(*) FROM cq_audit), 3::bigint, '... and has written nothing');

-- no way back to read-write inside the query
SELECT throws_ok($$SELECT * FROM certification_cycle_check_query('2024-01-05',
					events_query => 'SELECT ''surveillance'', DATE ''2024-12-10''
									   FROM (SELECT set_config(''transaction_read_only'', ''off'', false)) s')$$,
				 '25001', 'cannot set transaction read-write mode inside a read-only transaction',
				 'the query cannot turn transaction_read_only off (25001)');

-- everything the query did is undone
SELECT results_eq($$SELECT count(*) FROM certification_cycle_check_query('2024-01-05',
					events_query => 'SELECT kind, held_on
									   FROM cq_audit, (SELECT set_config(''iso27001_test.marker'', ''changed'', false),
															  set_config(''work_mem'', ''64MB'', false)) s
									  WHERE certificate = 1')$$,
				  $$VALUES (1::bigint)$$,
				  'set_config(..., false) inside the query: the call succeeds (one finding: no surveillance in 2025)');
SELECT is(current_setting('iso27001_test.marker'), 'before', '... and a custom setting is as before');
SELECT is(current_setting('work_mem'), '4MB', '... work_mem is as before');
-- (read before pgTAP needs its search_path again)
SELECT pg_catalog.current_setting('search_path') AS path_after, c.n AS path_findings
  FROM (SELECT pg_catalog.count(*) AS n
		  FROM iso27001.certification_cycle_check_query('2024-01-05',
				events_query => 'SELECT kind, held_on
								   FROM public.cq_audit, (SELECT set_config(''search_path'', ''pg_catalog'', false)) s
								  WHERE certificate = 1')) c \gset
SET LOCAL search_path = public, iso27001;
SELECT is(:'path_after' || ' / ' || :path_findings, 'public, iso27001 / 1',
		  'set_config(''search_path'', ..., false) inside the query: one finding, and search_path is as before');
SELECT results_eq($$SELECT count(*) FROM certification_cycle_check_query('2024-01-05',
					events_query => 'SELECT kind, held_on FROM cq_audit WHERE certificate = 1 AND cq_temp_write() IS NOT NULL')$$,
				  $$VALUES (1::bigint)$$,
				  'a write to a temporary table (which a read-only transaction allows) succeeds ...');
SELECT is((SELECT count(*) FROM cq_scratch), 0::bigint, '... and is rolled back');

-- the caller's transaction after the call
SELECT is(current_setting('transaction_read_only'), 'off', 'the caller''s transaction is read-write after a call');
SELECT is(pg_temp.cq_caught('SELECT cq_write(), DATE ''2024-12-10'''), '25006',
		  'a refused write caught by the caller''s exception block');
SELECT is((SELECT count(*) FROM cq_scratch WHERE n = -1), 0::bigint,
		  '... rolls back the block''s own subtransaction (the row it wrote first is gone)');
SELECT is(current_setting('transaction_read_only'), 'off', '... leaves the transaction read-write');
SELECT lives_ok($$INSERT INTO cq_scratch VALUES (2); DELETE FROM cq_scratch$$, '... and writable');
SELECT is(pg_temp.cq_caught('SELECT ''audit'', DATE ''2024-12-10'''), '22023',
		  'an unknown kind caught by the caller''s exception block');
SELECT is(pg_temp.cq_caught('SELECT kind, held_on FROM cq_audit'), 'ok', '... and the next call works');

-- data-modifying statements: refused before they run, with a message saying why
SELECT throws_ok($$SELECT * FROM certification_cycle_check_query('2024-01-05', events_query =>
					'WITH d AS (DELETE FROM cq_audit RETURNING kind, held_on) SELECT * FROM d')$$,
				 '25006', 'events_query must be read-only',
				 'a data-modifying WITH is refused (25006)');
SELECT throws_ok($$SELECT * FROM certification_cycle_check_query('2024-01-05', events_query =>
					'DELETE FROM cq_audit RETURNING kind, held_on')$$,
				 '25006', 'events_query must be read-only',
				 'a DELETE ... RETURNING is refused (25006)');
SELECT throws_ok($$SELECT * FROM certification_cycle_check_query('2024-01-05', events_query =>
					'SELECT kind, held_on FROM cq_audit FOR UPDATE')$$,
				 '25006', 'events_query must be read-only',
				 'a SELECT ... FOR UPDATE is refused (25006)');
SELECT throws_ok($$SELECT * FROM certification_cycle_check_query('2024-01-05', events_query =>
					'SELECT kind, held_on FROM cq_audit WHERE EXISTS (SELECT FROM cq_audit FOR SHARE)')$$,
				 '25006', 'events_query must be read-only',
				 'a FOR SHARE in a subquery is refused (25006)');
SELECT throws_ok($$SELECT * FROM certification_cycle_check_query('2024-01-05', events_query =>
					'WITH d AS (DELETE FROM cq_scratch RETURNING ''surveillance''::text, DATE ''2024-12-10'') SELECT * FROM d')$$,
				 '25006', 'events_query must be read-only',
				 'a data-modifying WITH on a temporary table is refused too');
SELECT is((SELECT count(*) FROM cq_audit), 3::bigint, '... and the table is intact');
SELECT throws_ok($$SELECT * FROM certification_cycle_check_query('2024-01-05', events_query => 'SHOW work_mem')$$,
				 '22023', 'events_query must be one query that returns rows',
				 'a utility statement that returns rows (SHOW) is not a query');

-- many rows, read in batches
SELECT results_eq(
	$$SELECT rule, on_date FROM certification_cycle_check_query('2024-01-05',
		events_query => 'SELECT kind, held_on FROM cq_audit, generate_series(1, 66667) WHERE certificate = 1')$$,
	$$VALUES ('SURVEILLANCE_EVERY_CALENDAR_YEAR', '2025-12-31'::date)$$,
	'200,001 rows (each event 66,667 times): the finding of the three distinct events');
SELECT throws_ok($$SELECT * FROM certification_cycle_check_query('2024-01-05', events_query =>
					'SELECT CASE WHEN g = 30000 THEN ''audit'' ELSE ''surveillance'' END, DATE ''2024-12-10''
					   FROM generate_series(1, 30001) g')$$,
				 '22023', 'invalid event kind in events_query row[30000]: "audit"',
				 'rows are numbered across batches');

SELECT * FROM finish();
ROLLBACK;
