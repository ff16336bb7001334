-- Bad input, systematically: every SQL-callable function and aggregate of
-- the extension is called with NULLs, empty and huge strings, extreme
-- dates and timestamps (-infinity, infinity, 4713 BC, 294276 AD and the
-- date maximum), extreme numbers (0, -1, integer limits, NaN, +-Infinity,
-- the largest and smallest doubles), extreme intervals and arrays with
-- NULL elements, one argument at a time, the others sensible.  Each call
-- must return or raise a proper error: never an internal error (XX000), a
-- system error, a bare RAISE (P0001) or a lost connection.
-- Every call runs in a subtransaction that is rolled back.
\ir ../include/preamble.sql
SET LOCAL search_path = public, iso27001;
SET LOCAL client_min_messages = warning;

-- fixtures the sensible values name
DO $$
BEGIN
	PERFORM create_scope('acme');
	PERFORM soa_set('acme', 'A.6.3', 'applicable, implemented (risk treatment)', 'RA-1.');
	PERFORM create_scope('legacy', 2013);
	INSERT INTO certificate VALUES (soa_scope_id('acme'), '2025-03-14', 'C-1', 'CB');
	INSERT INTO internal_audit_programme (scope_id, programme_id, period_start) VALUES (soa_scope_id('acme'), 'IAP-1', '2025-03-14');
	CREATE ROLE iso27001_bad_input_reader NOLOGIN;
	INSERT INTO behaviour_observation (scope_id, metric, observed_at, events, trials)
	SELECT soa_scope_id('acme'), 'phishing_click_rate', '2025-01-06'::timestamptz + i * interval '7 days', 20 - i, 100
	  FROM generate_series(0, 9) i;
END $$;

-- a sensible value for an argument, by name first, then by type
CREATE FUNCTION pg_temp.good(argname text, argtype regtype) RETURNS text
LANGUAGE sql AS $$
	SELECT coalesce(
		CASE argname
			WHEN 'scope' THEN quote_literal('acme')
			WHEN 'from_scope' THEN quote_literal('legacy')
			WHEN 'to_scope' THEN quote_literal('fresh')
			WHEN 'metric' THEN quote_literal('phishing_click_rate')
			WHEN 'cohort' THEN quote_literal('')
			WHEN 'better' THEN quote_literal('lower')
			WHEN 'control' THEN quote_literal('A.5.1')
			WHEN 'key' THEN quote_literal('ORG-1')
			WHEN 'entry' THEN quote_literal('excluded')
			WHEN 'expiry_rule' THEN quote_literal('day_before')
			WHEN 'first_surveillance_anchor' THEN quote_literal('decision')
			WHEN 'rounding' THEN quote_literal('up')
			WHEN 'events_query' THEN quote_literal($q$SELECT 'surveillance', date '2026-03-01'$q$)
			WHEN 'link' THEN quote_literal('https://evidence.example/1')
			WHEN 'edition' THEN '2022'
			WHEN 'version' THEN '1'
			WHEN 'alpha' THEN '0.05'
			WHEN 'level' THEN '0.95'
			WHEN 'width' THEN '800'
			WHEN 'height' THEN '450'
			WHEN 'persons' THEN '450'
			WHEN 'cycles' THEN '2'
			WHEN 'unit' THEN quote_literal('1 month')
			WHEN 'reader' THEN quote_literal('iso27001_bad_input_reader')
			WHEN 'auditor' THEN quote_literal('iso27001_bad_input_reader')
			ELSE NULL END,
		CASE argtype
			WHEN 'text'::regtype THEN quote_literal('some text')
			WHEN 'cstring'::regtype THEN quote_literal('A.5.1')
			WHEN 'integer'::regtype THEN '3'
			WHEN 'bigint'::regtype THEN '3'
			WHEN 'double precision'::regtype THEN '0.5'
			WHEN 'boolean'::regtype THEN 'true'
			WHEN 'date'::regtype THEN quote_literal('2025-03-14')
			WHEN 'timestamptz'::regtype THEN quote_literal('2025-03-14 12:00+00')
			WHEN 'interval'::regtype THEN quote_literal('1 month')
			WHEN 'uuid'::regtype THEN quote_literal('6ba7b810-9dad-11d1-80b4-00c04fd430c8')
			WHEN 'bytea'::regtype THEN quote_literal('\x00000001')
			WHEN 'xid'::regtype THEN quote_literal('3')
			WHEN 'text[]'::regtype THEN quote_literal('{https://e/1}')
			WHEN 'integer[]'::regtype THEN quote_literal('{10,20}')
			WHEN 'bigint[]'::regtype THEN quote_literal('{5,4,3,2}')
			WHEN 'double precision[]'::regtype THEN quote_literal('{1,2,3,4}')
			WHEN 'date[]'::regtype THEN quote_literal('{2028-02-01}')
			WHEN 'bit varying'::regtype THEN 'annex_a_bits(''{A.5.1,A.8.34}'')'
			WHEN 'iso27001.iso_control'::regtype THEN quote_literal('A.5.1')
			WHEN 'iso27001.soa_entry'::regtype THEN quote_literal('applicable, planned (legal)')
			WHEN 'iso27001.certification_event[]'::regtype
				THEN quote_literal('{"(surveillance,2026-03-01)"}')
			WHEN 'iso27001.trend_ols'::regtype
				THEN '(SELECT trend_ols_agg(y, x) FROM (VALUES (1.0, 1.0), (2.0, 2.5), (3.0, 2.9)) v(y, x))'
			WHEN 'iso27001.trend_rate'::regtype
				THEN '(SELECT trend_rate_agg(e, n, x) FROM (VALUES (5::bigint, 10::bigint, 1.0), (4, 10, 2.0), (2, 10, 3.0)) v(e, n, x))'
			WHEN 'iso27001.trend_robust'::regtype
				THEN '(SELECT trend_robust_agg(y, x) FROM (VALUES (1.0, 1.0), (2.0, 2.5), (3.0, 2.9)) v(y, x))'
			WHEN 'iso27001.trend_robust[]'::regtype
				THEN 'ARRAY[(SELECT trend_robust_agg(y, x) FROM (VALUES (1.0, 1.0), (2.0, 2.5), (3.0, 2.9)) v(y, x))]'
			WHEN 'iso27001.trend_rate[]'::regtype
				THEN '(SELECT array_agg(s) FROM (SELECT trend_rate_agg(e, 10, x) s FROM (VALUES (1, 5::bigint, 1.0), (1, 4, 2.0), (1, 2, 3.0), (1, 3, 4.0), (1, 1, 5.0), (2, 8, 1.0), (2, 9, 2.0), (2, 7, 3.0), (2, 6, 4.0), (2, 6, 5.0)) v(g, e, x) GROUP BY g) q)'
			END) || '::' || argtype::text
$$;

-- the bad values of a type
CREATE FUNCTION pg_temp.bad(argtype regtype) RETURNS SETOF text
LANGUAGE sql AS $$
	SELECT v || '::' || argtype::text FROM unnest(CASE argtype
		WHEN 'text'::regtype THEN ARRAY['NULL', $v$''$v$, $v$' '$v$, 'repeat(''x'', 100000)',
										$v$E'<\u00e9>&"'''$v$, $v$'A.5.1'$v$]
		WHEN 'cstring'::regtype THEN ARRAY['NULL', $v$''$v$, $v$'('$v$, 'repeat(''9'', 10000)']
		WHEN 'integer'::regtype THEN ARRAY['NULL', '0', '-1', '2147483647', '(-2147483647 - 1)']
		WHEN 'bigint'::regtype THEN ARRAY['NULL', '0', '-1', '9223372036854775807', '(-9223372036854775807 - 1)']
		WHEN 'double precision'::regtype THEN ARRAY['NULL', '0', '-1', $v$'NaN'$v$, $v$'Infinity'$v$,
													$v$'-Infinity'$v$, '1e308', '5e-324']
		WHEN 'boolean'::regtype THEN ARRAY['NULL']
		WHEN 'date'::regtype THEN ARRAY['NULL', $v$'-infinity'$v$, $v$'infinity'$v$, $v$'4713-01-01 BC'$v$,
										$v$'294276-12-31'$v$, $v$'5874897-12-31'$v$]
		WHEN 'timestamptz'::regtype THEN ARRAY['NULL', $v$'-infinity'$v$, $v$'infinity'$v$,
											   $v$'4713-01-01 00:00+00 BC'$v$, $v$'294276-12-31 23:59:59+00'$v$]
		WHEN 'interval'::regtype THEN ARRAY['NULL', $v$'0'$v$, $v$'-1 month'$v$, $v$'1 microsecond'$v$,
											$v$'178000000 years'$v$, $v$'-178000000 years'$v$]
		WHEN 'uuid'::regtype THEN ARRAY['NULL', $v$'00000000-0000-0000-0000-000000000000'$v$]
		WHEN 'bytea'::regtype THEN ARRAY['NULL', $v$''$v$, $v$'\xffffffff'$v$, $v$'\x00'$v$]
		WHEN 'xid'::regtype THEN ARRAY['NULL', $v$'0'$v$]
		WHEN 'regrole'::regtype THEN ARRAY['NULL', $v$'pg_monitor'$v$, $v$'pg_database_owner'$v$]
		WHEN 'text[]'::regtype THEN ARRAY['NULL', $v$'{}'$v$, $v$'{NULL}'$v$, $v$'{a,NULL}'$v$, $v$'{{a,b},{c,d}}'$v$]
		WHEN 'integer[]'::regtype THEN ARRAY['NULL', $v$'{}'$v$, $v$'{NULL}'$v$, $v$'{1,NULL}'$v$, $v$'{0,-1}'$v$,
											 $v$'{2147483647,2147483647}'$v$, $v$'{{1,2},{3,4}}'$v$]
		WHEN 'bigint[]'::regtype THEN ARRAY['NULL', $v$'{}'$v$, $v$'{NULL}'$v$, $v$'{1,NULL,3}'$v$, $v$'{-1,0,1}'$v$,
											$v$'{9223372036854775807,1,2}'$v$, $v$'{{1,2},{3,4}}'$v$]
		WHEN 'double precision[]'::regtype THEN ARRAY['NULL', $v$'{}'$v$, $v$'{NULL}'$v$, $v$'{1,NULL,3}'$v$,
													  $v$'{NaN,1,2}'$v$, $v$'{Infinity,-Infinity,0}'$v$,
													  $v$'{1e308,-1e308,0}'$v$, $v$'{{1,2},{3,4}}'$v$]
		WHEN 'date[]'::regtype THEN ARRAY['NULL', $v$'{}'$v$, $v$'{NULL}'$v$, $v$'{infinity,-infinity}'$v$]
		WHEN 'bit varying'::regtype THEN ARRAY['NULL', $v$''$v$, $v$'1'$v$, 'repeat(''1'', 208)::varbit',
											   'repeat(''1'', 207)::varbit']
		WHEN 'iso27001.iso_control'::regtype THEN ARRAY['NULL', $v$'A.5.37'$v$, $v$'A.18.2.3'$v$]
		WHEN 'iso27001.soa_entry'::regtype THEN ARRAY['NULL', $v$'excluded'$v$]
		WHEN 'iso27001.certification_event[]'::regtype
			THEN ARRAY['NULL', $v$'{}'$v$, $v$'{NULL}'$v$, $v$'{"(,)"}'$v$, $v$'{"(surveillance,)"}'$v$,
					   $v$'{"(nonsense,2026-01-01)"}'$v$, $v$'{"(surveillance,infinity)"}'$v$,
					   $v$'{"(surveillance,4713-01-01 BC)"}'$v$]
		WHEN 'iso27001.trend_ols'::regtype
			THEN ARRAY['NULL', '(SELECT trend_ols_agg(y, x) FROM (VALUES (1.0, 1.0)) v(y, x))',
					   $v$(SELECT trend_ols_agg(y, x) FROM (VALUES (1.0, 1.0), ('NaN', 2.0), (3.0, 'Infinity')) v(y, x))$v$,
					   '(SELECT trend_ols_agg(1e300, x) FROM (VALUES (1.0), (1e300)) v(x))']
		WHEN 'iso27001.trend_rate'::regtype
			THEN ARRAY['NULL', '(SELECT trend_rate_agg(0, 10, 1.0))',
					   '(SELECT trend_rate_agg(e, 10, x) FROM (VALUES (0::bigint, 1.0), (0, 2.0)) v(e, x))',
					   '(SELECT trend_rate_agg(e, 10, x) FROM (VALUES (10::bigint, 1.0), (10, 2.0)) v(e, x))']
		WHEN 'iso27001.trend_robust'::regtype
			THEN ARRAY['NULL', '(SELECT trend_robust_agg(1.0, 1.0))',
					   '(SELECT trend_robust_agg(1.0, x) FROM generate_series(1, 3) x)',
					   '(SELECT trend_robust_agg(y, 1.0) FROM generate_series(1, 3) y)']
		WHEN 'iso27001.trend_robust[]'::regtype
			THEN ARRAY['NULL', $v$'{}'$v$, 'ARRAY[NULL]', 'ARRAY[(SELECT trend_robust_agg(1.0, 1.0))]']
		WHEN 'iso27001.trend_rate[]'::regtype
			THEN ARRAY['NULL', $v$'{}'$v$, 'ARRAY[NULL]', 'ARRAY[(SELECT trend_rate_agg(0, 10, 1.0))]',
					   '(SELECT array_agg(s) FROM (SELECT trend_rate_agg(e, 10, x) s FROM (VALUES (10::bigint, 1.0), (10, 2.0), (10, 3.0), (10, 4.0), (10, 5.0)) v(e, x)) q)',
					   '(SELECT array_agg(s) FROM (SELECT trend_rate_agg(e, 10, 1.0) s FROM generate_series(1, 6) e) q)']
		END) v
$$;

-- every call: its SQL text and the SQLSTATE it ended with (00000 for a result)
CREATE TEMP TABLE outcome (fn text, call text, state text, message text);
CREATE FUNCTION pg_temp.try(fn text, sql text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	st text;
	msg text;
BEGIN
	BEGIN
		EXECUTE sql;
		RAISE EXCEPTION 'rolled back' USING ERRCODE = 'P0099';
	EXCEPTION WHEN OTHERS THEN
		GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
	END;
	INSERT INTO outcome VALUES (fn, left(sql, 300), CASE st WHEN 'P0099' THEN '00000' ELSE st END, left(msg, 200));
END $$;

-- the functions that can be called from SQL: no internal, trigger or
-- event-trigger argument or result, no aggregate (below)
CREATE TEMP VIEW callable AS
SELECT p.oid, p.oid::regprocedure::text AS fn, p.proname, p.proretset,
	   ARRAY(SELECT unnest(p.proargtypes::regtype[])) AS types,
	   coalesce(p.proargnames[1:p.pronargs], array_fill(NULL::text, ARRAY[p.pronargs])) AS names
  FROM pg_proc p
  JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
  JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'iso27001'
 WHERE p.prokind = 'f'
   AND NOT ('internal'::regtype = ANY (p.proargtypes::regtype[]))
   AND p.prorettype NOT IN ('internal'::regtype, 'trigger'::regtype, 'event_trigger'::regtype);

-- a call that ran away would stop the whole run (the limit is generous
-- for runs under valgrind)
SET LOCAL statement_timeout = '60min';
DO $$
DECLARE
	f record;
	i integer;
	v text;
	args text[];
	call text;
BEGIN
	FOR f IN SELECT * FROM callable ORDER BY fn LOOP
		FOR i IN 0 .. coalesce(array_length(f.types, 1), 0) LOOP
			FOR v IN SELECT * FROM pg_temp.bad(f.types[i]) UNION ALL SELECT NULL WHERE i = 0 LOOP
				SELECT array_agg(CASE WHEN k = i THEN v ELSE pg_temp.good(f.names[k], f.types[k]) END ORDER BY k)
				  INTO args FROM generate_subscripts(f.types, 1) k;
				call := format('%s(%s)', f.oid::regproc, array_to_string(args, ', '));
				IF f.proretset THEN
					call := format('SELECT count(x::text) FROM %s x', call);
				ELSE
					call := format('SELECT (%s)::text', call);
				END IF;
				PERFORM pg_temp.try(f.fn, call);
			END LOOP;
		END LOOP;
	END LOOP;
END $$;

-- aggregates: each argument bad in one of the rows aggregated
DO $$
DECLARE
	a record;
	i integer;
	v text;
	cols text[];
BEGIN
	FOR a IN SELECT p.oid, p.oid::regprocedure::text AS fn, ARRAY(SELECT unnest(p.proargtypes::regtype[])) AS types,
					coalesce(p.proargnames[1:p.pronargs], array_fill(NULL::text, ARRAY[p.pronargs])) AS names
			   FROM pg_proc p
			   JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
			   JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'iso27001'
			  WHERE p.prokind = 'a' ORDER BY 2 LOOP
		FOR i IN 1 .. array_length(a.types, 1) LOOP
			FOR v IN SELECT * FROM pg_temp.bad(a.types[i]) LOOP
				SELECT array_agg(format('c%s', k) ORDER BY k) INTO cols FROM generate_subscripts(a.types, 1) k;
				PERFORM pg_temp.try(a.fn, format(
					'SELECT (%s(%s))::text FROM (SELECT %s UNION ALL SELECT %s UNION ALL SELECT %s) r(%s)',
					a.oid::regproc, array_to_string(cols, ', '),
					(SELECT string_agg(pg_temp.good(a.names[k], a.types[k]), ', ' ORDER BY k) FROM generate_subscripts(a.types, 1) k),
					(SELECT string_agg(CASE WHEN k = i THEN v ELSE pg_temp.good(a.names[k], a.types[k]) END, ', ' ORDER BY k)
					   FROM generate_subscripts(a.types, 1) k),
					(SELECT string_agg(replace(pg_temp.good(a.names[k], a.types[k]), '3', '7'), ', ' ORDER BY k)
					   FROM generate_subscripts(a.types, 1) k),
					array_to_string(cols, ', ')));
			END LOOP;
		END LOOP;
	END LOOP;
END $$;
RESET statement_timeout;

SELECT plan(4);
SELECT cmp_ok((SELECT count(DISTINCT fn) FROM outcome), '>=', 150::bigint,
			  format('every callable function and aggregate was called (%s of them, %s calls, %s returned)',
					 (SELECT count(DISTINCT fn) FROM outcome), (SELECT count(*) FROM outcome),
					 (SELECT count(*) FROM outcome WHERE state = '00000')));
SELECT is_empty($$SELECT fn, call, state, message FROM outcome WHERE state LIKE 'XX%' OR state LIKE '58%'$$,
				'no internal or system error');
SELECT is_empty($$SELECT fn, call, message FROM outcome WHERE state = 'P0001'$$,
				'no error without a SQLSTATE of its own (a bare RAISE)');
-- the harness itself: a call it built wrong would prove nothing
-- (but a query text given as an argument may have a syntax error: 42601)
SELECT is_empty($$SELECT fn, call, state, message FROM outcome
				   WHERE state LIKE '42%' AND state <> '42501'
					 AND NOT (fn LIKE 'certification_cycle_check_query(%' AND state = '42601')$$,
				'every call was well formed (no syntax, type or undefined-function error)');

SELECT * FROM finish();
ROLLBACK;
