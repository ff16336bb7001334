-- The least-squares trend (trend_ols): every dataset of the trend vectors
-- (test/fixtures/trend_vectors/vectors.csv, computed in exact rational arithmetic
-- as docs/trend_statistics.md §9.3 describes) to 1e-12, PostgreSQL's own
-- regr_* results, Student t values in closed form, parallel plans, states
-- combined across anchors, window frames, and bad states.
\ir ../include/preamble.sql
SET LOCAL search_path = public, iso27001;

SELECT plan(46);

CREATE TEMP TABLE vectors (
	dataset text, x text, y text, ols_slope text, ols_intercept text, ols_r2 text,
	theil_sen_slope text, mk_s text, mk_vars text, mk_z text, mk_p_two_sided text, n text,
	kendall_tau_b text, mk_z_no_cc text, mk_p_no_cc text, mk_p_exact text, sen_ci95_low text,
	sen_ci95_high text, theil_sen_intercept_conover text, n_slopes text, description text);
\copy vectors FROM 'test/fixtures/trend_vectors/vectors.csv' WITH (FORMAT csv, HEADER true)

-- the points of each dataset, and its state over x
CREATE TEMP TABLE point AS
SELECT v.dataset, p.x, p.y, p.i
  FROM vectors v, unnest(v.x::float8[], v.y::float8[]) WITH ORDINALITY AS p(x, y, i);
CREATE TEMP TABLE state AS
SELECT dataset, trend_ols_agg(y, x) AS s FROM point GROUP BY dataset;

-- relative difference, 0 when both are equal (NULLs included)
CREATE FUNCTION pg_temp.rel(a float8, b float8) RETURNS float8 LANGUAGE sql AS $$
	SELECT CASE WHEN a IS NOT DISTINCT FROM b THEN 0
				ELSE abs(a - b) / greatest(abs(b), 1e-300) END
$$;

SELECT is((SELECT count(*) FROM state), 16::bigint, 'the 16 datasets of vectors.csv');
SELECT is_empty(
	$$SELECT v.dataset, slope(s.s), v.ols_slope FROM vectors v JOIN state s USING (dataset)
	   WHERE pg_temp.rel(slope(s.s), nullif(v.ols_slope, '')::float8) > 1e-12$$,
	'the slope of every dataset to 1e-12 (NULL for all x equal)');
SELECT is_empty(
	$$SELECT v.dataset, r2(s.s), v.ols_r2 FROM vectors v JOIN state s USING (dataset)
	   WHERE pg_temp.rel(r2(s.s), nullif(v.ols_r2, '')::float8) > 1e-12$$,
	'r2 of every dataset to 1e-12 (1 for constant y)');
SELECT is_empty(
	$$SELECT v.dataset, fitted_at(s.s, 0.0), v.ols_intercept FROM vectors v JOIN state s USING (dataset)
	   WHERE pg_temp.rel(fitted_at(s.s, 0.0), nullif(v.ols_intercept, '')::float8) > 1e-12$$,
	'the fitted value at x = 0 (the intercept) of every dataset to 1e-12');
SELECT is_empty(
	$$SELECT v.dataset, n(s.s), v.n FROM vectors v JOIN state s USING (dataset) WHERE n(s.s) <> v.n::bigint$$,
	'n of every dataset');

-- over time: x seconds after an anchor far from 1970, per second
SELECT is_empty(
	$$SELECT dataset, slope(s, '1 second'), ols_slope
		FROM (SELECT dataset, trend_ols_agg(y, '2024-06-01 12:00:00+00'::timestamptz + x * interval '1 second') AS s
				FROM point WHERE dataset NOT LIKE '%epoch%' GROUP BY dataset) q JOIN vectors USING (dataset)
	   WHERE pg_temp.rel(slope(s, '1 second'), nullif(ols_slope, '')::float8) > 1e-12$$,
	'over timestamps: the same slopes per second');
SELECT ok(pg_temp.rel(slope(trend_ols_agg(y, to_timestamp(x)), '1 second'), -2.532190032190032e-08) < 1e-12,
		  'epoch seconds as timestamps: -2.532190032190032e-08 per second (docs/trend_statistics.md §10.7)')
  FROM point WHERE dataset = 'decreasing_12wk_epoch_s';
SELECT results_eq(
	$$SELECT round(slope(s, '1 day')::numeric, 13), round(slope(s, '1 week')::numeric, 13),
			 round(slope(s, '1 month')::numeric, 10), round(slope(s, '365 days 6 hours')::numeric, 12),
			 round(slope(s, '1 year')::numeric, 12)
		FROM (SELECT trend_ols_agg(y, to_timestamp(x)) AS s FROM point WHERE dataset = 'decreasing_12wk_epoch_s') q$$,
	$$VALUES (-0.0021878121878::numeric, -0.0153146853147::numeric, -0.0665901661::numeric, -0.799098401598::numeric,
			  -0.799081993007::numeric)$$,
	'docs/trend_statistics.md §10.7: per day, week, Gregorian month (30.436875 days) and Julian year; a year is 365.2425 days (-0.0021878121878 x 365.2425)');
SELECT is(fitted_first(s), fitted_at(s, '2024-01-01 00:00:00+00'::timestamptz), 'the fitted value at the first observation')
  FROM (SELECT trend_ols_agg(y, to_timestamp(x)) AS s FROM point WHERE dataset = 'decreasing_12wk_epoch_s') q;
SELECT results_eq(
	$$SELECT first_time(s), last_time(s) FROM (SELECT trend_ols_agg(y, to_timestamp(x)) AS s
		FROM point WHERE dataset = 'decreasing_12wk_epoch_s') q$$,
	$$VALUES ('2024-01-01 00:00:00+00'::timestamptz, '2024-03-18 00:00:00+00'::timestamptz)$$,
	'first and last observation');

-- PostgreSQL's own regression numbers (aggregates.out) and regr_*
SELECT ok(pg_temp.rel(slope(s), 0.512750700441271) < 2e-15 AND pg_temp.rel(r2(s), 0.0194977982031803) < 2e-15,
		  'aggtest: regr_slope 0.512750700441271, regr_r2 0.0194977982031803 (15 digits)')
  FROM state WHERE dataset = 'pg_aggtest_float4';
SELECT is_empty(
	$$SELECT dataset FROM point WHERE dataset <> 'constant_y' GROUP BY dataset
	  HAVING pg_temp.rel(slope(trend_ols_agg(y, x)), regr_slope(y, x)) > 1e-12
		  OR pg_temp.rel(r2(trend_ols_agg(y, x)), regr_r2(y, x)) > 1e-12$$,
	'slope and r2 agree with regr_slope and regr_r2 on every dataset but constant y');
SELECT ok(slope(trend_ols_agg(y, x)) = 0 AND regr_slope(y, x) <> 0,
		  'constant y (0.2 six times): slope exactly 0, where regr_slope keeps a rounding error')
  FROM point WHERE dataset = 'constant_y';
SELECT results_eq(
	$$SELECT slope(trend_ols_agg(y, x)), r2(trend_ols_agg(y, x)) FROM (VALUES (1.0, 1.0), (2.0, 2.0), ('NaN', 3.0)) v(x, y)$$,
	$$SELECT regr_slope(y, x), regr_r2(y, x) FROM (VALUES (1.0, 1.0), (2.0, 2.0), ('NaN', 3.0)) v(x, y)$$,
	'NaN behaves as in regr_*');
SELECT results_eq(
	$$SELECT slope(trend_ols_agg(y, x)) FROM (VALUES (1.0, 1.0), (2.0, 'Infinity'), (3.0, 3.0)) v(x, y)$$,
	$$SELECT regr_slope(y, x) FROM (VALUES (1.0, 1.0), (2.0, 'Infinity'), (3.0, 3.0)) v(x, y)$$,
	'infinity behaves as in regr_*');
SELECT throws_ok($$SELECT trend_ols_agg(y, x) FROM (VALUES (1.0, 1e308), (2.0, -1e308), (3.0, 1e308)) v(x, y)$$,
				 '22003', NULL, 'finite values that overflow: an error, as in regr_*');

-- conventions: NULLs skipped, too few points, no distinct time
SELECT results_eq(
	$$SELECT n(s), slope(s) FROM (SELECT trend_ols_agg(y, x) s FROM (VALUES (1.0, 1.0), (NULL, 5.0), (2.0, NULL), (3.0, 3.0)) v(x, y)) q$$,
	$$VALUES (2::bigint, 1.0::float8)$$,
	'rows with a NULL are skipped');
SELECT results_eq(
	$$SELECT slope(s), slope_stderr(s), p_value(s) FROM (SELECT trend_ols_agg(1.0, 1.0) s) q$$,
	$$VALUES (NULL::float8, NULL::float8, NULL::float8)$$,
	'one point: no slope');
SELECT results_eq(
	$$SELECT slope(s), r2(s) FROM (SELECT trend_ols_agg(y, '2026-01-05'::timestamptz) s FROM generate_series(1, 5) y) q$$,
	$$VALUES (NULL::float8, NULL::float8)$$,
	'no distinct time: no slope');
SELECT ok(slope(s) IS NULL AND n(s) = 0, 'no rows: an empty state') FROM (SELECT trend_ols_agg(1.0, 1.0) s WHERE false) q;

-- Student t in 60-digit arithmetic (test/fixtures/student_t/reference.py,
-- mpmath): 56 states of 1 to 200,000,000 degrees of freedom and t from
-- 0.001 to 30.  Before the complement 1 - x was taken directly and the
-- log-gamma ratio and the continued fraction kept from cancelling, p was off
-- by up to 3.5e-8 (2,000,000 df, t = 0.001) and 1e-10 for t = 2 to 30
CREATE TEMP TABLE student_t (state text, t_value float8, p float8);
\copy student_t FROM 'test/fixtures/student_t/p_values.csv' WITH (FORMAT csv, HEADER true)
SELECT is((SELECT count(*) FROM student_t), 56::bigint, 'the Student t reference has 56 cases');
SELECT is_empty(
	$$SELECT state, t_value(state::trend_ols), t_value FROM student_t
	   WHERE pg_temp.rel(t_value(state::trend_ols), t_value) > 1e-15$$,
	'each reference state has the t the reference p was computed for');
SELECT is_empty(
	$$SELECT state, t_value, p_value(state::trend_ols), p FROM student_t
	   WHERE pg_temp.rel(p_value(state::trend_ols), p) > 1e-13$$,
	'p-values of 1 to 200,000,000 degrees of freedom to 1e-13 of the 60-digit reference');
SELECT ok(pg_temp.rel((slope_upper(state::trend_ols) - slope(state::trend_ols)) / slope_stderr(state::trend_ols),
					  1.9599758459667685132) < 1e-13,
		  'the 95 % critical t of 200,000 df: 1.9599758459667685 (60 digits)')
  FROM student_t WHERE state LIKE '(x,0,0,1,200002,%' LIMIT 1;

-- Student t: against closed forms for 1 and 2 degrees of freedom
CREATE TEMP TABLE t3 AS SELECT trend_ols_agg(y, x) AS s FROM (VALUES (0.0, 1.0), (1.0, 3.0), (2.0, 2.5)) v(x, y);
CREATE TEMP TABLE t4 AS SELECT trend_ols_agg(y, x) AS s FROM (VALUES (0.0, 1.0), (1.0, 3.0), (2.0, 2.5), (3.0, 4.2)) v(x, y);
SELECT ok(pg_temp.rel(p_value(s), 1 - 2 * atan(abs(t_value(s))) / pi()) < 1e-13,
		  'df = 1: p = 1 - 2 atan(|t|) / pi (Cauchy)') FROM t3;
SELECT ok(pg_temp.rel(p_value(s), 1 - abs(t_value(s)) / sqrt(t_value(s) ^ 2 + 2)) < 1e-13,
		  'df = 2: p = 1 - |t| / sqrt(t^2 + 2)') FROM t4;
SELECT ok(pg_temp.rel((slope_upper(s) - slope(s)) / slope_stderr(s), tan(0.95 * pi() / 2)) < 1e-12,
		  'df = 1: the 95 % interval is slope +- tan(0.475 pi) se = 12.7062047361747 se') FROM t3;
SELECT ok(pg_temp.rel((slope(s) - slope_lower(s, level => 0.9)) / slope_stderr(s), 0.9 * sqrt(2 / (1 - 0.81))) < 1e-12,
		  'df = 2: the 90 % interval is slope +- 0.9 sqrt(2 / 0.19) se') FROM t4;
SELECT results_eq(
	$$SELECT round(slope_stderr(s)::numeric, 9), round(t_value(s)::numeric, 3) FROM state WHERE dataset = 'decreasing_12wk'$$,
	$$VALUES (0.000805360::numeric, -19.016::numeric)$$,
	'docs/trend_statistics.md §10.1: slope standard error 0.000805360, t = -19.016 (df 10)');

-- parallel plans equal serial ones; states from different anchors combine
-- exactly (a regular table, rolled back: workers cannot read temporary ones)
CREATE FUNCTION pg_temp.plan_of(query text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	line text;
	result text := '';
BEGIN
	FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || query LOOP
		result := result || line || E'\n';
	END LOOP;
	RETURN result;
END $$;
CREATE TABLE public.trend_big (org int, t timestamptz, y float8);
CREATE VIEW big AS SELECT * FROM public.trend_big;
INSERT INTO public.trend_big SELECT g % 7, '2024-01-01'::timestamptz + g * interval '37 minutes', sin(g) + g * 1e-4
  FROM generate_series(1, 200000) g;
CREATE INDEX ON public.trend_big (org, t);
ANALYZE public.trend_big;
CREATE TEMP TABLE serial AS SELECT org, trend_ols_agg(y, t) s FROM big GROUP BY org;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
SELECT matches(pg_temp.plan_of('SELECT org, trend_ols_agg(y, t) FROM big GROUP BY org'),
			   'Gather.*Partial.*Aggregate', 'the grouped aggregate runs as partial aggregates under Gather');
CREATE TEMP TABLE parallel AS SELECT org, trend_ols_agg(y, t) s FROM big GROUP BY org;
SELECT is_empty(
	$$SELECT org FROM serial JOIN parallel p USING (org)
	   WHERE pg_temp.rel(slope(serial.s), slope(p.s)) > 1e-12 OR pg_temp.rel(p_value(serial.s), p_value(p.s)) > 1e-9
		  OR n(serial.s) <> n(p.s) OR first_time(serial.s) <> first_time(p.s)$$,
	'a parallel plan gives the serial results');
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
SELECT ok(pg_temp.rel((SELECT slope(rollup(s)) FROM (SELECT trend_ols_agg(y, t) s FROM big GROUP BY date_trunc('month', t)) q),
					  (SELECT slope(trend_ols_agg(y, t)) FROM big)) < 1e-12,
		  'rollup of monthly states anchored apart equals the whole');
SELECT is((trend_ols_combine('(empty,0,0,0,0,0,0,0,0,0,0,0)', s))::text, s::text, 'combining with an empty state (a worker that saw no rows)')
  FROM state WHERE dataset = 'noisy_52wk';

-- window frames: the moving aggregate against each frame computed afresh,
-- over 28,572 frames (the backward steps are bounded, see trend_ols.c)
SELECT is_empty(
	$$SELECT m.t FROM (SELECT t, slope(trend_ols_agg(y, t) OVER w, '1 week') a
						 FROM big WHERE org = 3 WINDOW w AS (ORDER BY t ROWS BETWEEN 11 PRECEDING AND CURRENT ROW)) m,
				LATERAL (SELECT slope(s, '1 week') c, slope_stderr(s, '1 week') se
						   FROM (SELECT trend_ols_agg(y, t) s FROM (SELECT * FROM big WHERE org = 3 AND t <= m.t
																	  ORDER BY t DESC LIMIT 12) f) g) f
	   WHERE m.a IS DISTINCT FROM f.c AND NOT abs(m.a - f.c) <= 1e-11 * (abs(f.c) + f.se)$$,
	'a rolling 12-row slope equals each frame''s to 1e-11 of (|slope| + its standard error)');

-- review findings: infinite first rows reload, timestamps too far apart, a report over x
SELECT lives_ok($$SELECT trend_ols_agg('Infinity'::float8, now())::text::trend_ols, trend_ols_agg(1, 'Infinity'::float8)::text::trend_ols$$,
				'a state whose first row is infinite reads back from its text');
SELECT throws_ok($$SELECT trend_ols_agg(y, t) FROM (VALUES (1::float8, '4713-01-01 BC'::timestamptz), (2, '294270-01-01')) v(y, t)$$,
				 '22008', NULL, 'timestamps more than 292,000 years apart: an error, not a wrong sign');
SELECT is((SELECT slope FROM trend_report((SELECT trend_ols_agg(y, x) FROM point WHERE dataset = 'decreasing_12wk'), 'lower')),
		  (SELECT slope(s) FROM state WHERE dataset = 'decreasing_12wk'), 'the report over a float8 x: the slope per x');

-- text and binary forms, and bad states
SELECT is(s::text::trend_ols::text, s::text, 'the text form round-trips') FROM state WHERE dataset = 'pg_aggtest_float4';
-- the binary form, and a corrupted one, through the receive function
\ir ../include/recv.sql
SELECT is(pg_temp.recv_as(trend_ols_send(s), 'trend_ols'), s::text, 'the binary form round-trips')
  FROM state WHERE dataset = 'pg_aggtest_float4';
SELECT throws_ok($$SELECT pg_temp.recv_as(overlay(trend_ols_send(s) placing '\xffffffff' from 5 for 4), 'trend_ols') FROM state WHERE dataset = 'noisy_52wk'$$,
				 '22P03', 'invalid trend_ols state', 'a corrupted binary state (an anchor on a trend over x) is refused');
SELECT throws_ok($$SELECT '(x,0,0,1,2,1,-1,2,0,0,NaN,NaN)'::trend_ols$$, '22P02', NULL, 'a negative sum of squares is refused');
SELECT throws_ok($$SELECT '(time,0,5,1,1,0,0,0,0,0,0,0)'::trend_ols$$, '22P02', NULL, 'a first time after the last is refused');
SELECT throws_ok($$SELECT '(empty,0,0,0,1,0,0,0,0,0,0,0)'::trend_ols$$, '22P02', NULL, 'an empty state with rows is refused');
SELECT throws_ok($$SELECT '(ols,0,0,0,1,0,0,0,0,0,0,0)'::trend_ols$$, '22P02', NULL, 'an unknown kind is refused');

-- The line's confidence interval at a time (docs/trend_statistics.md §3.10),
-- by hand: y = 1, 3, 2, 5, 4 on days 0-4; mean day 2, mean y 3, Sxx = 10,
-- Sxy = 8, slope 0.8 a day; residuals -0.4, 0.8, -1.0, 1.2, -0.6, RSS 3.6,
-- s^2 = 1.2; on day 6 the line is 3 + 0.8 * 4 = 6.2 with standard error
-- sqrt(1.2 (1/5 + 16/10)) = sqrt(2.16) and t(0.975, 3) = 3.182446305284263:
-- 6.2 -+ 4.677221749051216
CREATE TEMP TABLE proj AS
SELECT trend_ols_agg(y, timestamptz '2024-01-01 00:00+00' + d * interval '1 day') s
  FROM (VALUES (0, 1.0::float8), (1, 3.0), (2, 2.0), (3, 5.0), (4, 4.0)) v(d, y);
SELECT ok(abs(fitted_lower(s, '2024-01-07 00:00+00') - 1.522778250948785) < 1e-12
		  AND abs(fitted_upper(s, '2024-01-07 00:00+00') - 10.877221749051216) < 1e-12
		  AND abs(fitted_at(s, '2024-01-07 00:00+00'::timestamptz) - 6.2) < 1e-12,
		  'the line on day 6 and its 95 % interval, by hand: 6.2 -+ 4.6772') FROM proj;
SELECT results_eq($$SELECT status FROM proj, target_projection(s, 12, '2024-01-07 00:00+00', 'lower')
					UNION ALL SELECT status FROM proj, target_projection(s, 12, '2024-01-07 00:00+00', 'higher')
					UNION ALL SELECT status FROM proj, target_projection(s, 5, '2024-01-07 00:00+00', 'higher')
					UNION ALL SELECT status FROM proj, target_projection(s, 5, '2024-01-07 00:00+00', 'lower', 0.5)$$,
				  $$VALUES ('on track'), ('off track'), ('at risk'), ('off track')$$,
				  'against 12 (above the interval) on track if lower is better, off track if higher; against 5 at risk, but off track at level 0.5 (t = 0.7649: 5.08 to 7.32)');

SELECT * FROM finish();
ROLLBACK;
