-- Run by bench/trend.sh; see there.  :part is all or robust.
CREATE EXTENSION iso27001;
SET search_path = public, iso27001;
\ir common.sql
SET work_mem = '256MB';
SELECT :'part' = 'all' AS part_all \gset
SELECT format('PostgreSQL %s', current_setting('server_version')) AS server \gset

\if :part_all

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
\endif

-- The robust trend: the 1,000,000 points of organizations 0 to 99 above
-- (every thousandth row from the 0th to the 99th, 3 s apart), in tables of
-- their own, once in time order and once in random order; Sen's slope
-- (aggregate and selection) against percentile_cont(0.5) over the same
-- rows, the statements run in turn
SET max_parallel_workers_per_gather = 0;
CREATE TABLE robust_ordered AS
SELECT '2024-01-01'::timestamptz + g * interval '3 seconds' AS t,
	   0.2 - g * 1e-9 + 0.05 * sin(g * 0.7) AS y
  FROM generate_series(1, 10000000) g WHERE g % 1000 < 100 ORDER BY g;
SELECT setseed(0.27001);
CREATE TABLE robust_random AS SELECT * FROM robust_ordered ORDER BY random();
VACUUM ANALYZE robust_ordered;
VACUUM ANALYZE robust_random;
CREATE TEMP TABLE robust_result (ord serial, measure text, kind text, value numeric);
-- every run on a state of its own, y moved by 2^-20 more (the same work;
-- a float8 addition a row), so that none finds the result a backend keeps
-- of the last
CREATE SEQUENCE robust_shift;
SELECT bench_interleaved(ARRAY[
	'SELECT slope(trend_robust_agg(y + d, t)) FROM robust_ordered, (SELECT nextval(''robust_shift'')::float8 / 1048576 AS d) q',
	'SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY y) FROM robust_ordered',
	'SELECT slope(trend_robust_agg(y + d, t)) FROM robust_random, (SELECT nextval(''robust_shift'')::float8 / 1048576 AS d) q',
	'SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY y) FROM robust_random'], :runs) AS r \gset
INSERT INTO robust_result (measure, kind, value)
SELECT m, k, (:'r'::numeric[])[i]
  FROM (VALUES (1, 'time order', 'iso27001 slope(trend_robust_agg(y, t))'),
			   (2, 'time order', 'percentile_cont(0.5) WITHIN GROUP (ORDER BY y) (floor)'),
			   (3, 'random order', 'iso27001 slope(trend_robust_agg(y, t))'),
			   (4, 'random order', 'percentile_cont(0.5) WITHIN GROUP (ORDER BY y) (floor)')) v(i, m, k);

\echo
SELECT format('Robust trend: Sen''s slope over 1,000,000 points in each order, median of %s runs, %s',
			  :runs, :'server') AS title \gset
\echo :title
SELECT r.measure AS "rows in", r.kind, r.value AS ms, round(r.value / b.value, 2) AS "ratio to floor"
  FROM robust_result r
  JOIN robust_result b ON b.measure = r.measure AND b.kind LIKE '%(floor)'
 ORDER BY r.ord;

-- Stored states for bench/trend.sh (the accessors detoast them), timed
-- there each in a fresh backend: 1,000,000 and 2,000,000 points, and the
-- sizes around the switch from listing every pair to selecting
CREATE TABLE robust_state (points int PRIMARY KEY, s trend_robust);
INSERT INTO robust_state SELECT 1000000, trend_robust_agg(y, t) FROM robust_ordered;
INSERT INTO robust_state
SELECT 2000000, trend_robust_agg(0.2 - g * 1e-9 + 0.05 * sin(g * 0.7), '2024-01-01'::timestamptz + g * interval '3 seconds')
  FROM generate_series(1, 2000000) g;
INSERT INTO robust_state
SELECT n, trend_robust_agg(0.2 - g * 1e-9 + 0.05 * sin(g * 0.7), '2024-01-01'::timestamptz + g * interval '1 hour')
  FROM unnest('{500,724,725,1000,2000,3996,4195}'::int[]) n, generate_series(1, n) g GROUP BY n;

-- For the memory measurements of bench/trend.sh (each in a fresh backend):
-- evidence_pack over 600,000 observations of one value metric
SET TimeZone = 'UTC';
SELECT iso27001.create_scope('bench') \gset
INSERT INTO iso27001.behaviour_observation (scope_id, metric, observed_at, value)
SELECT (SELECT scope_id FROM iso27001.soa_scope WHERE name = 'bench'), 'time_to_report_hours',
	   '2000-01-01'::timestamptz + g * interval '10 minutes', 20 - g * 1e-5 + 3 * sin(g * 0.3)
  FROM generate_series(1, 600000) g;
ANALYZE iso27001.behaviour_observation;
CREATE TABLE robust_memory (ord serial, what text, ms numeric, peak_mb numeric);
SELECT :runs AS runs \gset
