--
-- Behaviour trends (4): the trend of a rate adjusted for a stratifying
-- attribute (a phishing template's difficulty level), so that a run of
-- easier templates is not read as improvement: one rate trend per
-- stratum, their slopes pooled by inverse-variance weights and tested
-- with Student's t on Satterthwaite's degrees of freedom
-- (docs/trend_statistics.md §13).
--

CREATE FUNCTION iso27001.student_t_p(t double precision, df double precision)
	RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.student_t_p(double precision, double precision) IS
	'two-sided p-value P(|T| >= |t|) of Student''s t with df degrees of freedom (df > 0, also fractional; infinity: the normal)';

CREATE FUNCTION iso27001.student_t_critical(level double precision, df double precision)
	RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.student_t_critical(double precision, double precision) IS
	'the t > 0 with P(|T| >= t) = 1 - level for Student''s t with df degrees of freedom: the multiplier of a two-sided confidence interval';

-- Each stratum's slope b_s and standard error se_s (the rate family's own,
-- widened by the stratum's dispersion) give the weight w_s = 1 / se_s^2;
-- the pooled slope is sum(w_s b_s) / sum(w_s), its standard error
-- 1 / sqrt(sum(w_s)), and t = slope / se is read against Student's t with
-- Satterthwaite's df = sum(w_s)^2 / sum(w_s^2 / (k_s - 2)), k_s the
-- stratum's rows.  A stratum without a standard error (fewer than 5 rows,
-- no events or only events, or no spread in time) is left out and counted.
CREATE FUNCTION iso27001.stratified_trend(states iso27001.trend_rate[], better text,
											 unit interval DEFAULT '1 month',
											 alpha double precision DEFAULT 0.05)
	RETURNS TABLE (n bigint, first_time timestamptz, last_time timestamptz,
				   slope double precision, slope_lower double precision,
				   slope_upper double precision, p_value double precision, verdict text,
				   slope_stderr double precision, df double precision,
				   strata integer, strata_left_out integer)
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT coalesce(p.n, 0), p.first_time, p.last_time, p.slope,
		   p.slope OPERATOR(pg_catalog.-) (c.crit OPERATOR(pg_catalog.*) p.se),
		   p.slope OPERATOR(pg_catalog.+) (c.crit OPERATOR(pg_catalog.*) p.se),
		   c.p_value,
		   iso27001.trend_verdict(p.n, p.slope,
									 p.slope OPERATOR(pg_catalog.-) (c.crit OPERATOR(pg_catalog.*) p.se),
									 p.slope OPERATOR(pg_catalog.+) (c.crit OPERATOR(pg_catalog.*) p.se),
									 c.p_value, stratified_trend.better, stratified_trend.alpha),
		   p.se, p.df, p.strata, p.left_out
	  FROM (SELECT pg_catalog.sum(s.n) FILTER (WHERE s.used)::bigint AS n,
				   pg_catalog.min(s.first_time) FILTER (WHERE s.used) AS first_time,
				   pg_catalog.max(s.last_time) FILTER (WHERE s.used) AS last_time,
				   pg_catalog.sum(s.w OPERATOR(pg_catalog.*) s.b) FILTER (WHERE s.used)
					   OPERATOR(pg_catalog./) pg_catalog.sum(s.w) FILTER (WHERE s.used) AS slope,
				   1 OPERATOR(pg_catalog./) pg_catalog.sqrt(pg_catalog.sum(s.w) FILTER (WHERE s.used)) AS se,
				   pg_catalog.sum(s.w) FILTER (WHERE s.used) OPERATOR(pg_catalog.*) pg_catalog.sum(s.w) FILTER (WHERE s.used)
					   OPERATOR(pg_catalog./)
					   pg_catalog.sum(s.w OPERATOR(pg_catalog.*) s.w
									  OPERATOR(pg_catalog./) (s.n OPERATOR(pg_catalog.-) 2)) FILTER (WHERE s.used) AS df,
				   pg_catalog.count(*) FILTER (WHERE s.used)::integer AS strata,
				   pg_catalog.count(*) FILTER (WHERE NOT s.used)::integer AS left_out
			  FROM (SELECT e.n, e.first_time, e.last_time, e.b,
						   CASE WHEN e.se OPERATOR(pg_catalog.>) 0 AND e.b IS NOT NULL
								THEN 1 OPERATOR(pg_catalog./) (e.se OPERATOR(pg_catalog.*) e.se) END AS w,
						   coalesce(e.se OPERATOR(pg_catalog.>) 0 AND e.b IS NOT NULL
											   AND e.n OPERATOR(pg_catalog.>) 2, false) AS used
					  FROM (SELECT iso27001.n(x.state) AS n,
								   iso27001.first_time(x.state) AS first_time,
								   iso27001.last_time(x.state) AS last_time,
								   iso27001.slope(x.state, x.unit) AS b,
								   iso27001.slope_stderr(x.state, x.unit) AS se
							  -- a trend over x has no time unit: its slope is per x
							  FROM (SELECT u.state,
										   CASE WHEN iso27001.first_time(u.state) IS NULL THEN NULL
												ELSE stratified_trend.unit END AS unit
									  FROM pg_catalog.unnest(stratified_trend.states) AS u(state)
									 WHERE u.state IS NOT NULL) x
							 OFFSET 0) e) s) p
	 CROSS JOIN LATERAL (
			-- a bad alpha is the verdict's to refuse (22023)
			SELECT CASE WHEN p.se OPERATOR(pg_catalog.>) 0 AND stratified_trend.alpha OPERATOR(pg_catalog.>) 0
							 AND stratified_trend.alpha OPERATOR(pg_catalog.<) 1
						THEN iso27001.student_t_critical(1 OPERATOR(pg_catalog.-) stratified_trend.alpha, p.df) END AS crit,
				   CASE WHEN p.se OPERATOR(pg_catalog.>) 0
						THEN iso27001.student_t_p(p.slope OPERATOR(pg_catalog./) p.se, p.df) END AS p_value) c;
END;
COMMENT ON FUNCTION iso27001.stratified_trend(iso27001.trend_rate[], text, interval, double precision) IS
	'the trend of a rate adjusted for strata (one rate trend per difficulty level or template): the strata''s slopes pooled by inverse-variance weights, its interval, p-value (Student t, Satterthwaite''s df) and verdict; strata without a standard error (fewer than 5 rows) are left out and counted';
