-- Arithmetic on states (issue 15 item 4): counts that would overflow are
-- an error (22003), not a negative count; input refuses states that no
-- data can give (22P02 text, 22P03 binary), with the tolerance rounding
-- needs; whatever a state prints reads back.  Every expected value is
-- worked out by hand in the comments.
\ir ../include/preamble.sql
SET LOCAL search_path = public, iso27001;

SELECT plan(34);

-- ---- trend_ols: the row count ----

-- two states of 2^62 rows each (every x and y 0): 2^63 rows do not fit a bigint
SELECT throws_ok(
	$$SELECT rollup(s) FROM (VALUES ('(x,0,0,0,4611686018427387904,0,0,0,0,0,0,0)'::trend_ols),
									('(x,0,0,0,4611686018427387904,0,0,0,0,0,0,0)'::trend_ols)) v(s)$$,
	'22003', 'the number of rows of a trend_ols is out of range for bigint',
	'rollup of 2^62 + 2^62 rows: 22003, not n = -2^63');
-- 2^62 + (2^62 - 1) = 2^63 - 1 rows fit exactly, and read back
SELECT is(rollup(s)::text::trend_ols::text, '(x,0,0,0,9223372036854775807,0,0,0,0,0,0,0)',
		  'rollup to n = 2^63 - 1 (the largest bigint) reads back from its text')
  FROM (VALUES ('(x,0,0,0,4611686018427387904,0,0,0,0,0,0,0)'::trend_ols),
			   ('(x,0,0,0,4611686018427387903,0,0,0,0,0,0,0)'::trend_ols)) v(s);

-- ---- trend_ols: Cauchy-Schwarz ----

-- the rows (1,1), (2,2), (3,3): Sx = Sy = 6, Sxx = Syy = 2, Sxy = 2 = sqrt(2 * 2), a perfect line
SELECT is(trend_ols_agg(y, x)::text, '(x,0,1,3,3,6,2,6,2,2,NaN,NaN)', 'the perfect line (1,1), (2,2), (3,3) by hand')
  FROM (VALUES (1::float8, 1::float8), (2, 2), (3, 3)) v(y, x);
SELECT lives_ok($$SELECT '(x,0,1,3,3,6,2,6,2,2,NaN,NaN)'::trend_ols$$,
				'a perfect line, Sxy^2 = Sxx Syy exactly: accepted');
-- one unit in the last place above 2 (2 + 2^-51): rounding, inside the tolerance
-- 64 eps n (|mean x| + sqrt Sxx)(|mean y| + sqrt Syy) = 64 * 2^-52 * 3 * (2 + sqrt 2)^2 = 5.0e-13
SELECT lives_ok($$SELECT '(x,0,1,3,3,6,2,6,2,2.0000000000000004,NaN,NaN)'::trend_ols,
						 '(x,0,1,3,3,6,2,-6,2,-2.0000000000000004,NaN,NaN)'::trend_ols$$,
				'Sxy one ulp beyond sqrt(Sxx Syy), either sign: accepted (rounding)');
SELECT throws_ok($$SELECT '(x,0,1,3,3,6,2,6,2,2.000001,NaN,NaN)'::trend_ols$$, '22P02', NULL,
				 'Sxy = 2.000001 > sqrt(2 * 2) + 5.0e-13: refused');
-- the forged state gave p = 0 (a perfect fit) and a verdict
SELECT throws_ok($$SELECT p_value('(x,0,1,3,3,6,2,6,2,5,NaN,NaN)'::trend_ols)$$, '22P02', NULL,
				 '|Sxy| = 5 > sqrt(Sxx Syy) = 2: refused (was p = 0)');
SELECT throws_ok($$SELECT '(x,0,1,3,3,6,2,6,2,-5,NaN,NaN)'::trend_ols$$, '22P02', NULL,
				 'Sxy = -5 < -sqrt(Sxx Syy) = -2: refused');
-- a common x keeps Sxy exactly 0
SELECT throws_ok($$SELECT '(x,0,1,1,3,3,0,6,2,1e-300,1,NaN)'::trend_ols$$, '22P02', NULL,
				 'every x 1 (cx = 1) and Sxy = 1e-300: refused');

-- a perfect line far from 0 (x = 1e9 + i, y = 1e8 - 3.7 x), and one over time: real data read back
SELECT is(s::text::trend_ols::text, s::text, 'a perfect line far from the origin reads back')
  FROM (SELECT trend_ols_agg(1e8 - 3.7 * (1e9 + i), 1e9 + i) AS s FROM generate_series(1, 1000) i) q;
SELECT is(s::text::trend_ols::text, s::text, 'a perfect line over time, as a rollup of 7 states, reads back')
  FROM (SELECT rollup(s) AS s
		  FROM (SELECT trend_ols_agg(5e15 + i, '2001-01-01 00:00:00+00'::timestamptz + i * interval '1 hour') AS s
				  FROM generate_series(1, 1000) i GROUP BY i % 7) p) q;

-- ---- trend_ols: binary ----

\ir ../include/recv.sql
-- the binary form: 44 bytes of axis, n (bytes 45-52), Sx, Sxx, Sy, Syy, Sxy (bytes 85-92), cx, cy
SELECT is(pg_temp.recv_as(trend_ols_send('(x,0,1,3,3,6,2,6,2,2,NaN,NaN)'), 'trend_ols'), '(x,0,1,3,3,6,2,6,2,2,NaN,NaN)',
		  'the perfect line received');
SELECT throws_ok(
	$$SELECT pg_temp.recv_as(overlay(trend_ols_send('(x,0,1,3,3,6,2,6,2,2,NaN,NaN)') placing float8send(5) from 85 for 8), 'trend_ols')$$,
	'22P03', 'invalid trend_ols state', 'a binary trend_ols with Sxy = 5 > 2: refused');

-- ---- trend_rate ----

-- 1, 2, 3, 4, 5 events out of 10 at x = 1..5: trials 50, events 15, mean x 3, pbar 0.3,
-- Sxx = 10 (4 + 1 + 0 + 1 + 4) = 100, Sxp = 10 (0.4 + 0.1 + 0 + 0.1 + 0.4) = 10,
-- Spp = 10 (0.04 + 0.01 + 0 + 0.01 + 0.04) = 1 = Sxp^2 / Sxx (p is linear in x),
-- sum w^2 = 500, sum w^2 (x - mean) = 0, sum w^2 (x - mean)^2 = 100 * 10 = 1000
SELECT is(trend_rate_agg(e, 10, x)::text, '(x,0,1,5,5,50,15,3,0.3,100,10,1,500,0,1000)', 'a rate linear in x, by hand')
  FROM (VALUES (1, 1::float8), (2, 2), (3, 3), (4, 4), (5, 5)) v(e, x);
SELECT lives_ok($$SELECT '(x,0,1,5,5,50,15,3,0.3,100,10,1,500,0,1000)'::trend_rate$$,
				'Sxp^2 = Sxx Spp exactly (p linear in x): accepted');
SELECT throws_ok($$SELECT '(x,0,1,5,5,50,15,3,0.3,100,12,1,500,0,1000)'::trend_rate$$, '22P02', NULL,
				 'Sxp = 12 > sqrt(Sxx Spp) = 10: refused');
SELECT throws_ok($$SELECT '(x,0,1,5,5,50,15,3,0.3,100,10,0.5,500,0,1000)'::trend_rate$$, '22P02', NULL,
				 'Spp = 0.5 < Sxp^2 / Sxx = 1 (a negative residual sum of squares): refused');
-- Spp <= trials pbar (1 - pbar) = 50 * 0.3 * 0.7 = 10.5
SELECT throws_ok($$SELECT '(x,0,1,5,5,50,15,3,0.3,100,10,11,500,0,1000)'::trend_rate$$, '22P02', NULL,
				 'Spp = 11 > trials pbar (1 - pbar) = 10.5: refused');
-- the 0.2.1 form has no Spp: |Sxp| <= sqrt(Sxx trials pbar (1 - pbar)) = sqrt(1050) = 32.4
SELECT throws_ok($$SELECT p_value('(x,0,1,5,5,50,15,3,0.3,100,40)'::trend_rate)$$, '22P02', NULL,
				 'a 0.2.1 state with Sxp = 40 > sqrt(100 * 10.5) = 32.4: refused');
SELECT lives_ok($$SELECT '(x,0,1,5,5,50,15,3,0.3,100,32)'::trend_rate$$,
				'a 0.2.1 state with Sxp = 32 < 32.4: accepted');
-- the binary form: 44 bytes of axis, n, trials, events, mean x, pbar, Sxx, Sxp (bytes 93-100), ...
SELECT throws_ok(
	$$SELECT pg_temp.recv_as(overlay(trend_rate_send('(x,0,1,5,5,50,15,3,0.3,100,10,1,500,0,1000)') placing float8send(12) from 93 for 8), 'trend_rate')$$,
	'22P03', 'invalid trend_rate state', 'a binary trend_rate with Sxp = 12 > 10: refused');
-- 2^62 trials and more: the sum of trials overflows
SELECT throws_ok(
	$$SELECT rollup(s) FROM (VALUES ('(x,0,1,1,1,4611686018427387904,0,1,0,0,0,0,2.1267647932558654e37,0,0)'::trend_rate),
									('(x,0,2,2,1,4611686018427387904,0,2,0,0,0,0,2.1267647932558654e37,0,0)'::trend_rate)) v(s)$$,
	'22003', 'the sum of trials of a trend_rate is out of range for bigint', 'rollup of 2^62 + 2^62 trials: 22003');
-- 2^62 - 1 trials with no event at x = 1, 2^62 - 1 with all events at x = 2 (w = 2^62 as doubles):
-- trials 2^63 - 2, events 2^62 - 1, mean x 1.5, pbar 0.5, Sxx = Sxp = Spp = 2 * 2^62 / 4 = 2^61
-- = trials pbar (1 - pbar) (every bound met with equality), sum w^2 = 2^125, sum w^2 (x - mean)^2 = 2^123
SELECT is(rollup(s)::text::trend_rate::text,
		  '(x,0,1,2,2,9223372036854775806,4611686018427387903,1.5,0.5,2.305843009213694e+18,2.305843009213694e+18,2.305843009213694e+18,4.253529586511731e+37,0,1.0633823966279327e+37)',
		  'rollup to 2^63 - 2 trials, on every bound: by hand, reads back')
  FROM (VALUES ('(x,0,1,1,1,4611686018427387903,0,1,0,0,0,0,2.1267647932558654e37,0,0)'::trend_rate),
			   ('(x,0,2,2,1,4611686018427387903,4611686018427387903,2,1,0,0,0,2.1267647932558654e37,0,0)'::trend_rate)) v(s);

-- ---- every state's output reads back ----

SELECT is_empty($$
	SELECT s::text FROM (
		SELECT trend_ols_agg(y, x) AS s FROM (VALUES (1e150::float8, 1::float8), (-1e150, 2), (3e150, 4)) v(y, x)
		UNION ALL SELECT trend_ols_agg(y, x) FROM (VALUES ('Infinity'::float8, 1::float8), (1, 2)) v(y, x)
		UNION ALL SELECT trend_ols_agg(y, x) FROM (VALUES (1::float8, 2::float8)) v(y, x)
		UNION ALL SELECT trend_ols_agg(y, x) FROM (VALUES (1::float8, 2::float8)) v(y, x) WHERE false
		UNION ALL SELECT trend_ols_agg(1e-300 * i, 1e150 + i * 1e140) FROM generate_series(1, 100) i) q
	 WHERE s::text::trend_ols::text IS DISTINCT FROM s::text$$,
	'extreme trend_ols states (sums near 1e300, near 1e-600, infinities, one row, none) read back');
SELECT is_empty($$
	SELECT s::text FROM (
		SELECT trend_rate_agg(e, t, x) AS s FROM (VALUES (0::bigint, 9223372036854775807::bigint, 1::float8)) v(e, t, x)
		UNION ALL SELECT trend_rate_agg(e, 4611686018427387903, x) FROM (VALUES (4611686018427387903::bigint, -1e100::float8), (0, 1e100)) v(e, x)
		UNION ALL SELECT trend_rate_agg(i % 2, 1, i) FROM generate_series(1, 1000) i
		UNION ALL SELECT trend_rate_agg(1, 1, 1.0) WHERE false) q
	 WHERE s::text::trend_rate::text IS DISTINCT FROM s::text$$,
	'extreme trend_rate states (2^63 - 1 trials, x near 1e100, alternating rows, none) read back');

-- ---- soa_summary: the counters ----

-- counters: total, undecided, excluded, not implemented, planned, partially, implemented
SELECT throws_ok($$SELECT soa_summary_combine('{9223372036854775807,0,0,0,0,0,9223372036854775807}',
											   '{1,0,0,0,0,0,1}')$$,
				 '22003', 'soa_summary count out of range for bigint', 'combine beyond 2^63 - 1 entries: 22003, not negative counts');
SELECT throws_ok($$SELECT soa_summary_accum('{9223372036854775807,0,0,0,0,0,9223372036854775807}', NULL)$$,
				 '22003', 'soa_summary count out of range for bigint', 'one entry more than 2^63 - 1: 22003');
SELECT throws_ok($$SELECT soa_summary_accum('{9223372036854775807,0,0,0,0,0,9223372036854775807}', 'applicable, implemented (risk treatment)')$$,
				 '22003', 'soa_summary count out of range for bigint', 'one decided entry more than 2^63 - 1: 22003');
-- 2^62 partially implemented + (2^62 - 1) undecided = 2^63 - 1 entries: fits
SELECT is(soa_summary_combine('{4611686018427387904,0,0,0,0,4611686018427387904,0}',
							  '{4611686018427387903,4611686018427387903,0,0,0,0,0}'),
		  '{9223372036854775807,4611686018427387903,0,0,0,4611686018427387904,0}'::bigint[],
		  'combine to 2^63 - 1 entries, by hand');
SELECT is(soa_summary_final('{9223372036854775807,4611686018427387903,0,0,0,4611686018427387904,0}'),
		  ROW(9223372036854775807, 4611686018427387903, 0, 4611686018427387904, 0, 0, 4611686018427387904, 0)::soa_counts,
		  'final of 2^63 - 1 entries: applicable 2^62, by hand');
-- states no entries give: the parts must add up to the total, none negative
SELECT throws_ok($$SELECT soa_summary_final('{9223372036854775807,0,0,9223372036854775807,0,0,9223372036854775807}')$$,
				 '22023', 'invalid soa_summary state', 'parts adding to more than the total: refused (final gave applicable = -2)');
SELECT throws_ok($$SELECT soa_summary_combine('{-1,0,0,0,0,0,-1}', '{0,0,0,0,0,0,0}')$$,
				 '22023', 'invalid soa_summary state', 'negative counters: refused');
SELECT throws_ok($$SELECT soa_summary_accum('{3,1,0,0,0,0,1}', NULL)$$,
				 '22023', 'invalid soa_summary state', 'a total of 3 over parts adding to 2: refused');
SELECT is(soa_summary(e), ROW(4, 1, 1, 2, 0, 1, 0, 1)::soa_counts, 'soa_summary over four entries, by hand')
  FROM (VALUES (NULL::soa_entry), ('excluded'), ('applicable, planned (risk treatment)'),
			   ('applicable, implemented (risk treatment)')) v(e);

SELECT * FROM finish();
ROLLBACK;
