-- Run by bench/trend.sh; see there.
CREATE EXTENSION iso27001;
SET search_path = public, iso27001;
\ir common.sql
SET work_mem = '256MB';

-- observations: 1,000 organizations, one measure every few minutes
CREATE TABLE obs (org int, t timestamptz, y float8, x float8);
INSERT INTO obs
SELECT g % 1000, '2024-01-01'::timestamptz + g * interval '3 seconds',
	   0.2 - g * 1e-9 + 0.05 * sin(g * 0.7), 0
  FROM generate_series(1, :rows) g;
UPDATE obs SET x = extract(epoch FROM t);
VACUUM ANALYZE obs;
-- 100,000 campaigns: clicks out of recipients
CREATE TABLE campaign AS
SELECT g % 100 AS org, '2020-01-01'::timestamptz + g * interval '1 hour' AS sent_at,
	   400::bigint AS recipients, (400 * (0.2 - g * 1e-7) + 20 * sin(g))::bigint AS clicks
  FROM generate_series(1, 100000) g;
VACUUM ANALYZE campaign;

CREATE TEMP TABLE result (measure text, kind text, workers int, value numeric);

CREATE FUNCTION run_all(workers int) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	PERFORM set_config('max_parallel_workers_per_gather', workers::text, false);
	INSERT INTO result VALUES
	('least squares, whole table (ms)', 'iso27001 trend_ols_agg: slope, stderr, p', workers,
	 bench('SELECT slope(s), slope_stderr(s), p_value(s) FROM (SELECT trend_ols_agg(y, t) s FROM obs) q', current_setting('bench.runs')::int)),
	('least squares, whole table (ms)', 'regr_slope(y, extract(epoch FROM t))', workers,
	 bench('SELECT regr_slope(y, extract(epoch FROM t)) FROM obs', current_setting('bench.runs')::int)),
	('least squares, whole table (ms)', 'regr_slope(y, x) on a float8 column (floor)', workers,
	 bench('SELECT regr_slope(y, x) FROM obs', current_setting('bench.runs')::int)),
	('least squares, per organization (ms)', 'iso27001 trend_ols_agg: slope, stderr, p', workers,
	 bench('SELECT count(p_value(s)) FROM (SELECT org, trend_ols_agg(y, t) s FROM obs GROUP BY org) q', current_setting('bench.runs')::int)),
	('least squares, per organization (ms)', 'regr_slope(y, extract(epoch FROM t))', workers,
	 bench('SELECT count(b) FROM (SELECT org, regr_slope(y, extract(epoch FROM t)) b FROM obs GROUP BY org) q', current_setting('bench.runs')::int)),
	('least squares, per organization (ms)', 'regr_slope(y, x) on a float8 column (floor)', workers,
	 bench('SELECT count(b) FROM (SELECT org, regr_slope(y, x) b FROM obs GROUP BY org) q', current_setting('bench.runs')::int)),
	('robust, 1,000,000 points (ms)', 'iso27001 trend_robust_agg: Mann-Kendall S, z, p', workers,
	 bench('SELECT mk_p(s) FROM (SELECT trend_robust_agg(y, t) s FROM obs WHERE org < 100) q', current_setting('bench.runs')::int)),
	('robust, 1,000,000 points (ms)', 'percentile_cont(0.5) WITHIN GROUP (ORDER BY y) (floor)', workers,
	 bench('SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY y) FROM obs WHERE org < 100', current_setting('bench.runs')::int)),
	('rate, 100,000 campaigns (ms)', 'iso27001 trend_rate_agg: slope, Cochran-Armitage p', workers,
	 bench('SELECT slope(s), ca_p(s) FROM (SELECT trend_rate_agg(clicks, recipients, sent_at) s FROM campaign) q', current_setting('bench.runs')::int)),
	('rate, 100,000 campaigns (ms)', 'regr_slope(clicks / recipients, extract(epoch FROM sent_at))', workers,
	 bench('SELECT regr_slope(clicks::float8 / recipients, extract(epoch FROM sent_at)) FROM campaign', current_setting('bench.runs')::int));
END $$;

SELECT set_config('bench.runs', :'runs', false);
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SELECT run_all(0);
SELECT run_all(2);
-- Sen's slope over the 1,000,000 points: once, serial
SET max_parallel_workers_per_gather = 0;
INSERT INTO result VALUES
	('robust, 1,000,000 points (ms)', 'iso27001 Sen''s slope (once)', 0,
	 bench('SELECT slope(s) FROM (SELECT trend_robust_agg(y, t) s FROM obs WHERE org < 100) q', 1));

SELECT format('Trend benchmark: %s observations (1,000 organizations), median of %s runs, PostgreSQL %s',
			  :rows, :runs, current_setting('server_version')) AS title \gset
\echo
\echo :title
SELECT r.measure, r.kind, r.workers, r.value AS ms,
	   round(r.value / b.value, 2) AS "ratio to floor"
  FROM result r
  LEFT JOIN result b ON b.measure = r.measure AND b.workers = r.workers
   AND (b.kind LIKE '%(floor)' OR (r.measure LIKE 'rate%' AND b.kind LIKE 'regr_slope%'))
 ORDER BY r.measure, r.workers, r.kind;
SELECT r.measure, r.workers, round(e.value / r.value, 2) AS "extract idiom / iso27001"
  FROM result r JOIN result e ON e.measure = r.measure AND e.workers = r.workers
 WHERE r.kind LIKE 'iso27001 trend_ols%' AND e.kind LIKE 'regr_slope(y, extract%'
 ORDER BY 1, 2;
