-- The seasonal Mann-Kendall test and seasonal Kendall slope: the two
-- datasets of test/fixtures/trend_vectors/seasonal.csv (pyMannKendall's Bogra
-- seasonal_test and seasonal_sens_slope reproduced by the reference generator of
-- docs/trend_statistics.md §9.3, and 36 monthly click rates) to 1e-12.
\ir ../include/preamble.sql
SET LOCAL search_path = public, iso27001;

SELECT plan(7);

CREATE TEMP TABLE seasonal (dataset text, period text, season text, t text, y text, smk_s text,
	smk_vars text, smk_z text, smk_p_two_sided text, seasonal_sen_slope text, description text);
\copy seasonal FROM 'test/fixtures/trend_vectors/seasonal.csv' WITH (FORMAT csv, HEADER true)
CREATE TEMP TABLE result AS
SELECT dataset, (seasonal_trend(array_agg(st))).*
  FROM (SELECT dataset, p.season, trend_robust_agg(p.y, p.t) AS st
		  FROM seasonal, unnest(season::int[], t::float8[], y::float8[]) AS p(season, t, y)
		 GROUP BY dataset, p.season) q
 GROUP BY dataset;
CREATE FUNCTION pg_temp.close(a float8, b float8) RETURNS boolean LANGUAGE sql AS $$
	SELECT a IS NOT DISTINCT FROM b OR abs(a - b) <= greatest(1e-12 * abs(b), 1e-15)
$$;

SELECT is((SELECT count(*) FROM result), 2::bigint, 'the 2 datasets of seasonal.csv');
SELECT is_empty($$SELECT dataset FROM result JOIN seasonal USING (dataset) WHERE s <> smk_s::bigint$$,
				'seasonal S of both, exactly (-399 for Bogra, -24 for the click rates)');
SELECT is_empty($$SELECT dataset FROM result JOIN seasonal USING (dataset) WHERE NOT pg_temp.close(var_s, smk_vars::float8)$$,
				'var(S), the seasons'' tie-corrected variances summed');
SELECT is_empty($$SELECT dataset FROM result JOIN seasonal USING (dataset) WHERE NOT pg_temp.close(z, smk_z::float8)$$,
				'z with continuity correction');
SELECT is_empty($$SELECT dataset FROM result JOIN seasonal USING (dataset) WHERE NOT pg_temp.close(p_value, smk_p_two_sided::float8)$$,
				'two-sided p');
SELECT is_empty($$SELECT dataset FROM result JOIN seasonal USING (dataset) WHERE NOT pg_temp.close(slope, seasonal_sen_slope::float8)$$,
				'the seasonal Kendall slope: the median within-season slope (-2/23 per year for Bogra)');
SELECT is(seasons, 12, 'twelve seasons') FROM result WHERE dataset = 'monthly_clickrate_3yr';

SELECT * FROM finish();
ROLLBACK;
