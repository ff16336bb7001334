-- The rate trend (trend_rate): the three datasets of
-- test/fixtures/trend_vectors/proportions.csv (weighted slope and intercept,
-- Cochran-Armitage T, Var(T), chi-square, z, p; computed in exact
-- arithmetic as docs/trend_statistics.md §9.3 describes, R's prop.trend.test
-- example among them) to 1e-12, and over timestamps, parallel plans,
-- rollup, bad rows and bad states.
\ir ../include/preamble.sql
SET LOCAL search_path = public, iso27001;

SELECT plan(48);

CREATE TEMP TABLE proportions (
	dataset text, x text, successes text, trials text, wls_slope text, wls_intercept text,
	ca_t text, ca_vart text, ca_chi2 text, ca_z text, ca_p_two_sided text, logit_intercept text,
	logit_slope text, logit_se_slope text, logit_wald_z text, description text);
\copy proportions FROM 'test/fixtures/trend_vectors/proportions.csv' WITH (FORMAT csv, HEADER true)
CREATE TEMP TABLE campaign AS
SELECT p.dataset, c.x, c.events, c.trials
  FROM proportions p, unnest(p.x::float8[], p.successes::bigint[], p.trials::bigint[]) AS c(x, events, trials);
CREATE TEMP TABLE state AS SELECT dataset, trend_rate_agg(events, trials, x) AS s FROM campaign GROUP BY dataset;

CREATE FUNCTION pg_temp.rel(a float8, b float8) RETURNS float8 LANGUAGE sql AS $$
	SELECT CASE WHEN a IS NOT DISTINCT FROM b THEN 0 ELSE abs(a - b) / greatest(abs(b), 1e-300) END
$$;

SELECT is((SELECT count(*) FROM state), 3::bigint, 'the 3 datasets of proportions.csv');
SELECT is_empty($$SELECT dataset FROM state JOIN proportions USING (dataset)
				   WHERE pg_temp.rel(slope(s), wls_slope::float8) > 1e-12$$,
				'weighted slope of every dataset to 1e-12');
SELECT is_empty($$SELECT dataset FROM state JOIN proportions USING (dataset)
				   WHERE pg_temp.rel(fitted_at(s, 0.0), wls_intercept::float8) > 1e-12$$,
				'weighted intercept (the fitted proportion at x = 0) to 1e-12');
SELECT is_empty($$SELECT dataset FROM state JOIN proportions USING (dataset)
				   WHERE pg_temp.rel(ca_chi2(s), ca_chi2::float8) > 1e-12$$,
				'Cochran-Armitage chi-square to 1e-12');
SELECT is_empty($$SELECT dataset FROM state JOIN proportions USING (dataset)
				   WHERE pg_temp.rel(ca_z(s), ca_z::float8) > 1e-12$$,
				'Cochran-Armitage z to 1e-12');
SELECT is_empty($$SELECT dataset FROM state JOIN proportions USING (dataset)
				   WHERE pg_temp.rel(ca_p(s), ca_p_two_sided::float8) > 1e-12$$,
				'Cochran-Armitage two-sided p to 1e-12 (6.7e-30 for the textbook example)');
SELECT is_empty($$SELECT dataset FROM state JOIN proportions USING (dataset)
				   WHERE pg_temp.rel(ca_z(s) * sqrt(ca_vart::float8), ca_t::float8) > 1e-12
					  OR pg_temp.rel(slope(s) / slope_stderr(s), ca_z(s)) > 1e-12$$,
				'T = z sqrt(Var(T)), and z = slope / its standard error: the score test of the weighted slope');
SELECT results_eq($$SELECT round(ca_chi2(s)::numeric, 4), round(ca_p(s)::numeric, 6) FROM state WHERE dataset = 'r_prop_trend_smokers'$$,
				  $$VALUES (8.2249, 0.004132)$$,
				  'R prop.trend.test(smokers, patients): X-squared = 8.2249, p-value = 0.004132');
SELECT is(rate(s), 357.0::float8 / 3259, 'weekly phishing: 357 clicks out of 3,259 recipients')
  FROM state WHERE dataset = 'weekly_phishing_8wk';

-- The default test (docs/trend_statistics.md §4.7 and §4.8): the dispersion
-- and the test, interval and standard error allowing for the variance
-- between campaigns against test/fixtures/trend_vectors/dispersion.csv (the
-- weighted regression, its hat matrix and covariance from their matrix
-- definitions in exact rational arithmetic, Student t in 40 digits;
-- dispersion.py).  Fewer than 5 rows: no dispersion, no default test.
CREATE TEMP TABLE dispersion_ref (dataset text, x text, events text, trials text, phi float8, tau2 float8,
								  t float8, df float8, p float8, se float8, lower95 float8, upper95 float8,
								  fit_x float8, fit float8, fit_lower95 float8, fit_upper95 float8);
\copy dispersion_ref FROM 'test/fixtures/trend_vectors/dispersion.csv' WITH (FORMAT csv, HEADER true)
CREATE TEMP TABLE dispersion_state AS
SELECT d.*, (SELECT trend_rate_agg(c.e, c.n, c.x)
			   FROM unnest(d.x::float8[], d.events::bigint[], d.trials::bigint[]) AS c(x, e, n)) AS s
  FROM dispersion_ref d;
SELECT is((SELECT count(*) FROM dispersion_state WHERE cardinality(x::float8[]) >= 5), 7::bigint,
		  'seven reference datasets of 5 rows or more, one of 4');
SELECT is_empty($$SELECT dataset, dispersion(s), phi FROM dispersion_state
				   WHERE cardinality(x::float8[]) >= 5 AND NOT pg_temp.rel(dispersion(s), phi) <= 1e-12
					 AND NOT (phi = 0 AND dispersion(s) < 1e-14)$$,
				'the dispersion of every dataset to 1e-12 (0 for one exactly on a line)');
SELECT is_empty($$SELECT dataset, p_value(s), p FROM dispersion_state
				   WHERE cardinality(x::float8[]) >= 5 AND NOT pg_temp.rel(p_value(s), p) <= 1e-12$$,
				'the default p-value (the slope over its standard error, Student t with n - 2 df) to 1e-12');
SELECT is_empty($$SELECT dataset, slope_stderr(s), se FROM dispersion_state
				   WHERE cardinality(x::float8[]) >= 5 AND NOT pg_temp.rel(slope_stderr(s), se) <= 1e-12$$,
				'the standard error with the variance between campaigns to 1e-12');
SELECT is_empty($$SELECT dataset FROM dispersion_state
				   WHERE cardinality(x::float8[]) >= 5
					 AND NOT (pg_temp.rel(slope_lower(s), lower95) <= 1e-12 AND pg_temp.rel(slope_upper(s), upper95) <= 1e-12)$$,
				'the 95 % interval, Student t with the variance between campaigns, to 1e-12');
-- with unequal trials the variance between campaigns weighs on the large
-- ones: the standard error is not the binomial one times sqrt(phi),
-- slope / ca_z * sqrt(phi) (ca_z = Sxp / sqrt(pbar qbar Sxx))
SELECT results_eq($$SELECT dataset, round((slope_stderr(s) / (slope(s) / ca_z(s) * sqrt(dispersion(s))))::numeric, 3)
					  FROM dispersion_state WHERE dataset IN ('unequal_templates_10', 'templates_12wk') ORDER BY 1$$,
				  $$VALUES ('templates_12wk', 1.000), ('unequal_templates_10', 1.064)$$,
				  'equal trials: the standard error is sqrt(phi) times the binomial one; 50-800 recipients: 6.4 % more');
SELECT results_eq($$SELECT dispersion(s), p_value(s), slope_stderr(s), slope_lower(s), verdict(s, 'lower'), ca_p(s) IS NOT NULL
					  FROM dispersion_state WHERE dataset = 'r_prop_trend_smokers'$$,
				  $$VALUES (NULL::float8, NULL::float8, NULL::float8, NULL::float8, 'insufficient data', true)$$,
				  '4 rows: no dispersion, no default test, insufficient data (the binomial test alone is not trusted)');
SELECT ok(ca_p(s) < 1e-8 AND p_value(s) > 0.1 AND verdict(s, 'lower') = 'no significant trend',
		  'twelve campaigns of 5-25 % difficulty and no trend: the binomial test says p = 9e-9, the default p = 0.11 (phi = 10.5)')
  FROM dispersion_state WHERE dataset = 'templates_12wk';
SELECT ok(pg_temp.rel(p_value(s), ca_p(s)) > 0.1 AND verdict(s, 'lower') = 'improving',
		  'phi below 1 never narrows: 8 weekly campaigns keep their direction with p = 0.0067 (Student t, 6 df)')
  FROM dispersion_state WHERE dataset = 'weekly_phishing_8wk';
SELECT results_eq($$SELECT verdict(trend_rate_agg(e, 100, x), 'lower'), n(trend_rate_agg(e, 100, x))
					  FROM (VALUES (30, 1.0), (20, 2.0), (10, 3.0)) v(e, x)$$,
				  $$VALUES ('insufficient data', 3::bigint)$$,
				  'three campaigns at 30, 20 and 10 % of 100 recipients: insufficient data (the binomial p is 0.0004)');
-- The projection (docs/trend_statistics.md §4.9): the line and its 95 %
-- interval four x past the last row, the state built over days from
-- 2000-01-01 (a slope per second, the same line), against dispersion.csv
-- ([1 x] Cov [1 x]' with the covariance of the default test)
SELECT is_empty($$SELECT dataset, fitted_lower(st, at), fit_lower95, fitted_upper(st, at), fit_upper95
					FROM (SELECT d.*, timestamptz '2000-01-01 00:00+00' + d.fit_x * interval '1 day' AS at,
								 (SELECT trend_rate_agg(c.e, c.n, timestamptz '2000-01-01 00:00+00' + c.x * interval '1 day')
									FROM unnest(d.x::float8[], d.events::bigint[], d.trials::bigint[]) AS c(x, e, n)) AS st
							FROM dispersion_ref d WHERE cardinality(d.x::float8[]) >= 5) q
				   WHERE NOT (abs(fitted_lower(st, at) - fit_lower95) < 1e-12 AND abs(fitted_upper(st, at) - fit_upper95) < 1e-12
							  AND abs(fitted_at(st, at) - fit) < 1e-12)$$,
				'the projected proportion and its 95 % interval four periods on, for all seven datasets, to 1e-12');
SELECT results_eq($$SELECT round(projected::numeric, 6), round(projected_lower::numeric, 6), round(projected_upper::numeric, 6), status
					  FROM (SELECT (target_projection(trend_rate_agg(c.e, c.n, timestamptz '2000-01-01 00:00+00' + c.x * interval '1 day'),
													  t.target, timestamptz '2000-01-12 00:00+00', 'lower')).*
							  FROM dispersion_ref d, unnest(d.x::float8[], d.events::bigint[], d.trials::bigint[]) AS c(x, e, n),
								   (VALUES (0.20), (0.06), (-0.2)) t(target)
							 WHERE d.dataset = 'weekly_phishing_8wk' GROUP BY t.target ORDER BY t.target DESC) q$$,
				  $$VALUES (0.036777, 0.000000, 0.082715, 'on track'), (0.036777, 0.000000, 0.082715, 'at risk'),
						   (0.036777, 0.000000, 0.082715, 'off track')$$,
				  'a projection four periods on within 0 and 1 (the lower bound -0.0092 shown as 0): on track for 20 %, at risk for 6 %, off track for a target below 0');
SELECT results_eq($$SELECT (target_projection(trend_rate_agg(e, 100, x), 0.05, timestamptz '2030-01-01', 'lower')).status
					  FROM (VALUES (30::bigint, timestamptz '2026-01-01'), (20, '2026-02-01'), (10, '2026-03-01')) v(e, x)$$,
				  $$VALUES ('insufficient data')$$,
				  'three campaigns: no interval, insufficient data');
-- merging keeps the dispersion exact: halves rolled up equal the whole
SELECT ok(pg_temp.rel((SELECT dispersion(rollup(h)) FROM (SELECT trend_rate_agg(c.e, c.n, c.x) h
						 FROM dispersion_state, unnest(x::float8[], events::bigint[], trials::bigint[]) AS c(x, e, n)
						WHERE dataset = 'templates_12wk' GROUP BY c.x < 6) q),
					  (SELECT phi FROM dispersion_ref WHERE dataset = 'templates_12wk')) < 1e-12,
		  'the halves of twelve campaigns rolled up: the same dispersion');
-- a state written by 0.2.1 (no Spp): read as it was, the binomial test, no dispersion
SELECT results_eq($$SELECT s::text, dispersion(s), n(s), pg_temp.rel(ca_z(s), -2.8679125309530757) < 1e-12
					  FROM (SELECT '(x,0,1,4,4,397,372,2.53904282115869,0.9370277078085643,434.6448362720404,-14.523929471032769)'::trend_rate s) q$$,
				  $$VALUES ('(x,0,1,4,4,397,372,2.53904282115869,0.9370277078085643,434.6448362720404,-14.523929471032769)', NULL::float8, 4::bigint, true)$$,
				  'a state in 0.2.1''s text form reads back as written: Cochran-Armitage as before, no dispersion');
SELECT throws_ok($$SELECT '(x,0,1,4,4,397,372,2.4,0.5,434.6,-14.5,1)'::trend_rate$$, '22P02', NULL,
				 'a state whose pbar field is not events / trials is refused');
-- The sums of squared trials (docs/trend_statistics.md §4.8), by hand for
-- 10/100 at x = 0, 30/300 at 1, 20/100 at 3: mean x = 600 / 500 = 1.2,
-- sum w^2 = 100^2 + 300^2 + 100^2 = 110000, sum w^2 (x - 1.2) = -12000 -
-- 18000 + 18000 = -12000, sum w^2 (x - 1.2)^2 = 14400 + 3600 + 32400 = 50400;
-- the same from the rows in any order and from states rolled up
CREATE TEMP TABLE trials2 (e bigint, n bigint, x float8);
INSERT INTO trials2 VALUES (10, 100, 0), (30, 300, 1), (20, 100, 3);
SELECT results_eq($$SELECT (round(f[13]::numeric, 6), round(f[14]::numeric, 6), round(f[15]::numeric, 6))::text
					  FROM (SELECT string_to_array(trim(BOTH '()' FROM s::text), ',') f
							  FROM (SELECT trend_rate_agg(e, n, x ORDER BY x) s FROM trials2
									UNION ALL SELECT trend_rate_agg(e, n, x ORDER BY x DESC) FROM trials2
									UNION ALL SELECT rollup(s ORDER BY x DESC)
									  FROM (SELECT x, trend_rate_agg(e, n, x) s FROM trials2 GROUP BY x) g) q) r$$,
				  $$VALUES ('(110000.000000,-12000.000000,50400.000000)'), ('(110000.000000,-12000.000000,50400.000000)'),
						   ('(110000.000000,-12000.000000,50400.000000)')$$,
				  'the sums of squared trials by hand, from the rows in either order and rolled up from one-row states');
SELECT ok(pg_temp.rel((SELECT slope_stderr(rollup(h)) FROM (SELECT trend_rate_agg(c.e, c.n, c.x) h
						 FROM dispersion_state, unnest(x::float8[], events::bigint[], trials::bigint[]) AS c(x, e, n)
						WHERE dataset = 'unequal_falling_14' GROUP BY c.x::int % 3) q),
					  (SELECT se FROM dispersion_ref WHERE dataset = 'unequal_falling_14')) < 1e-12,
		  'fourteen unequal campaigns in three interleaved parts rolled up: the reference standard error');
SELECT throws_ok($$SELECT '(x,0,0,3,3,500,60,1.2,0.12,480,10,0.8,1000,-12000,50400)'::trend_rate$$, '22P02', NULL,
				 'a sum of squared trials below trials^2 / n (500^2 / 3) is refused');
SELECT throws_ok($$SELECT '(x,0,0,3,3,500,60,1.2,0.12,480,10,0.8,110000,-80000,50400)'::trend_rate$$, '22P02', NULL,
				 'sums of squared trials against Cauchy-Schwarz (80000^2 > 110000 * 50400) are refused');
SELECT throws_ok($$SELECT '(x,0,0,3,3,500,60,1.2,0.12,480,10,0.8,110000,-12000)'::trend_rate$$, '22P02', NULL,
				 'a text form with seven sums (neither 4, 5 nor 8) is refused');

-- the binomial-logit trend (reference values from 50-digit arithmetic, docs/trend_statistics.md §9.3)
CREATE TEMP TABLE logit AS
SELECT dataset, (logit_trend(x::float8[], successes::bigint[], trials::bigint[])).* FROM proportions;
SELECT is_empty($$SELECT dataset FROM logit JOIN proportions USING (dataset)
				   WHERE pg_temp.rel(slope, logit_slope::float8) > 1e-12 OR pg_temp.rel(intercept, logit_intercept::float8) > 1e-12$$,
				'logit slope and intercept of every dataset to 1e-12');
SELECT is_empty($$SELECT dataset FROM logit JOIN proportions USING (dataset)
				   WHERE pg_temp.rel(slope_stderr, logit_se_slope::float8) > 1e-12 OR pg_temp.rel(z, logit_wald_z::float8) > 1e-12$$,
				'its standard error and Wald z to 1e-12');
SELECT ok(pg_temp.rel(odds_ratio, exp(-0.10032931798591145)) < 1e-12,
		  'docs/trend_statistics.md §10.6: the odds of clicking fall 9.5 % a week (odds ratio 0.90454)')
  FROM logit WHERE dataset = 'weekly_phishing_8wk';

SELECT is((logit_trend('{0,1}', '{0,10}', '{10,10}')).slope, NULL::float8,
		  'complete separation (no clicks, then all): no finite logit slope, NULL');
SELECT throws_ok($$SELECT logit_trend('{0,1}', '{1}', '{10,10}')$$, '2202E', NULL, 'arrays of different lengths');

-- over timestamps: weekly campaigns, per week
SELECT ok(pg_temp.rel(slope(trend_rate_agg(events, trials, '2024-01-01 09:00+00'::timestamptz + x * interval '1 week'), '1 week'),
					  -0.009697199140703187) < 1e-12 AND
		  pg_temp.rel(ca_z(trend_rate_agg(events, trials, '2024-01-01 09:00+00'::timestamptz + x * interval '1 week')),
					  -4.051712638647289) < 1e-12,
		  'weekly campaigns over timestamps: the same slope per week and z')
  FROM campaign WHERE dataset = 'weekly_phishing_8wk';

-- conventions
SELECT ok(n(s) = 2 AND pg_temp.rel(slope(s), 0.1 / 3) < 1e-12 AND pg_temp.rel(ca_z(s), 1.5 / sqrt(0.15 * 0.85 * 45)) < 1e-12,
		  'rows with a NULL or no trials are skipped (by hand: slope 0.1 / 3, T = 1.5, Var(T) = 0.15 x 0.85 x 45)')
  FROM (SELECT trend_rate_agg(e, t, x) s FROM (VALUES (1, 10, 1.0), (NULL, 10, 2.0), (0, 0, 3.0), (2, 10, 4.0)) v(e, t, x)) q;
SELECT results_eq($$SELECT slope(s), ca_p(s) FROM (SELECT trend_rate_agg(0, 10, x) s FROM generate_series(1, 5) x) q$$,
				  $$VALUES (0.0::float8, NULL::float8)$$,
				  'no events at all: slope 0, no test (Var(T) = 0)');
SELECT throws_ok($$SELECT trend_rate_agg(11, 10, 1.0)$$, '22023', 'events (11) must not exceed trials (10)',
				 'more events than trials');
SELECT throws_ok($$SELECT trend_rate_agg(-1, 10, 1.0)$$, '22023', NULL, 'negative events');

SELECT throws_ok($$SELECT trend_rate_agg(e, n, x) FROM (VALUES (2::bigint, 2::bigint, 1e160::float8), (0, 2, -1e160), (1, 2, 0)) v(e, n, x)$$,
				 '22003', NULL, 'finite x that overflow the sums: an error, as in regr_*');

-- parallel plans and rollup
CREATE TABLE public.rate_big (org int, t timestamptz, events bigint, trials bigint);
INSERT INTO public.rate_big
SELECT g % 5, '2024-01-01'::timestamptz + g * interval '1 day',
	   (200 * (0.3 - g * 1e-6) + 20 * sin(g))::bigint, 200 FROM generate_series(1, 100000) g;
ANALYZE public.rate_big;
CREATE TEMP TABLE serial AS SELECT org, trend_rate_agg(events, trials, t) s FROM public.rate_big GROUP BY org;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
CREATE TEMP TABLE parallel AS SELECT org, trend_rate_agg(events, trials, t) s FROM public.rate_big GROUP BY org;
SELECT is_empty($$SELECT org FROM serial JOIN parallel p USING (org)
				   WHERE pg_temp.rel(slope(serial.s), slope(p.s)) > 1e-12 OR pg_temp.rel(ca_z(serial.s), ca_z(p.s)) > 1e-12
					  OR n(serial.s) <> n(p.s)$$,
				'a parallel plan gives the serial results');
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
SELECT ok(pg_temp.rel((SELECT slope(rollup(s)) FROM (SELECT trend_rate_agg(events, trials, t) s FROM public.rate_big
															GROUP BY date_trunc('month', t)) q),
					  (SELECT slope(trend_rate_agg(events, trials, t)) FROM public.rate_big)) < 1e-12,
		  'rollup of monthly states anchored apart equals the whole');

-- the binary form, and a corrupted one, through the receive function
\ir ../include/recv.sql
SELECT is(pg_temp.recv_as(trend_rate_send(s), 'trend_rate'), s::text, 'the binary form round-trips') FROM state WHERE dataset = 'weekly_phishing_8wk';
SELECT throws_ok($$SELECT pg_temp.recv_as(overlay(trend_rate_send(s) placing '\x7fffffff' from 61 for 4), 'trend_rate') FROM state WHERE dataset = 'weekly_phishing_8wk'$$,
				 '22P03', 'invalid trend_rate state', 'a corrupted binary state (events above trials) is refused');

-- text form and bad states
SELECT is(s::text::trend_rate::text, s::text, 'the text form round-trips') FROM state WHERE dataset = 'rosner_age_first_birth';
SELECT throws_ok($$SELECT '(x,0,0,1,2,10,11,0.5,0.5,1,0)'::trend_rate$$, '22P02', NULL, 'more events than trials in a state is refused');
SELECT throws_ok($$SELECT '(x,0,0,1,2,10,5,0.5,1.5,1,0)'::trend_rate$$, '22P02', NULL, 'a mean proportion above 1 is refused');

SELECT * FROM finish();
ROLLBACK;
