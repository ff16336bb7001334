-- Run by bench/cohort.sh; see there.
CREATE EXTENSION iso27001;
SET search_path = public, iso27001;
\ir common.sql
SET work_mem = '256MB';

-- :scopes scopes x 52 weekly campaigns of 400 recipients: four cohorts of
-- 100, each campaign a hard or an easy template (alternate weeks), clicks
-- from a fixed pseudo-random pattern.  The same campaigns twice: split by
-- cohort and difficulty under phish_prone_rate, and as the scope's totals
-- without cohort or difficulty under phishing_click_rate (0.2.1's shape).
INSERT INTO soa_scope (name) SELECT 'scope-' || g FROM generate_series(1, :scopes) AS g;
CREATE TEMP TABLE split AS
SELECT s.scope_id, '2025-01-06 09:00+00'::timestamptz + w * interval '1 week' AS observed_at,
	   'cohort-' || c AS cohort, CASE WHEN w % 2 = 0 THEN 'hard' ELSE 'easy' END AS difficulty,
	   (CASE WHEN w % 2 = 0 THEN 20 ELSE 6 END + (s.scope_id * 7 + w * 13 + c * 5) % 9)::bigint AS events,
	   100::bigint AS trials
  FROM soa_scope s, generate_series(0, 51) AS w, generate_series(1, 4) AS c;
INSERT INTO behaviour_observation (scope_id, metric, observed_at, cohort, difficulty, events, trials)
SELECT scope_id, 'phish_prone_rate', observed_at, cohort, difficulty, events, trials FROM split;
INSERT INTO behaviour_observation (scope_id, metric, observed_at, events, trials)
SELECT scope_id, 'phishing_click_rate', observed_at, sum(events), sum(trials) FROM split GROUP BY 1, 2, 3;
DROP TABLE split;
VACUUM ANALYZE;

-- the view's query as 0.2.1 had it (its 0.2.2 columns dispersion and
-- min_effect included), over the table
CREATE TEMP VIEW trend_0_2_1 AS
SELECT g.scope_id, s.name AS scope, g.metric, m.name AS metric_name, m.control::text AS control_id,
	   m.better, m.unit,
	   CASE m.kind WHEN 'rate' THEN 'rate (Cochran-Armitage with dispersion)'
			ELSE 'robust (Theil-Sen, Mann-Kendall)' END AS method,
	   r.n, r.first_time, r.last_time,
	   r.slope::numeric AS slope_per_month, r.slope_lower::numeric AS slope_lower,
	   r.slope_upper::numeric AS slope_upper, r.p_value::numeric AS p_value,
	   material_verdict(r.verdict, r.slope * 12, m.min_effect) AS verdict,
	   (CASE m.kind WHEN 'rate' THEN fitted_last(g.rate_state)
			 ELSE fitted_at(g.robust_state, r.last_time) END)::numeric AS fitted_last,
	   t.target::numeric AS target, t.due_date AS target_date,
	   CASE m.kind WHEN 'rate' THEN dispersion(g.rate_state) END::numeric AS dispersion,
	   m.min_effect::numeric AS min_effect
  FROM (SELECT o.scope_id, o.metric,
			   trend_rate_agg(o.events, o.trials, o.observed_at) AS rate_state,
			   trend_robust_agg(o.value, o.observed_at) AS robust_state
		  FROM behaviour_observation o
		 GROUP BY o.scope_id, o.metric) g
  JOIN soa_scope s ON s.scope_id = g.scope_id
  JOIN behaviour_metric m ON m.metric = g.metric
 CROSS JOIN LATERAL (
		SELECT * FROM trend_report(g.rate_state, m.better) WHERE m.kind = 'rate'
		UNION ALL
		SELECT * FROM trend_report(g.robust_state, m.better) WHERE m.kind = 'value') r
  LEFT JOIN behaviour_target t ON t.scope_id = g.scope_id AND t.metric = g.metric;

CREATE TEMP TABLE result (measure text, kind text, value numeric, base boolean);
SELECT bench_interleaved(ARRAY[
	$$SELECT sum(length(v::text)) FROM trend_0_2_1 v WHERE metric = 'phishing_click_rate'$$,
	$$SELECT sum(length(v::text)) FROM iso27001_bi.behaviour_trend v WHERE metric = 'phishing_click_rate'$$,
	$$SELECT sum(length(v::text)) FROM iso27001_bi.behaviour_trend v WHERE metric = 'phish_prone_rate' AND cohort = ''$$,
	$$SELECT sum(length(v::text)) FROM iso27001_bi.behaviour_trend v WHERE metric = 'phish_prone_rate'$$], :runs) AS t \gset
INSERT INTO result
SELECT format('behaviour_trend, %s scopes x 52 campaigns (ms)', :scopes), k, (:'t'::numeric[])[i], i = 1
  FROM unnest(ARRAY[
	'0.2.1 query, unsplit rows (1 trend a scope)',
	'behaviour_trend, unsplit rows (1 trend a scope, adjusted over 1 level)',
	'behaviour_trend, split rows (4 cohorts x 2 levels), cohort = '''' only',
	'behaviour_trend, split rows (4 cohorts x 2 levels), all 5 trends a scope']) WITH ORDINALITY AS u(k, i);

-- one scope: the adjusted trend against the plain rate trend, both read
-- from the whole scope's campaigns (100 calls each)
SELECT bench_interleaved(ARRAY[
	$$SELECT count(r.verdict) FROM generate_series(1, 100) i,
			 LATERAL (SELECT trend_rate_agg(c.events, c.trials, c.observed_at) AS s FROM behaviour_campaign c
					   WHERE c.scope_id = i % 1 + 1 AND c.metric = 'phish_prone_rate' AND c.cohort = '') q,
			 LATERAL trend_report(q.s, 'lower') r$$,
	$$SELECT count(a.verdict) FROM generate_series(1, 100) i,
			 LATERAL trend_adjusted('scope-' || (i % 1 + 1), 'phish_prone_rate') a$$], :runs) AS t \gset
INSERT INTO result
SELECT 'one scope, split rows, 100 calls (ms)', k, (:'t'::numeric[])[i], i = 1
  FROM unnest(ARRAY['trend_report of trend_rate_agg over behaviour_campaign (unadjusted)',
					'trend_adjusted (2 difficulty levels pooled)']) WITH ORDINALITY AS u(k, i);

SELECT format('Cohort benchmark: %s scopes x 52 campaigns (x 4 cohorts when split), median of %s interleaved runs, PostgreSQL %s',
			  :scopes, :runs, current_setting('server_version')) AS title \gset
\echo
\echo :title
SELECT r.measure, r.kind, r.value AS ms, round(r.value / b.value, 2) AS "ratio to the first"
  FROM result r JOIN result b ON b.measure = r.measure AND b.base
 ORDER BY r.measure DESC, r.value = b.value DESC, r.kind;
