-- Cohorts and difficulty (issue 14 item 4): observations keyed by cohort
-- and difficulty, checked on input; the whole scope's campaigns (its own
-- row, else the sum of its cohorts); trends per cohort; the trend adjusted
-- for difficulty, so that a run of easier templates is not improvement.
-- Every expected figure comes from test/fixtures/trend_vectors/strata.py
-- (fractions and 40-digit mpmath, from the definitions of
-- docs/trend_statistics.md §4 and §13), or by hand as the comments show.
\ir ../include/preamble.sql
SET LOCAL TimeZone = 'UTC';

DO $$
BEGIN
	PERFORM iso27001.create_scope('alpha');
	PERFORM iso27001.create_scope('beta');
	PERFORM iso27001.create_scope('gamma');
END $$;
SELECT scope_id AS alpha FROM iso27001.soa_scope WHERE name = 'alpha' \gset
SELECT scope_id AS beta FROM iso27001.soa_scope WHERE name = 'beta' \gset
SELECT scope_id AS gamma FROM iso27001.soa_scope WHERE name = 'gamma' \gset

-- A, scope alpha: weekly campaigns to Finance (40 people) and Sales (60).
-- Hard templates fool 12 of 40 and 12 of 60 (24 % of the scope), easy ones
-- 2 of 40 and 3 of 60 (5 %), every week alike: no one gets better.  But
-- the schedule moves to easy templates: weeks 0-7 hard, weeks 8-15 a hard
-- and an easy template at the same instant, weeks 16-23 easy.
INSERT INTO iso27001.behaviour_observation (scope_id, metric, observed_at, cohort, difficulty, events, trials)
SELECT :alpha, 'phishing_click_rate', '2025-01-06 00:00+00'::timestamptz + w * interval '7 days',
	   c.cohort, d.difficulty, CASE d.difficulty WHEN 'hard' THEN 12 ELSE c.easy END, c.trials
  FROM generate_series(0, 23) w
 CROSS JOIN (VALUES ('Finance', 40, 2), ('Sales', 60, 3)) c(cohort, trials, easy)
 CROSS JOIN (VALUES ('hard'), ('easy')) d(difficulty)
 WHERE (d.difficulty = 'hard' AND w <= 15) OR (d.difficulty = 'easy' AND w >= 8);

-- gamma: the same campaigns loaded twice over, as the scope's totals
-- (cohort '') beside the breakdown: the totals are the whole scope's
INSERT INTO iso27001.behaviour_observation (scope_id, metric, observed_at, cohort, difficulty, events, trials)
SELECT :gamma, metric, observed_at, cohort, difficulty, events, trials
  FROM iso27001.behaviour_observation WHERE scope_id = :alpha;
INSERT INTO iso27001.behaviour_observation (scope_id, metric, observed_at, cohort, difficulty, events, trials)
SELECT :gamma, metric, observed_at, '', difficulty, sum(events), sum(trials)
  FROM iso27001.behaviour_observation WHERE scope_id = :alpha
 GROUP BY metric, observed_at, difficulty;
-- and a value metric loaded per cohort only: the whole scope has no value
INSERT INTO iso27001.behaviour_observation (scope_id, metric, observed_at, cohort, value)
SELECT :gamma, 'time_to_report_hours', '2025-01-06 00:00+00'::timestamptz + w * interval '7 days', c, 20 - w
  FROM generate_series(0, 5) w, unnest(ARRAY['Finance', 'Sales']) c;

-- B, scope beta: a real fall in both levels.  Every week a hard and an
-- easy template at the same instant, 200 recipients each; hard 80 - w
-- clicks, easy 30 - w: both fall by half a point a week.
INSERT INTO iso27001.behaviour_observation (scope_id, metric, observed_at, difficulty, events, trials)
SELECT :beta, 'phishing_click_rate', '2025-01-06 00:00+00'::timestamptz + w * interval '7 days',
	   d, CASE d WHEN 'hard' THEN 80 - w ELSE 30 - w END, 200
  FROM generate_series(0, 9) w, unnest(ARRAY['hard', 'easy']) d;

SELECT plan(51);

-- the table: its key and the rules of a cohort and a difficulty
SELECT col_is_pk('iso27001', 'behaviour_observation', ARRAY['scope_id', 'metric', 'cohort', 'difficulty', 'observed_at'],
				 'the primary key is (scope_id, metric, cohort, difficulty, observed_at)');
SELECT is((SELECT count(*) FROM iso27001.behaviour_observation
		   WHERE scope_id = :alpha AND observed_at = '2025-03-03 00:00+00'), 4::bigint,
		  'two templates at the same instant, for two cohorts: four rows');
SELECT throws_ok(format($$INSERT INTO iso27001.behaviour_observation (scope_id, metric, observed_at, cohort, difficulty, events, trials)
						 VALUES (%s, 'phishing_click_rate', '2025-03-03 00:00+00', 'Sales', 'easy', 1, 60)$$, :alpha),
				 '23505', NULL, 'the same cohort, difficulty and time twice: 23505');
SELECT throws_ok(format($$INSERT INTO iso27001.behaviour_observation (scope_id, metric, observed_at, cohort, events, trials)
						 VALUES (%s, 'phishing_click_rate', '2030-01-01', %L, 1, 2)$$, :beta, v),
				 '23514', m, format('cohort %s refused: 23514, saying why', d))
  FROM (VALUES (E'Fin\tance', 'with a tab', 'a cohort must not hold control characters'),
			   (E'Finance\n', 'with a line feed', 'a cohort must not hold control characters'),
			   (E'Fin\u0085ance', 'with a C1 control (NEL)', 'a cohort must not hold control characters'),
			   (' Finance', 'with a leading space', 'cohort " Finance" has surrounding white space'),
			   ('Finance ', 'with a trailing space', 'cohort "Finance " has surrounding white space'),
			   (repeat('x', 201), 'of 201 characters', 'cohort "' || repeat('x', 40) || '..." is longer than 200 characters')) t(v, d, m);
SELECT throws_ok(format($$INSERT INTO iso27001.behaviour_observation (scope_id, metric, observed_at, difficulty, events, trials)
						 VALUES (%s, 'phishing_click_rate', '2030-01-01', %L, 1, 2)$$, :beta, E'level\u00013'),
				 '23514', 'a difficulty must not hold control characters',
				 'a difficulty with a control character refused: 23514, saying why');
SELECT throws_ok(format($$INSERT INTO iso27001.behaviour_observation (scope_id, metric, observed_at, cohort, events, trials)
						 VALUES (%s, 'phishing_click_rate', '2030-01-01', NULL, 1, 2)$$, :beta),
				 '23502', NULL, 'a NULL cohort refused (the whole scope is ''''): 23502');
SELECT lives_ok(format($$INSERT INTO iso27001.behaviour_observation (scope_id, metric, observed_at, cohort, difficulty, events, trials)
						VALUES (%s, 'phishing_report_rate', '2030-01-01', %L, %L, 1, 2)$$, :beta, 'Ventes — Île-de-France', repeat('é', 200)),
				'a cohort in any script and a difficulty of 200 characters are accepted');

-- the whole scope's campaigns: alpha's cohorts summed, gamma's own totals
-- (not added to its breakdown), no value for a value loaded per cohort
SELECT results_eq(
	format($$SELECT difficulty, events, trials FROM iso27001.behaviour_campaign
			  WHERE scope_id = %s AND cohort = '' AND observed_at = '2025-03-03 00:00+00' ORDER BY difficulty$$, :alpha),
	$$VALUES ('easy', 5::bigint, 100::bigint), ('hard', 24, 100)$$,
	'the whole scope''s campaigns: 2 + 3 of 40 + 60 (easy), 12 + 12 (hard)');
SELECT is((SELECT count(*) FROM iso27001.behaviour_campaign WHERE scope_id = :alpha AND cohort = ''), 32::bigint,
		  'alpha: 32 whole-scope campaigns (16 hard, 16 easy)');
SELECT bag_eq(
	format($$SELECT observed_at, difficulty, events, trials FROM iso27001.behaviour_campaign
			  WHERE scope_id = %s AND metric = 'phishing_click_rate' AND cohort = ''$$, :gamma),
	format($$SELECT observed_at, difficulty, events, trials FROM iso27001.behaviour_campaign
			  WHERE scope_id = %s AND metric = 'phishing_click_rate' AND cohort = ''$$, :alpha),
	'a scope that loads its totals beside the breakdown: the totals, not totals plus breakdown');
SELECT results_eq(
	format($$SELECT count(*), count(value) FROM iso27001.behaviour_campaign
			  WHERE scope_id = %s AND metric = 'time_to_report_hours' AND cohort = ''$$, :gamma),
	$$VALUES (6::bigint, 0::bigint)$$,
	'values cannot be summed: six whole-scope campaigns, none with a value from its cohorts'' values');
SELECT is((SELECT count(*) FROM iso27001_bi.behaviour_series
		   WHERE scope = 'gamma' AND metric = 'time_to_report_hours' AND cohort = ''), 0::bigint,
		  '... and behaviour_series lists none of them');

-- the unadjusted trend of A (strata.py): slope -132183/2980000 a month,
-- dispersion 516800/116667, t = -4.7527 on 30 df, p = 4.6797e-5: improving
SELECT results_eq(
	$$SELECT cohort, n, verdict FROM iso27001_bi.behaviour_trend WHERE scope = 'alpha' ORDER BY cohort$$,
	$$VALUES ('', 32::bigint, 'improving'), ('Finance', 32, 'improving'), ('Sales', 32, 'improving')$$,
	'behaviour_trend: the whole scope ('''') and each cohort; unadjusted, each looks like improvement');
SELECT ok(abs(slope_per_month / (-132183.0 / 2980000) - 1) < 1e-12
		  AND abs(dispersion / (516800.0 / 116667) - 1) < 1e-12
		  AND abs(p_value / 4.6796650896236632821e-5 - 1) < 1e-10,
		  'A unadjusted: slope -0.0443567 a month, dispersion 4.42970, p 4.6797e-5, as strata.py')
  FROM iso27001_bi.behaviour_trend WHERE scope = 'alpha' AND cohort = '';
SELECT ok(abs(slope_per_month / (-6957.0 / 119200) - 1) < 1e-12,
		  'A, Finance alone: slope -6957/119200 a month (30 % and 5 % of 40)')
  FROM iso27001_bi.behaviour_trend WHERE scope = 'alpha' AND cohort = 'Finance';

-- adjusted: within each level the rate is constant, so each level's slope
-- is exactly 0 and so is their pooled slope: no significant trend.  By
-- hand: each level has 16 weekly campaigns of 100, Sxx = 100 * 49 * 340 =
-- 1,666,000 day^2; pbar qbar = 0.1824 (hard) and 0.0475 (easy), dispersion
-- 0 (never narrowing), so w = 1,666,000 / 0.1824 and 1,666,000 / 0.0475 per
-- day; se = 30.436875 / sqrt(sum w) = 0.00457775 a month; Satterthwaite's
-- df = (a + b)^2 * 14 / (a^2 + b^2) with a = 1/0.1824, b = 1/0.0475:
-- 204974/9841 = 20.8286; the bounds 0 -+ t(0.975, 20.8286) se, with
-- t = 2.0806565203 (strata.py)
SELECT results_eq(
	$$SELECT cohort, adjusted_slope_per_month, adjusted_p_value, adjusted_verdict, difficulty_levels, difficulty_levels_left_out
		FROM iso27001_bi.behaviour_trend WHERE scope = 'alpha' ORDER BY cohort$$,
	$$VALUES ('', 0::double precision, 1::double precision, 'no significant trend', 2, 0),
			 ('Finance', 0, 1, 'no significant trend', 2, 0),
			 ('Sales', 0, 1, 'no significant trend', 2, 0)$$,
	'adjusted for difficulty: slope 0, p 1, no significant trend, for the whole scope and each cohort');
SELECT ok(abs(slope_stderr / 0.0045777523932659373906 - 1) < 1e-12
		  AND abs(df / (204974.0 / 9841) - 1) < 1e-12
		  AND abs(slope_upper / 0.0095247303654742771204 - 1) < 1e-10
		  AND slope_lower = -slope_upper AND strata = 2 AND strata_left_out = 0 AND n = 32,
		  'trend_adjusted for A: se 0.00457775 a month, df 204974/9841, bounds -+0.00952473, 2 levels, 32 campaigns')
  FROM iso27001.trend_adjusted('alpha', 'phishing_click_rate');
SELECT results_eq(
	$$SELECT verdict, slope, strata FROM iso27001.trend_adjusted('gamma', 'phishing_click_rate', 'Sales')$$,
	$$VALUES ('no significant trend', 0::double precision, 2)$$,
	'trend_adjusted of one cohort');
SELECT results_eq(
	$$SELECT n, verdict, adjusted_verdict FROM iso27001_bi.behaviour_trend
	   WHERE scope = 'gamma' AND metric = 'phishing_click_rate' AND cohort = ''$$,
	$$VALUES (32::bigint, 'improving', 'no significant trend')$$,
	'gamma (totals beside the breakdown): the same 32 campaigns and verdicts as alpha');
SELECT results_eq(
	$$SELECT cohort, n, verdict, adjusted_verdict, difficulty_levels FROM iso27001_bi.behaviour_trend
	   WHERE scope = 'gamma' AND metric = 'time_to_report_hours' ORDER BY cohort$$,
	$$VALUES ('', 0::bigint, 'insufficient data', NULL::text, NULL::integer),
			 ('Finance', 6, 'improving', NULL, NULL), ('Sales', 6, 'improving', NULL, NULL)$$,
	'a value metric loaded per cohort: each cohort''s trend; the whole scope has insufficient data; no adjusted trend for values');

-- B: both levels fall half a point a week, so does their pooled slope:
-- -0.005 / 7 * 30.436875 = -0.021740625 a month, by hand; se 0.00930120,
-- df 1363972624/96138289 = 14.1876, p 0.0345704 (strata.py): improving,
-- and 0.26 a year is more than the 0.02 of min_effect.  Unadjusted the two
-- levels' spread swamps it: dispersion 18.40, t = -0.487, no significant
-- trend.
SELECT ok(abs(slope / -0.021740625 - 1) < 1e-12
		  AND abs(slope_stderr / 0.0093011995734014931698 - 1) < 1e-12
		  AND abs(df / (1363972624.0 / 96138289) - 1) < 1e-12
		  AND abs(p_value / 0.034570447415212023601 - 1) < 1e-10
		  AND abs(slope_lower / -0.04166499382670278611 - 1) < 1e-10
		  AND abs(slope_upper / -0.0018162561732972138904 - 1) < 1e-10
		  AND verdict = 'improving',
		  'B adjusted: slope -0.021740625 a month, se, df, p 0.03457, interval as strata.py: improving')
  FROM iso27001.trend_adjusted('beta', 'phishing_click_rate');
SELECT results_eq(
	$$SELECT verdict, adjusted_verdict, round(dispersion::numeric, 10), round(adjusted_slope_per_month::numeric, 12)
		FROM iso27001_bi.behaviour_trend WHERE scope = 'beta' AND metric = 'phishing_click_rate'$$,
	$$VALUES ('no significant trend', 'improving', round(5000000 / 271791.0, 10), -0.021740625000)$$,
	'B in the BI view: unadjusted no significant trend (dispersion 18.40), adjusted improving');
SELECT is((SELECT verdict FROM iso27001.trend_adjusted('beta', 'phishing_click_rate', period_end => '2025-01-31')),
		  'insufficient data', 'B over January only: 4 campaigns a level, too few for any level: insufficient data');
SELECT results_eq(
	$$SELECT n, strata, strata_left_out FROM iso27001.trend_adjusted('beta', 'phishing_click_rate', period_end => '2025-01-31')$$,
	$$VALUES (0::bigint, 0, 2)$$, '... both levels left out and counted');

-- C: stratified_trend over states of its own, over x: unequal slopes and
-- weights, a third stratum of 3 rows left out (strata.py): pooled slope
-- -185463/14356528 per x, se 0.00459924, df 10.2601, p 0.0180876
CREATE TEMP TABLE c_rows (stratum int, x float8, e bigint, n bigint);
INSERT INTO c_rows VALUES
	(1, 0, 30, 100), (1, 1, 27, 100), (1, 2, 29, 100), (1, 3, 22, 100), (1, 4, 24, 100), (1, 5, 19, 100), (1, 6, 20, 100),
	(2, 0, 12, 80), (2, 1, 13, 80), (2, 2, 9, 80), (2, 3, 11, 80), (2, 4, 8, 80), (2, 5, 10, 80), (2, 6, 6, 80), (2, 7, 7, 80),
	(3, 0, 5, 50), (3, 1, 9, 50), (3, 2, 1, 50);
CREATE TEMP TABLE c_states AS
SELECT array_agg(s ORDER BY stratum) AS states
  FROM (SELECT stratum, iso27001.trend_rate_agg(e, n, x) s FROM c_rows GROUP BY stratum) q;
SELECT ok(abs(slope / (-185463.0 / 14356528) - 1) < 1e-12
		  AND abs(slope_stderr / 0.0045992401952602990782 - 1) < 1e-12
		  AND abs(df / (805116782089.0 / 78470754869) - 1) < 1e-12
		  AND abs(p_value / 0.01808763950788525989 - 1) < 1e-10
		  AND abs(slope_lower / -0.02313101678974729952 - 1) < 1e-10
		  AND abs(slope_upper / -0.002705731482536918503 - 1) < 1e-10
		  AND n = 15 AND strata = 2 AND strata_left_out = 1 AND verdict = 'improving'
		  AND first_time IS NULL,
		  'C: pooled slope, se, df, p and interval as strata.py; 15 rows in 2 strata, 1 left out')
  FROM c_states, iso27001.stratified_trend(states, 'lower');
SELECT is((SELECT verdict FROM c_states, iso27001.stratified_trend(states, 'higher')), 'worsening',
		  'C read the other way: worsening');
SELECT is((SELECT verdict FROM iso27001.stratified_trend('{}', 'lower')), 'insufficient data', 'no strata: insufficient data');
SELECT is((SELECT verdict FROM iso27001.stratified_trend(NULL, 'lower')), 'insufficient data', 'NULL: insufficient data');
-- one stratum is that stratum's own trend: the pooled df is its k - 2
SELECT ok(abs(a.slope / r.slope - 1) < 1e-13 AND abs(a.slope_lower / r.slope_lower - 1) < 1e-12
		  AND abs(a.slope_upper / r.slope_upper - 1) < 1e-12 AND abs(a.p_value / r.p_value - 1) < 1e-12
		  AND a.verdict = r.verdict AND abs(a.df - 6) < 1e-12 AND a.n = r.n,
		  'one stratum: the same slope, interval, p and verdict as trend_report, on k - 2 = 6 df')
  FROM (SELECT iso27001.trend_rate_agg(e, n, x) s FROM c_rows WHERE stratum = 2) q,
	   iso27001.stratified_trend(ARRAY[q.s], 'lower', NULL) a, iso27001.trend_report(q.s, 'lower', NULL) r;

-- BI views: the cohort and the difficulty
SELECT results_eq(
	$$SELECT cohort, difficulty, events, trials, value FROM iso27001_bi.behaviour_series
	   WHERE scope = 'alpha' AND observed_at = '2025-03-03 00:00+00' ORDER BY cohort, difficulty$$,
	$$VALUES ('', 'easy', 5::bigint, 100::bigint, 0.05::double precision), ('', 'hard', 24, 100, 0.24),
			 ('Finance', 'easy', 2, 40, 0.05), ('Finance', 'hard', 12, 40, 0.3),
			 ('Sales', 'easy', 3, 60, 0.05), ('Sales', 'hard', 12, 60, 0.2)$$,
	'behaviour_series: the whole scope ('''') and each cohort, each template');
SELECT is((SELECT count(*) FROM iso27001_bi.behaviour_trend WHERE cohort = ''),
		  (SELECT count(DISTINCT (scope_id, metric)) FROM iso27001.behaviour_observation),
		  'cohort = '''': one row per scope and metric');

-- the evidence pack reads the whole scope's campaigns; two at one instant
-- come in the order of their difficulty, in the pack as in its CSV.  The
-- CSV of 2025-03-03 .. 2025-03-09 is
--   observed_at,events,trials,value
--   2025-03-03T00:00:00Z,5,100,
--   2025-03-03T00:00:00Z,24,100,
-- (LF line ends), whose SHA-256 is, by sha256sum:
SELECT is(iso27001.evidence_pack('alpha', 'phishing_click_rate', '2025-03-03', '2025-03-09') ->> 'observations_sha256',
		  'd3a441617320b60e5244b6e71e6ea93a24ee5483cc4fa031312462b78cd976de',
		  'the digest of two campaigns at one instant, as sha256sum computes it');
SELECT is(iso27001.evidence_pack('alpha', 'phishing_click_rate', '2025-03-03', '2025-03-09') -> 'observations',
		  '[{"observed_at": "2025-03-03T00:00:00Z", "events": 5, "trials": 100, "rate": 0.05},
			{"observed_at": "2025-03-03T00:00:00Z", "events": 24, "trials": 100, "rate": 0.24}]'::jsonb,
		  'the pack''s observations: the whole scope''s, easy before hard');
SELECT ok(abs((p -> 'trends' -> 'rate' ->> 'slope_per_month')::float8 / (-132183.0 / 2980000) - 1) < 1e-12
		  AND (p ->> 'observation_count')::int = 32 AND p ->> 'verdict' = 'improving',
		  'the pack over all of A: 32 campaigns, the unadjusted slope and verdict of the whole scope')
  FROM (SELECT iso27001.evidence_pack('alpha', 'phishing_click_rate') p) q;
SELECT is((SELECT count(*) FROM regexp_matches(iso27001.evidence_chart('alpha', 'phishing_click_rate'), '<circle', 'g')),
		  32::bigint, 'the chart: one marker per whole-scope campaign');

-- Student's t (closed forms for 1 and 2 df; 15.5 df by mpmath)
SELECT ok(abs(iso27001.student_t_p(2.5, 1) / 0.24223788318168679745 - 1) < 1e-14
		  AND abs(iso27001.student_t_p(-2.5, 2) / 0.12961172022151080911 - 1) < 1e-14
		  AND abs(iso27001.student_t_p(2.5, 15.5) / 0.02407551484892653815 - 1) < 1e-13
		  AND iso27001.student_t_p(0, 3) = 1,
		  'student_t_p: 1 - 2 atan(t)/pi (1 df), 1 - t/sqrt(2 + t^2) (2 df), 15.5 df as mpmath');
SELECT ok(abs(iso27001.student_t_critical(0.95, 1) / 12.706204736174704646 - 1) < 1e-14
		  AND abs(iso27001.student_t_critical(0.95, 2) / 4.3026527297494638523 - 1) < 1e-14
		  AND abs(iso27001.student_t_critical(0.95, 15.5) / 2.1254766592309388978 - 1) < 1e-13
		  AND abs(iso27001.student_t_critical(0.95, 'Infinity') / 1.959963984540054 - 1) < 1e-14,
		  'student_t_critical: tan(0.95 pi / 2), sqrt(2 c^2 / (1 - c^2)), 15.5 df as mpmath, the normal''s 1.959964');

-- bad input
SELECT throws_ok($$SELECT iso27001.student_t_p(1, 0)$$, '22023', 'degrees of freedom must be positive', 'df 0: 22023');
SELECT throws_ok($$SELECT iso27001.student_t_critical(1, 5)$$, '22023',
				 'confidence level must be between 0 and 1 (exclusive)', 'level 1: 22023');
SELECT throws_ok($$SELECT * FROM iso27001.trend_adjusted('alpha', 'time_to_report_hours')$$, '22023',
				 'behaviour metric "time_to_report_hours" is not a rate', 'a value metric: 22023');
SELECT throws_ok($$SELECT * FROM iso27001.trend_adjusted('alpha', 'phishing_click_rate', 'Finanse')$$, '22023',
				 'cohort "Finanse" has no observations of metric "phishing_click_rate" in scope "alpha"', 'an unknown cohort: 22023');
SELECT throws_ok($$SELECT * FROM iso27001.trend_adjusted('alpha', 'phishing_click_rate', NULL)$$, '22004',
				 'cohort must not be null', 'a NULL cohort: 22004');
SELECT throws_ok($$SELECT * FROM iso27001.trend_adjusted('nowhere', 'phishing_click_rate')$$, '22023',
				 'ISMS scope "nowhere" does not exist', 'an unknown scope: 22023');
SELECT throws_ok($$SELECT * FROM iso27001.trend_adjusted(NULL, 'phishing_click_rate')$$, '22004',
				 'scope and metric must not be null', 'a NULL scope: 22004');
SELECT throws_ok($$SELECT * FROM iso27001.trend_adjusted('alpha', 'phishing_click_rate', alpha => 1)$$, '22023',
				 'alpha must be between 0 and 1 (exclusive)', 'alpha 1: 22023');
SELECT throws_ok($$SELECT * FROM iso27001.stratified_trend('{}', 'down')$$, '22023',
				 'invalid value for better: "down"', 'better must be lower or higher: 22023');

SELECT * FROM finish();
ROLLBACK;
