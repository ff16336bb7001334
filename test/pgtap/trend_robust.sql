-- The robust trend (trend_robust): every dataset of the trend vectors
-- (test/fixtures/trend_vectors/vectors.csv: Sen's slope and 95 % interval, the
-- Conover intercept, Mann-Kendall S, var(S), z, p, exact p, tau-b; exact
-- arithmetic, scipy, R and pyMannKendall values reproduced by the reference
-- generator of docs/trend_statistics.md §9.3) to 1e-12, the many-points path against every
-- pair's slope listed in SQL, parallel plans, rollup, and bad input.
\ir ../include/preamble.sql
SET LOCAL search_path = public, iso27001;

SELECT plan(38);

CREATE TEMP TABLE vectors (
	dataset text, x text, y text, ols_slope text, ols_intercept text, ols_r2 text,
	theil_sen_slope text, mk_s text, mk_vars text, mk_z text, mk_p_two_sided text, n text,
	kendall_tau_b text, mk_z_no_cc text, mk_p_no_cc text, mk_p_exact text, sen_ci95_low text,
	sen_ci95_high text, theil_sen_intercept_conover text, n_slopes text, description text);
\copy vectors FROM 'test/fixtures/trend_vectors/vectors.csv' WITH (FORMAT csv, HEADER true)
CREATE TEMP TABLE point AS
SELECT v.dataset, p.x, p.y FROM vectors v, unnest(v.x::float8[], v.y::float8[]) AS p(x, y);
CREATE TEMP TABLE state AS SELECT dataset, trend_robust_agg(y, x) AS s FROM point GROUP BY dataset;
CREATE TEMP VIEW expected AS
SELECT dataset, nullif(theil_sen_slope, '')::float8 AS sen, nullif(sen_ci95_low, '')::float8 AS low,
	   nullif(sen_ci95_high, '')::float8 AS high, nullif(theil_sen_intercept_conover, '')::float8 AS intercept,
	   mk_s::bigint AS mk_s, mk_vars::float8 AS var_s, nullif(mk_z, '')::float8 AS z,
	   nullif(mk_p_two_sided, '')::float8 AS p, nullif(mk_p_exact, '')::float8 AS p_exact,
	   nullif(kendall_tau_b, '')::float8 AS tau_b, n::bigint AS n
  FROM vectors;

-- equal within 1e-12 relative, or 1e-15 absolute (expected 0, tiny p), NULLs included
CREATE FUNCTION pg_temp.close(a float8, b float8) RETURNS boolean LANGUAGE sql AS $$
	SELECT a IS NOT DISTINCT FROM b OR abs(a - b) <= greatest(1e-12 * abs(b), 1e-15)
$$;

SELECT is((SELECT count(*) FROM state), 16::bigint, 'the 16 datasets of vectors.csv');
SELECT is_empty($$SELECT dataset, slope(s), sen FROM state JOIN expected USING (dataset) WHERE NOT pg_temp.close(slope(s), sen)$$,
				'Sen''s slope of every dataset (NULL when every x is equal)');
SELECT is_empty($$SELECT dataset, slope_lower(s), low FROM state JOIN expected USING (dataset) WHERE NOT pg_temp.close(slope_lower(s), low)$$,
				'the lower bound of Sen''s 95 % interval of every dataset');
SELECT is_empty($$SELECT dataset, slope_upper(s), high FROM state JOIN expected USING (dataset) WHERE NOT pg_temp.close(slope_upper(s), high)$$,
				'the upper bound of Sen''s 95 % interval of every dataset');
SELECT is_empty($$SELECT dataset FROM state JOIN expected USING (dataset) WHERE NOT pg_temp.close(fitted_at(s, 0.0), intercept)$$,
				'the Conover intercept median(y) - slope median(x) of every dataset');
SELECT is_empty($$SELECT dataset, mk_s(s), mk_s FROM state JOIN expected e USING (dataset) WHERE mk_s(s) IS DISTINCT FROM e.mk_s$$,
				'Mann-Kendall S of every dataset, exactly');
SELECT is_empty($$SELECT dataset FROM state JOIN expected USING (dataset) WHERE NOT pg_temp.close(mk_var_s(s), var_s)$$,
				'var(S) with ties in time and y of every dataset');
SELECT is_empty($$SELECT dataset, mk_z(s), z FROM state JOIN expected USING (dataset) WHERE NOT pg_temp.close(mk_z(s), z)$$,
				'z with continuity correction of every dataset (NULL when var(S) = 0)');
SELECT is_empty($$SELECT dataset, mk_p(s), p FROM state JOIN expected USING (dataset) WHERE NOT pg_temp.close(mk_p(s), p)$$,
				'two-sided p of every dataset');
SELECT is_empty($$SELECT dataset, mk_p_exact(s), p_exact FROM state JOIN expected USING (dataset)
				   WHERE p_exact IS NOT NULL AND NOT pg_temp.close(mk_p_exact(s), p_exact)$$,
				'the exact p of every dataset without ties that has one');
SELECT is_empty($$SELECT dataset FROM state JOIN expected USING (dataset) WHERE NOT pg_temp.close(kendall_tau_b(s), tau_b)$$,
				'Kendall''s tau-b of every dataset');
SELECT is_empty($$SELECT dataset FROM state JOIN expected e USING (dataset) WHERE n(s) <> e.n$$, 'n of every dataset');
SELECT ok(pg_temp.close(mk_p_exact(s), 1.0 / 60), 'docs/trend_statistics.md §10.4: one inversion in 6 points, exact p = 2 (1 + 5) / 720')
  FROM state WHERE dataset = 'one_inversion_n6';
SELECT is(mk_p_exact(s), NULL::float8, 'no exact p with ties') FROM state WHERE dataset = 'ties_monthly_counts';

-- over timestamps: the same slope per day
SELECT ok(pg_temp.close(slope(trend_robust_agg(y, '2025-01-01'::timestamptz + x * interval '1 day'), '1 day'), -0.015000000000000001),
		  'decreasing_12wk over timestamps: Sen''s slope per day') FROM point WHERE dataset = 'decreasing_12wk';

-- many points (more pairs than are listed, 262,144): the selection path
-- against every pair's slope listed and ordered in SQL
CREATE TEMP TABLE many AS
SELECT g::float8 AS x, round((sin(g * 0.37) + g * 0.001)::numeric, 3)::float8 AS y FROM generate_series(1, 4100) g;
CREATE TEMP TABLE many_slopes AS
SELECT (b.y - a.y) / (b.x - a.x) AS slope FROM many a JOIN many b ON a.x < b.x;
SELECT ok(pg_temp.close(slope(trend_robust_agg(y, x)),
						(SELECT (min(slope) FILTER (WHERE r = c / 2 + 1) + max(slope) FILTER (WHERE r = (c + 1) / 2)) / 2
						   FROM (SELECT slope, row_number() OVER (ORDER BY slope) r, count(*) OVER () c FROM many_slopes) q)),
		  'Sen''s slope of 4,100 points (8,402,950 pairs) is the median of the slopes listed in SQL')
  FROM many;
SELECT ok(pg_temp.close(slope_lower(trend_robust_agg(y, x)),
						(SELECT slope FROM many_slopes ORDER BY slope
						  OFFSET (SELECT round((8402950 - 1.959963984540054 * sqrt(4100.0 * 4099 * 8205 / 18 - sum(u * (u - 1) * (2 * u + 5)) / 18.0)) / 2) - 1
									FROM (SELECT count(*) u FROM many GROUP BY y) t) LIMIT 1)),
		  '... and its lower bound is the slope of rank round((N - C) / 2)')
  FROM many;

-- the smallest selected (725 points, 262,450 pairs, just above the listing's
-- 262,144) against every pair listed in SQL
CREATE TEMP TABLE few AS
SELECT g::float8 AS x, round((sin(g * 0.37) * 3 + g * 0.002)::numeric, 1)::float8 AS y FROM generate_series(1, 725) g;
CREATE TEMP TABLE few_slopes AS
SELECT (b.y - a.y) / (b.x - a.x) AS slope, row_number() OVER (ORDER BY (b.y - a.y) / (b.x - a.x)) AS r
  FROM few a JOIN few b ON a.x < b.x;
SELECT ok(pg_temp.close(slope(s), (SELECT (min(slope) FILTER (WHERE r = 131225) + max(slope) FILTER (WHERE r = 131226)) / 2 FROM few_slopes))
		  AND pg_temp.close(slope_lower(s), (SELECT slope FROM few_slopes
											 WHERE r = round((262450 - 1.959963984540054 * sqrt(mk_var_s(s))) / 2)))
		  AND pg_temp.close(slope_upper(s), (SELECT slope FROM few_slopes
											 WHERE r = round((262450 + 1.959963984540054 * sqrt(mk_var_s(s))) / 2) + 1)),
		  'the smallest selection (725 points): Sen''s slope and its bounds are those of the slopes listed in SQL')
  FROM (SELECT trend_robust_agg(y, x) s FROM few) q;

-- a backend keeps what it selected: a state's accessors give the same
-- values whichever ran first (the same points, anchored a second apart)
CREATE TEMP TABLE kept AS
SELECT trend_robust_agg(round((sin(g * 0.61) * 4)::numeric)::float8 + g * 1e-4, '2025-01-01'::timestamptz + g * interval '1 hour') a,
	   trend_robust_agg(round((sin(g * 0.61) * 4)::numeric)::float8 + g * 1e-4, '2025-01-01'::timestamptz + g * interval '1 hour' + interval '1 second') b
  FROM generate_series(1, 30000) g;
CREATE TEMP TABLE kept_a AS SELECT slope_upper(a) u, slope_lower(a, NULL, 0.9) l90, slope(a) m, fitted_at(a, last_time(a)) f FROM kept;
CREATE TEMP TABLE kept_b AS SELECT slope(b) m, fitted_at(b, last_time(b)) f, slope_lower(b, NULL, 0.9) l90, slope_upper(b) u FROM kept;
SELECT ok((SELECT (a.u, a.l90, a.m) IS NOT DISTINCT FROM (b.u, b.l90, b.m) FROM kept_a a, kept_b b),
		  'Sen''s slope and its bounds do not depend on which accessor ran first');
SELECT ok((SELECT abs(a.f - b.f) < 1e-9 * abs(b.f) FROM kept_a a, kept_b b), '... nor the fitted line');

-- runs of equal slopes on the selection path: 20,000 points on a line
-- (199,990,000 pairs, all slope 1), and 20,000 zeros and ones
SELECT is(slope(trend_robust_agg(g::float8, g::float8)), 1.0::float8, 'a line of 20,000 points: Sen''s slope 1')
  FROM generate_series(1, 20000) g;
SELECT is(slope(trend_robust_agg((g % 7 = 0)::int::float8, g::float8))::text, '0', 'zeros and ones: Sen''s slope 0, not -0')
  FROM generate_series(1, 20000) g;

-- 200,000 hourly points of a weekly-like pattern and a trend, y = f(g mod 7)
-- + 0.001 g: runs of equal slopes (every pair 7k hours apart has slope
-- 0.001 an hour).  The state must not depend on the order rows arrive in
-- (its anchor was the first row's time: ORDER BY t DESC failed with 54000,
-- and parallel plans at random); the slope and its bounds are checked
-- against the exact order statistics of every pair's slope, computed in
-- SQL from the pattern: the pairs (i, i + d) with i = r (mod 7) all have
-- slope (f((r + d) mod 7) - f(r)) / d + 0.001, and there are
-- floor((200000 - d - r) / 7) (+ 1 for r > 0) of them.
CREATE TABLE public.robust_hourly AS
SELECT '2024-01-01'::timestamptz + g * interval '1 hour' AS t,
	   (ARRAY[0, 5, 1, 1, 2, 9, 3])[g % 7 + 1] + 0.001 * g AS y
  FROM generate_series(1, 200000) g;
ANALYZE public.robust_hourly;
CREATE TEMP TABLE hourly_state AS
SELECT (SELECT trend_robust_agg(y, t ORDER BY t) FROM public.robust_hourly) AS asc_,
	   (SELECT trend_robust_agg(y, t ORDER BY t DESC) FROM public.robust_hourly) AS desc_;
CREATE TEMP TABLE hourly_ranked AS
SELECT slope, sum(pairs) OVER (ORDER BY slope) AS upto
  FROM (SELECT (f[(r + d) % 7 + 1] - f[r + 1])::numeric / d + 0.001 AS slope,
			   floor((200000 - d - r) / 7.0) + (r > 0)::int AS pairs
		  FROM (SELECT ARRAY[0, 5, 1, 1, 2, 9, 3] AS f) v, generate_series(1, 199999) d,
			   generate_series(0, 6) r) q;
-- the slope of rank k (0-based) of all 19,999,900,000
CREATE FUNCTION pg_temp.hourly_kth(k numeric) RETURNS float8 LANGUAGE sql AS $$
	SELECT min(slope)::float8 FROM hourly_ranked WHERE upto > k
$$;
SELECT is(md5(desc_::text), md5(asc_::text), 'the same points in either order make the same state')
  FROM hourly_state;
SELECT ok(pg_temp.close(slope(asc_, '1 hour'), (pg_temp.hourly_kth(9999949999) + pg_temp.hourly_kth(9999950000)) / 2),
		  'runs of equal slopes: Sen''s slope of 200,000 hourly points is the median of every pair''s slope')
  FROM hourly_state;
SELECT is(slope(desc_, '1 hour'), slope(asc_, '1 hour'), '... whichever order the rows came in')
  FROM hourly_state;
SELECT ok(pg_temp.close(slope_lower(desc_, '1 hour'),
						pg_temp.hourly_kth(round((19999900000 - 1.959963984540054 * sqrt(mk_var_s(desc_))) / 2)::numeric - 1))
		  AND pg_temp.close(slope_upper(desc_, '1 hour'),
							pg_temp.hourly_kth(round((19999900000 + 1.959963984540054 * sqrt(mk_var_s(desc_))) / 2)::numeric)),
		  '... and its 95 % bounds are the slopes of ranks round((N -+ C) / 2) (+ 1)')
  FROM hourly_state;

-- parallel plans, rollup
CREATE TABLE public.robust_big (org int, t timestamptz, y float8);
INSERT INTO public.robust_big SELECT g % 4, '2024-01-01'::timestamptz + g * interval '1 hour', round((sin(g) + g * 1e-4)::numeric, 2)
  FROM generate_series(1, 40000) g;
ANALYZE public.robust_big;
CREATE TEMP TABLE serial AS SELECT org, trend_robust_agg(y, t) s FROM public.robust_big GROUP BY org;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
CREATE TEMP TABLE parallel AS SELECT org, trend_robust_agg(y, t) s FROM public.robust_big GROUP BY org;
SELECT is_empty($$SELECT org FROM serial JOIN parallel p USING (org)
				   WHERE serial.s::text <> p.s::text OR slope(serial.s) <> slope(p.s) OR mk_s(serial.s) <> mk_s(p.s)$$,
				'a parallel plan gives exactly the serial results');
SELECT is((SELECT md5(trend_robust_agg(y, t)::text) FROM public.robust_hourly),
		  (SELECT md5(asc_::text) FROM hourly_state),
		  'a parallel plan over the 200,000 hourly points makes the state of a serial one');
SELECT is((SELECT slope(trend_robust_agg(y, t), '1 hour') FROM public.robust_hourly),
		  (SELECT slope(asc_, '1 hour') FROM hourly_state), '... and its Sen''s slope');
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
SELECT is((SELECT rollup(s)::text FROM (SELECT trend_robust_agg(y, t) s FROM public.robust_big WHERE org = 1
											GROUP BY date_trunc('month', t)) q),
		  (SELECT trend_robust_agg(y, t)::text FROM public.robust_big WHERE org = 1),
		  'rollup of monthly results anchored apart equals the whole, point for point');

-- the binary form, and a corrupted one, through the receive function
\ir ../include/recv.sql
SELECT is(pg_temp.recv_as(trend_robust_send(s), 'trend_robust'), s::text, 'the binary form round-trips') FROM state WHERE dataset = 'duplicate_x';
SELECT throws_ok($$SELECT pg_temp.recv_as(overlay(trend_robust_send(s) placing '\x7fffffffffffffff' from 45 for 8), 'trend_robust') FROM state WHERE dataset = 'duplicate_x'$$,
				 '22P03', 'invalid trend_robust state', 'a corrupted binary state (a count beyond its bytes) is refused');

-- conventions and bad input
SELECT results_eq($$SELECT n(s), slope(s), mk_s(s) FROM (SELECT trend_robust_agg(y, x) s FROM (VALUES (1.0, 1.0), (NULL, 2.0), (2.0, NULL)) v(x, y)) q$$,
				  $$VALUES (1::bigint, NULL::float8, NULL::bigint)$$, 'rows with a NULL are skipped; one point: no slope, no S');
SELECT throws_ok($$SELECT trend_robust_agg(y, x) FROM (VALUES (1.0, 1.0), (2.0, 'NaN')) v(x, y)$$, '22023',
				 'a robust trend cannot rank a y that is NaN or infinite', 'NaN is refused');
SELECT throws_ok($$SELECT trend_robust_agg(1.0, x) FROM (VALUES ('Infinity'::float8)) v(x)$$, '22023',
				 'a robust trend cannot rank a x that is NaN or infinite', 'an infinite x is refused');
SELECT is(s::text::trend_robust::text, s::text, 'the text form round-trips') FROM state WHERE dataset = 'duplicate_x';
SELECT throws_ok($$SELECT '(x,0,0,11,2,{0,1,12,2})'::trend_robust$$, '22P02', NULL, 'a point outside the bounds is refused');
SELECT throws_ok($$SELECT '(x,0,0,11,3,{0,1,11,2})'::trend_robust$$, '22P02', NULL, 'fewer points than counted is refused');

SELECT * FROM finish();
ROLLBACK;
