/* sql/iso27001--0.2.1--0.2.2.sql: update a 0.2.1 database to 0.2.2 */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION iso27001 UPDATE TO '0.2.2'" to load this file. \quit

-- 0.2.2 changes where things live, not what they do (see CHANGELOG.md).
-- The look-ups of a scope and of an approved version by name, with their
-- errors, move from PL/pgSQL to C (src/soa_register.c), where
-- soa_as_of_version uses them too: same results, SQLSTATEs, messages and
-- hints, without the PL/pgSQL context line.  Many functions depend on
-- them, so they are replaced in place.

CREATE OR REPLACE FUNCTION @extschema@.soa_scope_id(scope text)
	RETURNS bigint
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;

CREATE OR REPLACE FUNCTION @extschema@.soa_version_time(scope text, version integer)
	RETURNS timestamptz
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;

-- The rate family's default test widens by the dispersion (issue 14): the
-- state keeps Spp where 0.2.1 kept pbar (trend_rate.c; states of 0.2.1 are
-- read as written and give no dispersion), dispersion() is new, p_value()
-- of a rate state is the quasi-binomial test (ca_p() stays the binomial
-- one), and the verdict and report say insufficient data with fewer than 5
-- rows.  The standard error and interval functions keep their definitions
-- (their C changed); their comments say what they return now.

CREATE FUNCTION @extschema@.dispersion(@extschema@.trend_rate)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_rate_dispersion' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.dispersion(@extschema@.trend_rate) IS
	'dispersion phi: the rows'' scatter around the fitted line over the binomial''s (1: binomial; 3: campaigns differ three times as much); NULL with fewer than 5 rows';

CREATE OR REPLACE FUNCTION @extschema@.p_value(@extschema@.trend_rate)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_rate_p_value' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.p_value(@extschema@.trend_rate) IS
	'two-sided p-value of the rate trend: Cochran-Armitage widened by the dispersion (quasi-binomial), Student t with n - 2 degrees of freedom; NULL with fewer than 5 rows';

CREATE OR REPLACE FUNCTION @extschema@.verdict(state @extschema@.trend_rate, better text,
									alpha double precision DEFAULT 0.05)
	RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
	-- too few rows to estimate the dispersion (but a variance to test): insufficient data
	SELECT @extschema@.trend_verdict(
			CASE WHEN @extschema@.dispersion(verdict.state) IS NULL
					  AND @extschema@.ca_p(verdict.state) IS NOT NULL THEN NULL
				 ELSE @extschema@.n(verdict.state) END,
			@extschema@.slope(verdict.state),
			@extschema@.slope_lower(verdict.state, NULL, 1 OPERATOR(pg_catalog.-) verdict.alpha),
			@extschema@.slope_upper(verdict.state, NULL, 1 OPERATOR(pg_catalog.-) verdict.alpha),
			@extschema@.p_value(verdict.state), verdict.better, verdict.alpha);
END;
COMMENT ON FUNCTION @extschema@.verdict(@extschema@.trend_rate, text, double precision) IS
	'the verdict on a rate trend (Cochran-Armitage widened by the dispersion): improving, worsening, no significant trend or insufficient data (also with fewer than 5 rows)';

CREATE OR REPLACE FUNCTION @extschema@.trend_report(state @extschema@.trend_rate, better text,
										 unit interval DEFAULT '1 month',
										 alpha double precision DEFAULT 0.05)
	RETURNS TABLE (n bigint, first_time timestamptz, last_time timestamptz,
				   slope double precision, slope_lower double precision,
				   slope_upper double precision, p_value double precision, verdict text)
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
	-- each statistic computed once; the verdict reads them (it needs signs and p only)
	SELECT r.n, r.first_time, r.last_time, r.slope, r.slope_lower, r.slope_upper, r.p_value,
		   @extschema@.trend_verdict(CASE WHEN r.dispersion IS NULL AND r.ca_p IS NOT NULL THEN NULL
											ELSE r.n END,
									 r.slope, r.slope_lower, r.slope_upper, r.p_value,
									 trend_report.better, trend_report.alpha)
	  FROM (SELECT @extschema@.n(trend_report.state) AS n,
				   @extschema@.first_time(trend_report.state) AS first_time,
				   @extschema@.last_time(trend_report.state) AS last_time,
				   @extschema@.slope(trend_report.state, u.unit) AS slope,
				   @extschema@.slope_lower(trend_report.state, u.unit,
										   1 OPERATOR(pg_catalog.-) trend_report.alpha) AS slope_lower,
				   @extschema@.slope_upper(trend_report.state, u.unit,
										   1 OPERATOR(pg_catalog.-) trend_report.alpha) AS slope_upper,
				   @extschema@.p_value(trend_report.state) AS p_value,
				   @extschema@.dispersion(trend_report.state) AS dispersion,
				   @extschema@.ca_p(trend_report.state) AS ca_p
			  -- a trend over x has no time unit: its slope is per x
			  FROM (SELECT CASE WHEN @extschema@.first_time(trend_report.state) IS NULL THEN NULL
								ELSE trend_report.unit END AS unit) u
			 OFFSET 0) r;
END;
COMMENT ON FUNCTION @extschema@.trend_report(@extschema@.trend_rate, text, interval, double precision) IS
	'one row of plain columns for BI tools: n, period, slope per unit (a month by default) with its interval, p-value and verdict of a rate trend (Cochran-Armitage widened by the dispersion)';

COMMENT ON FUNCTION @extschema@.slope_stderr(@extschema@.trend_rate, interval) IS
	'standard error of the weighted slope, sqrt(max(1, dispersion) pbar (1 - pbar) / Sxx); NULL with fewer than 5 rows';

COMMENT ON FUNCTION @extschema@.slope_lower(@extschema@.trend_rate, interval, double precision) IS
	'lower bound of the weighted slope''s confidence interval: Student t with n - 2 degrees of freedom, widened by the dispersion';

COMMENT ON FUNCTION @extschema@.slope_upper(@extschema@.trend_rate, interval, double precision) IS
	'upper bound of the weighted slope''s confidence interval: Student t with n - 2 degrees of freedom, widened by the dispersion';

COMMENT ON FUNCTION @extschema@.ca_p(@extschema@.trend_rate) IS
	'Cochran-Armitage two-sided p-value under the binomial (no dispersion): p_value() is the default test';
