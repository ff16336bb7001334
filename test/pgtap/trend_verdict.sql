-- The verdict an auditor reads and the one-call report: every branch of
-- trend_verdict with values chosen by hand, and the three families on the
-- improving series of docs/trend_statistics.md §10.1 and §10.6 (decreasing_12wk, weekly_phishing_8wk).
\ir ../include/preamble.sql
SET LOCAL search_path = public, iso27001;

SELECT plan(21);

SELECT is(trend_verdict(10, -0.1, -0.2, -0.01, 0.049, 'lower'), 'improving', 'p < 0.05, interval below 0, lower is better: improving');
SELECT is(trend_verdict(10, -0.1, -0.2, -0.01, 0.049, 'higher'), 'worsening', '... and worsening when higher is better');
SELECT is(trend_verdict(10, 0.1, 0.01, 0.2, 0.001, 'LOWER'), 'worsening', 'a rising click rate is worsening (better is case-insensitive)');
SELECT is(trend_verdict(10, -0.1, -0.2, -0.01, 0.05, 'lower'), 'no significant trend', 'p = alpha is not significant');
SELECT is(trend_verdict(10, -0.1, -0.2, 0.01, 0.01, 'lower'), 'no significant trend', 'an interval holding 0 is not significant, whatever p');
SELECT is(trend_verdict(2, -0.1, NULL, NULL, NULL, 'lower'), 'insufficient data', 'fewer than 3 observations');
SELECT is(trend_verdict(10, NULL, NULL, NULL, NULL, 'lower'), 'insufficient data', 'no slope (no distinct times)');
SELECT is(trend_verdict(10, 0, NULL, NULL, NULL, 'lower'), 'no significant trend', 'nothing varies: no p, no trend');
SELECT is(trend_verdict(10, -0.1, -0.2, -0.01, 0.02, 'lower', alpha => 0.01), 'no significant trend', 'alpha is the caller''s');
SELECT throws_ok($$SELECT trend_verdict(10, -0.1, -0.2, -0.01, 0.02, 'down')$$, '22023', 'invalid value for better: "down"', 'an unknown direction');
SELECT throws_ok($$SELECT trend_verdict(10, -0.1, -0.2, -0.01, 0.02, 'lower', 1.5)$$, '22023', NULL, 'alpha out of (0, 1)');

CREATE TEMP TABLE weekly AS
SELECT '2024-01-01'::timestamptz + x * interval '1 week' AS t, y
  FROM unnest('{0,1,2,3,4,5,6,7,8,9,10,11}'::float8[], '{0.31,0.29,0.27,0.28,0.24,0.22,0.23,0.19,0.18,0.17,0.16,0.14}'::float8[]) u(x, y);
SELECT results_eq($$SELECT verdict(trend_ols_agg(y, t), 'lower'), verdict(trend_robust_agg(y, t), 'lower'),
						   verdict(trend_robust_agg(y, t), 'higher') FROM weekly$$,
				  $$VALUES ('improving', 'improving', 'worsening')$$,
				  'the improving click rate of docs/trend_statistics.md §10.1, by least squares and by Sen / Mann-Kendall');
SELECT is((SELECT verdict(trend_rate_agg(e, n, x), 'lower')
			 FROM unnest('{0,1,2,3,4,5,6,7}'::float8[], '{58,55,49,51,40,38,35,31}'::bigint[],
						 '{412,398,405,420,401,415,409,399}'::bigint[]) u(x, e, n)),
		  'improving', 'the phishing campaigns of docs/trend_statistics.md §10.6 (Cochran-Armitage z = -4.05): improving');
SELECT results_eq($$SELECT n, first_time, last_time, round(slope::numeric, 12), p_value < 1e-8, verdict
					  FROM trend_report((SELECT trend_ols_agg(y, t) FROM weekly), 'lower')$$,
				  $$VALUES (12::bigint, '2024-01-01'::timestamptz, '2024-03-18'::timestamptz,
							round((-0.015314685314685314 * 30.436875 / 7)::numeric, 12), true, 'improving')$$,
				  'the report: n, period, slope per month (30.436875 days), p and verdict in plain columns');
SELECT results_eq($$SELECT slope = slope(s, '1 week'), slope_lower = slope_lower(s, '1 week', 0.9), p_value = p_value(s)
					  FROM (SELECT trend_robust_agg(y, t) s FROM weekly) q, trend_report(s, 'lower', '1 week', 0.1)$$,
				  $$VALUES (true, true, true)$$,
				  'the report is the accessors, with the interval at level 1 - alpha');
SELECT is((SELECT verdict FROM trend_report((SELECT trend_ols_agg(y, t) FROM weekly WHERE t < '2024-01-10'), 'lower')),
		  'insufficient data', 'two weeks are insufficient data');

-- practical, not only statistical: below the smallest material change a
-- year, a significant trend is no material change (the bound counts)
SELECT results_eq($$SELECT material_verdict(v, s, m) FROM (VALUES
					  ('improving', -0.001, 0.02), ('improving', -0.03, 0.02), ('worsening', 0.02, 0.02),
					  ('worsening', -0.019999, 0.02), ('no significant trend', -0.5, 0.02),
					  ('insufficient data', NULL, 0.02), ('improving', -0.001, NULL)) t(v, s, m)$$,
				  $$VALUES ('no material change'), ('improving'), ('worsening'), ('no material change'),
						   ('no significant trend'), ('insufficient data'), ('improving')$$,
				  'material_verdict: a direction only from the smallest material change a year on');
-- 100,000 recipients a campaign, 104 weekly campaigns from 15 % to 14.9 %:
-- statistically a fall, 0.05 points a year, far below two
SELECT results_eq($$SELECT verdict(s, 'lower'), material_verdict(verdict(s, 'lower'), slope(s, '1 year'), 0.02)
					  FROM (SELECT trend_rate_agg(round(100000 * (0.15 - 0.001 * i / 103.0))::bigint, 100000,
												  '2025-01-06'::timestamptz + i * interval '7 days') s
							  FROM generate_series(0, 103) i) q$$,
				  $$VALUES ('improving', 'no material change')$$,
				  'a 0.1-point fall over two years of 100,000 recipients: significant, but no material change at 2 points a year');

-- target_status: where an interval lies against a target
SELECT results_eq($$SELECT target_status(lo, hi, t, b) FROM (VALUES
					  (0.02, 0.04, 0.05, 'lower'), (0.04, 0.06, 0.05, 'lower'), (0.06, 0.08, 0.05, 'lower'),
					  (0.02, 0.05, 0.05, 'lower'), (0.05, 0.07, 0.05, 'higher'), (0.02, 0.04, 0.05, 'higher'),
					  (NULL, 0.04, 0.05, 'lower'), (0.02, 0.04, NULL, 'lower')) v(lo, hi, t, b)$$,
				  $$VALUES ('on track'), ('at risk'), ('off track'), ('on track'), ('on track'), ('off track'),
						   ('insufficient data'), (NULL)$$,
				  'on track, at risk and off track by the interval (a bound on the target counts as meeting it); no interval; no target');
SELECT throws_ok($$SELECT target_status(0.04, 0.02, 0.05, 'lower')$$, '22023', NULL,
				 'an interval upside down is refused');
SELECT throws_ok($$SELECT target_status(0.02, 0.04, 0.05, 'smaller')$$, '22023', NULL,
				 'better other than lower or higher is refused');

SELECT * FROM finish();
ROLLBACK;
