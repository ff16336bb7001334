-- How close real states come to the plausibility bounds of trend_ols and
-- trend_rate input (docs/trend_statistics.md §6.3): perfect lines (on the
-- Cauchy-Schwarz bound), lines with 1e-12 noise, steps and reversed rates,
-- with offsets up to 3.3e15 in x and 1e15 in y, over x and time, whole and
-- rolled up from 7 states and from single rows.  Prints, per kind, the
-- states that input refuses (must be 0) and the largest excess over the
-- bound in units of eps n X Y (trend_ols) or eps n W X (trend_rate); the
-- input allows 64.  A measurement, not a test (random noise).
--   tools/with_cluster.sh psql -X -q -f bench/state_tolerance.sql
CREATE EXTENSION IF NOT EXISTS iso27001;
SET search_path = public, iso27001;
CREATE TEMP TABLE cfg AS
SELECT x0, a, b, n, dx FROM unnest('{0,1e6,1e9,-1e12,3.3e15}'::float8[]) x0,
  unnest('{0,1e8,1e15,-7.77e300}'::float8[]) a, unnest('{1,-3.7,1e-9,1e20}'::float8[]) b,
  unnest('{3,100,5000}'::int[]) n, unnest('{1,0.001,1e7}'::float8[]) dx;
CREATE TEMP TABLE pts AS SELECT x0,a,b,n,dx,i, x0 + i*dx AS x, a + b*(x0 + i*dx) AS y,
	a + b*(x0+i*dx) + (random()-0.5)*1e-12*abs(a + b*(x0+i*dx)) AS yn
  FROM cfg, generate_series(1, n) i WHERE abs(a + b*(x0 + n*dx)) < 1e300;
CREATE TEMP TABLE st AS
    SELECT 'whole' k, trend_ols_agg(y, x) s FROM pts GROUP BY x0,a,b,n,dx
    UNION ALL SELECT 'noisy', trend_ols_agg(yn, x) FROM pts GROUP BY x0,a,b,n,dx
    UNION ALL SELECT 'xy swapped', trend_ols_agg(x, y) FROM pts GROUP BY x0,a,b,n,dx
    UNION ALL SELECT 'rollup7', rollup(s) FROM (SELECT x0,a,b,n,dx, trend_ols_agg(y, x) s FROM pts GROUP BY x0,a,b,n,dx, i % 7) q GROUP BY x0,a,b,n,dx
    UNION ALL SELECT 'rollup1', rollup(s ORDER BY i DESC) FROM (SELECT x0,a,b,n,dx,i, trend_ols_agg(y, x) s FROM pts GROUP BY x0,a,b,n,dx, i) q GROUP BY x0,a,b,n,dx
    UNION ALL SELECT 'time', trend_ols_agg(y, '2001-01-01'::timestamptz + (i*dx) * interval '1 second') FROM pts WHERE dx*n < 1e9 GROUP BY x0,a,b,n,dx;
CREATE FUNCTION pg_temp.reads_back(s trend_ols) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN PERFORM s::text::trend_ols; RETURN true; EXCEPTION WHEN invalid_text_representation THEN RETURN false; END $$;
-- fields: 5 n, 6 sx, 7 sxx, 8 sy, 9 syy, 10 sxy
SELECT 'trend_ols' AS family, k AS kind, count(*) AS states, count(*) FILTER (WHERE NOT pg_temp.reads_back(s)) AS refused,
	   max((abs(f[10]::float8) - sqrt(f[7]::float8) * sqrt(f[9]::float8)) /
		   (2.220446049250313e-16 * f[5]::float8 * (abs(f[6]::float8 / f[5]::float8) + sqrt(f[7]::float8))
			* (abs(f[8]::float8 / f[5]::float8) + sqrt(f[9]::float8)))) FILTER (WHERE f[7] <> 'NaN' AND f[9] <> 'NaN' AND f[10] <> 'NaN') AS max_excess
  FROM (SELECT k, s, string_to_array(trim(both '()' from s::text), ',') f FROM st) q GROUP BY k ORDER BY k;

CREATE TEMP TABLE rcfg AS
SELECT x0, n, dx, k FROM unnest('{0,1e6,1e9,-1e12,3.3e15}'::float8[]) x0,
  unnest('{2,3,100,3000}'::int[]) n, unnest('{1,0.001,1e7}'::float8[]) dx, unnest('{1,7,1000003}'::bigint[]) k;
CREATE TEMP TABLE rpts AS SELECT x0,n,dx,k,i, x0 + i*dx AS x, k*(i-1) AS e, k*(n-1) AS t,
   (k*(i-1)*(random()*0.2+0.9))::bigint / 2 AS en
  FROM rcfg, generate_series(1, n) i;
CREATE TEMP TABLE rst AS
    SELECT 'linear' g, trend_rate_agg(e, t, x) s FROM rpts GROUP BY x0,n,dx,k
    UNION ALL SELECT 'reversed', trend_rate_agg(t - e, t, x) FROM rpts GROUP BY x0,n,dx,k
    UNION ALL SELECT 'noisy', trend_rate_agg(least(en, t), t, x) FROM rpts GROUP BY x0,n,dx,k
    UNION ALL SELECT 'step', trend_rate_agg(CASE WHEN i > n/2 THEN t ELSE 0 END, t, x) FROM rpts GROUP BY x0,n,dx,k
    UNION ALL SELECT 'rollup7', rollup(s) FROM (SELECT x0,n,dx,k, trend_rate_agg(e, t, x) s FROM rpts GROUP BY x0,n,dx,k, i % 7) q GROUP BY x0,n,dx,k
    UNION ALL SELECT 'rollup1', rollup(s ORDER BY i DESC) FROM (SELECT x0,n,dx,k,i, trend_rate_agg(e, t, x) s FROM rpts GROUP BY x0,n,dx,k, i) q GROUP BY x0,n,dx,k
    UNION ALL SELECT 'time', trend_rate_agg(e, t, '2001-01-01'::timestamptz + (i*dx) * interval '1 second') FROM rpts WHERE dx*n < 1e9 GROUP BY x0,n,dx,k;
CREATE FUNCTION pg_temp.reads_back(s trend_rate) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN PERFORM s::text::trend_rate; RETURN true; EXCEPTION WHEN invalid_text_representation THEN RETURN false; END $$;
-- fields: 5 n, 6 trials, 7 events, 8 mean_x, 9 pbar, 10 sxx, 11 sxp, 12 spp
SELECT 'trend_rate' AS family, g AS kind, count(*) AS states, count(*) FILTER (WHERE NOT pg_temp.reads_back(s)) AS refused,
	   max((abs(f[11]::float8) - sqrt(f[10]::float8) * sqrt(least(f[12]::float8, f[6]::float8 * f[9]::float8 * (1 - f[9]::float8))))
		   / (2.220446049250313e-16 * f[5]::float8 * f[6]::float8 * (abs(f[8]::float8) + sqrt(f[10]::float8)))) AS max_excess
  FROM (SELECT g, s, string_to_array(trim(both '()' from s::text), ',') f FROM rst) q WHERE f[1] <> 'empty' GROUP BY g ORDER BY g;
