--
-- Behaviour trends (1): the least-squares trend of a measure over time.
-- trend_ols is the aggregate's state: fixed size (112 bytes), with text
-- and binary I/O, so that it can be stored, rolled up and combined by
-- parallel workers or Citus; the accessors read slopes and tests from it.
--

CREATE TYPE iso27001.trend_ols;

CREATE FUNCTION iso27001.trend_ols_in(cstring)
	RETURNS iso27001.trend_ols
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.trend_ols_in(cstring) IS 'trend_ols text input';
CREATE FUNCTION iso27001.trend_ols_out(iso27001.trend_ols)
	RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.trend_ols_out(iso27001.trend_ols) IS 'trend_ols text output';
CREATE FUNCTION iso27001.trend_ols_recv(internal)
	RETURNS iso27001.trend_ols
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.trend_ols_recv(internal) IS 'trend_ols binary input';
CREATE FUNCTION iso27001.trend_ols_send(iso27001.trend_ols)
	RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.trend_ols_send(iso27001.trend_ols) IS 'trend_ols binary output';

CREATE TYPE iso27001.trend_ols (
	INPUT = iso27001.trend_ols_in,
	OUTPUT = iso27001.trend_ols_out,
	RECEIVE = iso27001.trend_ols_recv,
	SEND = iso27001.trend_ols_send,
	INTERNALLENGTH = 112,
	ALIGNMENT = double,
	STORAGE = plain
);
COMMENT ON TYPE iso27001.trend_ols IS
	'state of a least-squares trend: count, Youngs-Cramer sums over seconds since an anchor (or over x), first and last observation';

CREATE FUNCTION iso27001.trend_ols_accum(iso27001.trend_ols, double precision, timestamptz)
	RETURNS iso27001.trend_ols
	AS 'MODULE_PATHNAME', 'trend_ols_accum_t' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.trend_ols_accum(iso27001.trend_ols, double precision, timestamptz) IS
	'trend_ols_agg transition: one (y, t) row';
CREATE FUNCTION iso27001.trend_ols_accum(iso27001.trend_ols, double precision, double precision)
	RETURNS iso27001.trend_ols
	AS 'MODULE_PATHNAME', 'trend_ols_accum_x' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.trend_ols_accum(iso27001.trend_ols, double precision, double precision) IS
	'trend_ols_agg transition: one (y, x) row';
CREATE FUNCTION iso27001.trend_ols_combine(iso27001.trend_ols, iso27001.trend_ols)
	RETURNS iso27001.trend_ols
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.trend_ols_combine(iso27001.trend_ols, iso27001.trend_ols) IS
	'two trend_ols states as one (parallel workers, rollup)';
CREATE FUNCTION iso27001.trend_ols_maccum(internal, double precision, timestamptz)
	RETURNS internal
	AS 'MODULE_PATHNAME', 'trend_ols_maccum_t' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.trend_ols_maccum(internal, double precision, timestamptz) IS
	'trend_ols_agg in a window frame: one (y, t) row in';
CREATE FUNCTION iso27001.trend_ols_maccum(internal, double precision, double precision)
	RETURNS internal
	AS 'MODULE_PATHNAME', 'trend_ols_maccum_x' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.trend_ols_maccum(internal, double precision, double precision) IS
	'trend_ols_agg in a window frame: one (y, x) row in';
CREATE FUNCTION iso27001.trend_ols_minvert(internal, double precision, timestamptz)
	RETURNS internal
	AS 'MODULE_PATHNAME', 'trend_ols_minvert_t' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.trend_ols_minvert(internal, double precision, timestamptz) IS
	'trend_ols_agg in a window frame: one (y, t) row out';
CREATE FUNCTION iso27001.trend_ols_minvert(internal, double precision, double precision)
	RETURNS internal
	AS 'MODULE_PATHNAME', 'trend_ols_minvert_x' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.trend_ols_minvert(internal, double precision, double precision) IS
	'trend_ols_agg in a window frame: one (y, x) row out';
CREATE FUNCTION iso27001.trend_ols_mfinal(internal)
	RETURNS iso27001.trend_ols
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.trend_ols_mfinal(internal) IS
	'trend_ols_agg in a window frame: the frame''s state';

CREATE AGGREGATE iso27001.trend_ols_agg(y double precision, t timestamptz) (
	SFUNC = iso27001.trend_ols_accum,
	STYPE = iso27001.trend_ols,
	INITCOND = '(empty,0,0,0,0,0,0,0,0,0,0,0)',
	COMBINEFUNC = iso27001.trend_ols_combine,
	MSFUNC = iso27001.trend_ols_maccum,
	MINVFUNC = iso27001.trend_ols_minvert,
	MSTYPE = internal,
	MFINALFUNC = iso27001.trend_ols_mfinal,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE iso27001.trend_ols_agg(double precision, timestamptz) IS
	'least-squares trend of y over time, as a trend_ols state (rows with a NULL skipped)';
CREATE AGGREGATE iso27001.trend_ols_agg(y double precision, x double precision) (
	SFUNC = iso27001.trend_ols_accum,
	STYPE = iso27001.trend_ols,
	INITCOND = '(empty,0,0,0,0,0,0,0,0,0,0,0)',
	COMBINEFUNC = iso27001.trend_ols_combine,
	MSFUNC = iso27001.trend_ols_maccum,
	MINVFUNC = iso27001.trend_ols_minvert,
	MSTYPE = internal,
	MFINALFUNC = iso27001.trend_ols_mfinal,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE iso27001.trend_ols_agg(double precision, double precision) IS
	'least-squares trend of y over a float8 x, as a trend_ols state (rows with a NULL skipped)';
CREATE AGGREGATE iso27001.rollup(iso27001.trend_ols) (
	SFUNC = iso27001.trend_ols_combine,
	STYPE = iso27001.trend_ols,
	INITCOND = '(empty,0,0,0,0,0,0,0,0,0,0,0)',
	COMBINEFUNC = iso27001.trend_ols_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE iso27001.rollup(iso27001.trend_ols) IS
	'trend_ols states (daily summaries, say) combined into one';

CREATE FUNCTION iso27001.n(iso27001.trend_ols)
	RETURNS bigint
	AS 'MODULE_PATHNAME', 'trend_ols_n' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.n(iso27001.trend_ols) IS 'number of observations';
CREATE FUNCTION iso27001.slope(state iso27001.trend_ols, unit interval DEFAULT NULL)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_ols_slope' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.slope(iso27001.trend_ols, interval) IS
	'least-squares slope per unit of time (NULL unit: per day; a month is 30.436875 days, a year 365.2425) or per unit of x';
CREATE FUNCTION iso27001.slope_stderr(state iso27001.trend_ols, unit interval DEFAULT NULL)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_ols_slope_stderr' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.slope_stderr(iso27001.trend_ols, interval) IS
	'standard error of the slope, in the slope''s unit (NULL below 3 observations)';
CREATE FUNCTION iso27001.slope_lower(state iso27001.trend_ols, unit interval DEFAULT NULL,
										level double precision DEFAULT 0.95)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_ols_slope_lower' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.slope_lower(iso27001.trend_ols, interval, double precision) IS
	'lower bound of the slope''s confidence interval (Student t, n - 2 degrees of freedom)';
CREATE FUNCTION iso27001.slope_upper(state iso27001.trend_ols, unit interval DEFAULT NULL,
										level double precision DEFAULT 0.95)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_ols_slope_upper' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.slope_upper(iso27001.trend_ols, interval, double precision) IS
	'upper bound of the slope''s confidence interval (Student t, n - 2 degrees of freedom)';
CREATE FUNCTION iso27001.t_value(iso27001.trend_ols)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_ols_t_value' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.t_value(iso27001.trend_ols) IS
	't statistic of the slope (n - 2 degrees of freedom)';
CREATE FUNCTION iso27001.p_value(iso27001.trend_ols)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_ols_p_value' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.p_value(iso27001.trend_ols) IS
	'two-sided p-value of the slope (Student t)';
CREATE FUNCTION iso27001.r2(iso27001.trend_ols)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_ols_r2' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.r2(iso27001.trend_ols) IS
	'coefficient of determination, as regr_r2';
CREATE FUNCTION iso27001.fitted_at(iso27001.trend_ols, timestamptz)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_ols_fitted_at_t' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.fitted_at(iso27001.trend_ols, timestamptz) IS
	'the fitted value at a timestamp';
CREATE FUNCTION iso27001.fitted_at(iso27001.trend_ols, double precision)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_ols_fitted_at_x' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.fitted_at(iso27001.trend_ols, double precision) IS
	'the fitted value at an x';
CREATE FUNCTION iso27001.fitted_first(iso27001.trend_ols)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_ols_fitted_first' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.fitted_first(iso27001.trend_ols) IS
	'the fitted value at the first observation';
CREATE FUNCTION iso27001.fitted_last(iso27001.trend_ols)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_ols_fitted_last' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.fitted_last(iso27001.trend_ols) IS
	'the fitted value at the last observation';
CREATE FUNCTION iso27001.fitted_lower(state iso27001.trend_ols, at timestamptz,
										 level double precision DEFAULT 0.95)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_ols_fitted_lower' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.fitted_lower(iso27001.trend_ols, timestamptz, double precision) IS
	'lower bound of the confidence interval of the least-squares line at a time (a projection after the last observation): Student t with n - 2 degrees of freedom';
CREATE FUNCTION iso27001.fitted_upper(state iso27001.trend_ols, at timestamptz,
										 level double precision DEFAULT 0.95)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_ols_fitted_upper' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.fitted_upper(iso27001.trend_ols, timestamptz, double precision) IS
	'upper bound of the confidence interval of the least-squares line at a time (a projection after the last observation): Student t with n - 2 degrees of freedom';
CREATE FUNCTION iso27001.first_time(iso27001.trend_ols)
	RETURNS timestamptz
	AS 'MODULE_PATHNAME', 'trend_first_time' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.first_time(iso27001.trend_ols) IS
	'the first observation''s time (NULL for a trend over x)';
CREATE FUNCTION iso27001.last_time(iso27001.trend_ols)
	RETURNS timestamptz
	AS 'MODULE_PATHNAME', 'trend_last_time' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.last_time(iso27001.trend_ols) IS
	'the last observation''s time (NULL for a trend over x)';

--
-- Behaviour trends (2): the trend of a rate with denominators (clicks out
-- of recipients per campaign): the slope of the proportion weighted by
-- the trials, and the Cochran-Armitage trend test, from one mergeable
-- fixed-size state (128 bytes; 104 up to 0.2.1).  The functions that make
-- states are bound to the C functions of the 128-byte type (suffix _v2);
-- the 104-byte type's, under the plain names, serve databases not yet
-- updated (src/trend_rate.c).
--

CREATE TYPE iso27001.trend_rate;

CREATE FUNCTION iso27001.trend_rate_in(cstring)
	RETURNS iso27001.trend_rate
	AS 'MODULE_PATHNAME', 'trend_rate_in_v2' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.trend_rate_in(cstring) IS 'trend_rate text input';
CREATE FUNCTION iso27001.trend_rate_out(iso27001.trend_rate)
	RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.trend_rate_out(iso27001.trend_rate) IS 'trend_rate text output';
CREATE FUNCTION iso27001.trend_rate_recv(internal)
	RETURNS iso27001.trend_rate
	AS 'MODULE_PATHNAME', 'trend_rate_recv_v2' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.trend_rate_recv(internal) IS 'trend_rate binary input';
CREATE FUNCTION iso27001.trend_rate_send(iso27001.trend_rate)
	RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.trend_rate_send(iso27001.trend_rate) IS 'trend_rate binary output';

CREATE TYPE iso27001.trend_rate (
	INPUT = iso27001.trend_rate_in,
	OUTPUT = iso27001.trend_rate_out,
	RECEIVE = iso27001.trend_rate_recv,
	SEND = iso27001.trend_rate_send,
	INTERNALLENGTH = 128,
	ALIGNMENT = double,
	STORAGE = plain
);
COMMENT ON TYPE iso27001.trend_rate IS
	'state of a rate trend: rows, trials, events, weighted means and sums over seconds since an anchor (or over x)';

CREATE FUNCTION iso27001.trend_rate_accum(iso27001.trend_rate, bigint, bigint, timestamptz)
	RETURNS iso27001.trend_rate
	AS 'MODULE_PATHNAME', 'trend_rate_accum_t_v2' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.trend_rate_accum(iso27001.trend_rate, bigint, bigint, timestamptz) IS
	'trend_rate_agg transition: one (events, trials, t) row';
CREATE FUNCTION iso27001.trend_rate_accum(iso27001.trend_rate, bigint, bigint, double precision)
	RETURNS iso27001.trend_rate
	AS 'MODULE_PATHNAME', 'trend_rate_accum_x_v2' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.trend_rate_accum(iso27001.trend_rate, bigint, bigint, double precision) IS
	'trend_rate_agg transition: one (events, trials, x) row';
CREATE FUNCTION iso27001.trend_rate_combine(iso27001.trend_rate, iso27001.trend_rate)
	RETURNS iso27001.trend_rate
	AS 'MODULE_PATHNAME', 'trend_rate_combine_v2' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.trend_rate_combine(iso27001.trend_rate, iso27001.trend_rate) IS
	'two trend_rate states as one (parallel workers, rollup)';

CREATE AGGREGATE iso27001.trend_rate_agg(events bigint, trials bigint, t timestamptz) (
	SFUNC = iso27001.trend_rate_accum,
	STYPE = iso27001.trend_rate,
	INITCOND = '(empty,0,0,0,0,0,0,0,0,0,0,0,0,0,0)',
	COMBINEFUNC = iso27001.trend_rate_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE iso27001.trend_rate_agg(bigint, bigint, timestamptz) IS
	'trend of events out of trials over time, as a trend_rate state (rows with a NULL or no trials skipped)';
CREATE AGGREGATE iso27001.trend_rate_agg(events bigint, trials bigint, x double precision) (
	SFUNC = iso27001.trend_rate_accum,
	STYPE = iso27001.trend_rate,
	INITCOND = '(empty,0,0,0,0,0,0,0,0,0,0,0,0,0,0)',
	COMBINEFUNC = iso27001.trend_rate_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE iso27001.trend_rate_agg(bigint, bigint, double precision) IS
	'trend of events out of trials over a float8 x (a score), as a trend_rate state';
CREATE AGGREGATE iso27001.rollup(iso27001.trend_rate) (
	SFUNC = iso27001.trend_rate_combine,
	STYPE = iso27001.trend_rate,
	INITCOND = '(empty,0,0,0,0,0,0,0,0,0,0,0,0,0,0)',
	COMBINEFUNC = iso27001.trend_rate_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE iso27001.rollup(iso27001.trend_rate) IS
	'trend_rate states combined into one';

CREATE FUNCTION iso27001.n(iso27001.trend_rate)
	RETURNS bigint
	AS 'MODULE_PATHNAME', 'trend_rate_n' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.n(iso27001.trend_rate) IS 'number of rows with trials';
CREATE FUNCTION iso27001.rate(iso27001.trend_rate)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_rate_rate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.rate(iso27001.trend_rate) IS 'all events over all trials';
CREATE FUNCTION iso27001.slope(state iso27001.trend_rate, unit interval DEFAULT NULL)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_rate_slope' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.slope(iso27001.trend_rate, interval) IS
	'slope of the proportion weighted by the trials, per unit of time (NULL: per day) or of x';
CREATE FUNCTION iso27001.slope_stderr(state iso27001.trend_rate, unit interval DEFAULT NULL)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_rate_slope_stderr' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.slope_stderr(iso27001.trend_rate, interval) IS
	'standard error of the weighted slope: the binomial variance pbar (1 - pbar) / Sxx plus what the variance between campaigns adds (estimated from the scatter); NULL with fewer than 5 rows';
CREATE FUNCTION iso27001.slope_lower(state iso27001.trend_rate, unit interval DEFAULT NULL,
										level double precision DEFAULT 0.95)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_rate_slope_lower' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.slope_lower(iso27001.trend_rate, interval, double precision) IS
	'lower bound of the weighted slope''s confidence interval: Student t with n - 2 degrees of freedom, allowing for the variance between campaigns';
CREATE FUNCTION iso27001.slope_upper(state iso27001.trend_rate, unit interval DEFAULT NULL,
										level double precision DEFAULT 0.95)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_rate_slope_upper' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.slope_upper(iso27001.trend_rate, interval, double precision) IS
	'upper bound of the weighted slope''s confidence interval: Student t with n - 2 degrees of freedom, allowing for the variance between campaigns';
CREATE FUNCTION iso27001.ca_chi2(iso27001.trend_rate)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_rate_ca_chi2' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.ca_chi2(iso27001.trend_rate) IS
	'Cochran-Armitage trend chi-square (1 degree of freedom), as R prop.trend.test';
CREATE FUNCTION iso27001.ca_z(iso27001.trend_rate)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_rate_ca_z' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.ca_z(iso27001.trend_rate) IS
	'Cochran-Armitage z, signed like the slope';
CREATE FUNCTION iso27001.ca_p(iso27001.trend_rate)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_rate_ca_p' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.ca_p(iso27001.trend_rate) IS
	'Cochran-Armitage two-sided p-value under the binomial (no dispersion): p_value() is the default test';
CREATE FUNCTION iso27001.dispersion(iso27001.trend_rate)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_rate_dispersion' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.dispersion(iso27001.trend_rate) IS
	'dispersion phi: the rows'' scatter around the fitted line over the binomial''s (1: binomial; 3: campaigns differ three times as much); NULL with fewer than 5 rows';
CREATE FUNCTION iso27001.fitted_at(iso27001.trend_rate, timestamptz)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_rate_fitted_at_t' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.fitted_at(iso27001.trend_rate, timestamptz) IS
	'the fitted proportion at a timestamp';
CREATE FUNCTION iso27001.fitted_at(iso27001.trend_rate, double precision)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_rate_fitted_at_x' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.fitted_at(iso27001.trend_rate, double precision) IS
	'the fitted proportion at an x';
CREATE FUNCTION iso27001.fitted_first(iso27001.trend_rate)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_rate_fitted_first' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.fitted_first(iso27001.trend_rate) IS
	'the fitted proportion at the first observation';
CREATE FUNCTION iso27001.fitted_last(iso27001.trend_rate)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_rate_fitted_last' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.fitted_last(iso27001.trend_rate) IS
	'the fitted proportion at the last observation';
CREATE FUNCTION iso27001.fitted_lower(state iso27001.trend_rate, at timestamptz,
										 level double precision DEFAULT 0.95)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_rate_fitted_lower' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.fitted_lower(iso27001.trend_rate, timestamptz, double precision) IS
	'lower bound of the confidence interval of the fitted proportion, allowing for the variance between campaigns at a time (a projection after the last observation): Student t with n - 2 degrees of freedom';
CREATE FUNCTION iso27001.fitted_upper(state iso27001.trend_rate, at timestamptz,
										 level double precision DEFAULT 0.95)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_rate_fitted_upper' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.fitted_upper(iso27001.trend_rate, timestamptz, double precision) IS
	'upper bound of the confidence interval of the fitted proportion, allowing for the variance between campaigns at a time (a projection after the last observation): Student t with n - 2 degrees of freedom';
CREATE FUNCTION iso27001.first_time(iso27001.trend_rate)
	RETURNS timestamptz
	AS 'MODULE_PATHNAME', 'trend_first_time' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.first_time(iso27001.trend_rate) IS
	'the first observation''s time (NULL for a trend over x)';
CREATE FUNCTION iso27001.last_time(iso27001.trend_rate)
	RETURNS timestamptz
	AS 'MODULE_PATHNAME', 'trend_last_time' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.last_time(iso27001.trend_rate) IS
	'the last observation''s time (NULL for a trend over x)';

--
-- Behaviour trends (3): the robust trend, Theil-Sen slope with Sen's
-- interval and the Mann-Kendall test.  The aggregate keeps the points
-- (internal state, serialized for parallel workers); its result
-- trend_robust holds them sorted, with the Mann-Kendall numbers.
--

CREATE TYPE iso27001.trend_robust;

CREATE FUNCTION iso27001.trend_robust_in(cstring)
	RETURNS iso27001.trend_robust
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.trend_robust_in(cstring) IS 'trend_robust text input';
CREATE FUNCTION iso27001.trend_robust_out(iso27001.trend_robust)
	RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.trend_robust_out(iso27001.trend_robust) IS 'trend_robust text output';
CREATE FUNCTION iso27001.trend_robust_recv(internal)
	RETURNS iso27001.trend_robust
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.trend_robust_recv(internal) IS 'trend_robust binary input';
CREATE FUNCTION iso27001.trend_robust_send(iso27001.trend_robust)
	RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.trend_robust_send(iso27001.trend_robust) IS 'trend_robust binary output';

CREATE TYPE iso27001.trend_robust (
	INPUT = iso27001.trend_robust_in,
	OUTPUT = iso27001.trend_robust_out,
	RECEIVE = iso27001.trend_robust_recv,
	SEND = iso27001.trend_robust_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);
COMMENT ON TYPE iso27001.trend_robust IS
	'a robust trend: the points sorted by time, with the Mann-Kendall S, tie counts and variances';

CREATE FUNCTION iso27001.trend_robust_accum(internal, double precision, timestamptz)
	RETURNS internal
	AS 'MODULE_PATHNAME', 'trend_robust_accum_t' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.trend_robust_accum(internal, double precision, timestamptz) IS
	'trend_robust_agg transition: one (y, t) row';
CREATE FUNCTION iso27001.trend_robust_accum(internal, double precision, double precision)
	RETURNS internal
	AS 'MODULE_PATHNAME', 'trend_robust_accum_x' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.trend_robust_accum(internal, double precision, double precision) IS
	'trend_robust_agg transition: one (y, x) row';
CREATE FUNCTION iso27001.trend_robust_rollup_accum(internal, iso27001.trend_robust)
	RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.trend_robust_rollup_accum(internal, iso27001.trend_robust) IS
	'rollup(trend_robust) transition: the points of one result';
CREATE FUNCTION iso27001.trend_robust_combine(internal, internal)
	RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.trend_robust_combine(internal, internal) IS
	'two robust-trend states as one: their points together';
CREATE FUNCTION iso27001.trend_robust_serialize(internal)
	RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.trend_robust_serialize(internal) IS
	'a robust-trend state as bytes, for parallel workers';
CREATE FUNCTION iso27001.trend_robust_deserialize(bytea, internal)
	RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.trend_robust_deserialize(bytea, internal) IS
	'a robust-trend state from bytes, checked';
CREATE FUNCTION iso27001.trend_robust_final(internal)
	RETURNS iso27001.trend_robust
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.trend_robust_final(internal) IS
	'the points sorted, with the Mann-Kendall numbers';

CREATE AGGREGATE iso27001.trend_robust_agg(y double precision, t timestamptz) (
	SFUNC = iso27001.trend_robust_accum,
	STYPE = internal,
	FINALFUNC = iso27001.trend_robust_final,
	COMBINEFUNC = iso27001.trend_robust_combine,
	SERIALFUNC = iso27001.trend_robust_serialize,
	DESERIALFUNC = iso27001.trend_robust_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE iso27001.trend_robust_agg(double precision, timestamptz) IS
	'robust trend of y over time: Theil-Sen and Mann-Kendall (rows with a NULL skipped; NaN and infinity refused)';
CREATE AGGREGATE iso27001.trend_robust_agg(y double precision, x double precision) (
	SFUNC = iso27001.trend_robust_accum,
	STYPE = internal,
	FINALFUNC = iso27001.trend_robust_final,
	COMBINEFUNC = iso27001.trend_robust_combine,
	SERIALFUNC = iso27001.trend_robust_serialize,
	DESERIALFUNC = iso27001.trend_robust_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE iso27001.trend_robust_agg(double precision, double precision) IS
	'robust trend of y over a float8 x: Theil-Sen and Mann-Kendall';
CREATE AGGREGATE iso27001.rollup(iso27001.trend_robust) (
	SFUNC = iso27001.trend_robust_rollup_accum,
	STYPE = internal,
	FINALFUNC = iso27001.trend_robust_final,
	COMBINEFUNC = iso27001.trend_robust_combine,
	SERIALFUNC = iso27001.trend_robust_serialize,
	DESERIALFUNC = iso27001.trend_robust_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE iso27001.rollup(iso27001.trend_robust) IS
	'robust trends combined into one (their points together)';

CREATE FUNCTION iso27001.n(iso27001.trend_robust)
	RETURNS bigint
	AS 'MODULE_PATHNAME', 'trend_robust_n' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.n(iso27001.trend_robust) IS 'number of points';
CREATE FUNCTION iso27001.slope(state iso27001.trend_robust, unit interval DEFAULT NULL)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_robust_sen_slope' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.slope(iso27001.trend_robust, interval) IS
	'Sen''s slope: the median slope over pairs with distinct times (even count: mean of the middle two), per unit of time (NULL: per day) or of x';
CREATE FUNCTION iso27001.slope_lower(state iso27001.trend_robust, unit interval DEFAULT NULL,
										level double precision DEFAULT 0.95)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_robust_sen_lower' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.slope_lower(iso27001.trend_robust, interval, double precision) IS
	'lower bound of Sen''s (1968) confidence interval of the slope';
CREATE FUNCTION iso27001.slope_upper(state iso27001.trend_robust, unit interval DEFAULT NULL,
										level double precision DEFAULT 0.95)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_robust_sen_upper' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.slope_upper(iso27001.trend_robust, interval, double precision) IS
	'upper bound of Sen''s (1968) confidence interval of the slope';
CREATE FUNCTION iso27001.mk_s(iso27001.trend_robust)
	RETURNS bigint
	AS 'MODULE_PATHNAME', 'trend_robust_mk_s' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.mk_s(iso27001.trend_robust) IS 'Mann-Kendall S';
CREATE FUNCTION iso27001.mk_var_s(iso27001.trend_robust)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_robust_mk_var_s' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.mk_var_s(iso27001.trend_robust) IS
	'variance of S, corrected for ties in time and in y';
CREATE FUNCTION iso27001.mk_z(iso27001.trend_robust)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_robust_mk_z' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.mk_z(iso27001.trend_robust) IS
	'Mann-Kendall z with continuity correction (NULL when var(S) = 0)';
CREATE FUNCTION iso27001.mk_p(iso27001.trend_robust)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_robust_mk_p' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.mk_p(iso27001.trend_robust) IS
	'Mann-Kendall two-sided p from the normal approximation';
CREATE FUNCTION iso27001.mk_p_exact(iso27001.trend_robust)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_robust_mk_p_exact' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.mk_p_exact(iso27001.trend_robust) IS
	'Mann-Kendall exact two-sided p (fewer than 50 points, no ties; NULL otherwise)';
CREATE FUNCTION iso27001.kendall_tau_b(iso27001.trend_robust)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_robust_kendall_tau_b' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.kendall_tau_b(iso27001.trend_robust) IS 'Kendall''s tau-b';
CREATE FUNCTION iso27001.fitted_at(iso27001.trend_robust, timestamptz)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_robust_fitted_at_t' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.fitted_at(iso27001.trend_robust, timestamptz) IS
	'the value at a timestamp on Sen''s line through the medians';
CREATE FUNCTION iso27001.fitted_at(iso27001.trend_robust, double precision)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_robust_fitted_at_x' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.fitted_at(iso27001.trend_robust, double precision) IS
	'the value at an x on Sen''s line through the medians (Conover)';
CREATE FUNCTION iso27001.first_time(iso27001.trend_robust)
	RETURNS timestamptz
	AS 'MODULE_PATHNAME', 'trend_robust_first_time' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.first_time(iso27001.trend_robust) IS
	'the first point''s time (NULL for a trend over x)';
CREATE FUNCTION iso27001.last_time(iso27001.trend_robust)
	RETURNS timestamptz
	AS 'MODULE_PATHNAME', 'trend_robust_last_time' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.last_time(iso27001.trend_robust) IS
	'the last point''s time (NULL for a trend over x)';

--
-- Behaviour trends: the p-value of each family, the verdict an auditor
-- reads, and a one-call report with plain columns for BI tools.
--

CREATE FUNCTION iso27001.p_value(iso27001.trend_rate)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_rate_p_value' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.p_value(iso27001.trend_rate) IS
	'two-sided p-value of the rate trend: the weighted slope over its standard error allowing for the variance between campaigns (binomial plus random campaign effect), Student t with n - 2 degrees of freedom; NULL with fewer than 5 rows';
CREATE FUNCTION iso27001.p_value(iso27001.trend_robust)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'trend_robust_p_value' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.p_value(iso27001.trend_robust) IS
	'two-sided p-value of the Mann-Kendall test: exact below 50 points without ties, else normal with continuity correction';

CREATE FUNCTION iso27001.trend_verdict(n bigint, slope double precision,
										  slope_lower double precision, slope_upper double precision,
										  p_value double precision, better text,
										  alpha double precision DEFAULT 0.05)
	RETURNS text
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.trend_verdict(bigint, double precision, double precision, double precision, double precision, text, double precision) IS
	'improving, worsening, no significant trend or insufficient data: a direction only when p < alpha and the interval excludes 0; better is lower or higher';

CREATE FUNCTION iso27001.material_verdict(verdict text, slope_per_year double precision,
											 min_effect double precision)
	RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT CASE WHEN material_verdict.verdict OPERATOR(pg_catalog.=) ANY (ARRAY['improving', 'worsening'])
					 AND material_verdict.min_effect IS NOT NULL
					 AND NOT pg_catalog.abs(material_verdict.slope_per_year)
							 OPERATOR(pg_catalog.>=) material_verdict.min_effect
				THEN 'no material change'
				ELSE material_verdict.verdict END;
END;
COMMENT ON FUNCTION iso27001.material_verdict(text, double precision, double precision) IS
	'a verdict of improving or worsening becomes no material change when the slope a year is below the metric''s smallest material change (NULL min_effect: never)';

CREATE FUNCTION iso27001.target_status(projected_lower double precision,
										  projected_upper double precision,
										  target double precision, better text)
	RETURNS text
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.target_status(double precision, double precision, double precision, text) IS
	'on track (the whole interval of the projection meets the target), off track (none of it does), at risk (it straddles the target) or insufficient data (no interval); NULL without a target';

CREATE FUNCTION iso27001.target_projection(state iso27001.trend_rate, target double precision,
											  due timestamptz, better text,
											  level double precision DEFAULT 0.95)
	RETURNS TABLE (projected double precision, projected_lower double precision,
				   projected_upper double precision, status text)
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT p.projected, p.projected_lower, p.projected_upper,
		   iso27001.target_status(p.projected_lower, p.projected_upper,
									 target_projection.target, target_projection.better)
	  -- a proportion stays within 0 and 1 however far the line goes (GREATEST
	  -- and LEAST are syntax, not functions a search_path could hijack; they
	  -- skip NULLs, hence the CASEs)
	  FROM (SELECT CASE WHEN r.fit IS NOT NULL THEN LEAST(GREATEST(r.fit, 0), 1) END AS projected,
				   CASE WHEN r.lo IS NOT NULL THEN LEAST(GREATEST(r.lo, 0), 1) END AS projected_lower,
				   CASE WHEN r.hi IS NOT NULL THEN LEAST(GREATEST(r.hi, 0), 1) END AS projected_upper
			  FROM (SELECT iso27001.fitted_at(target_projection.state, target_projection.due) AS fit,
						   iso27001.fitted_lower(target_projection.state, target_projection.due,
													target_projection.level) AS lo,
						   iso27001.fitted_upper(target_projection.state, target_projection.due,
													target_projection.level) AS hi) r) p;
END;
COMMENT ON FUNCTION iso27001.target_projection(iso27001.trend_rate, double precision, timestamptz, text, double precision) IS
	'the rate the trend projects at a due date with its confidence interval (within 0 and 1), and whether the target is on track, at risk or off track';

CREATE FUNCTION iso27001.target_projection(state iso27001.trend_ols, target double precision,
											  due timestamptz, better text,
											  level double precision DEFAULT 0.95)
	RETURNS TABLE (projected double precision, projected_lower double precision,
				   projected_upper double precision, status text)
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT p.projected, p.projected_lower, p.projected_upper,
		   iso27001.target_status(p.projected_lower, p.projected_upper,
									 target_projection.target, target_projection.better)
	  FROM (SELECT iso27001.fitted_at(target_projection.state, target_projection.due) AS projected,
				   iso27001.fitted_lower(target_projection.state, target_projection.due,
											target_projection.level) AS projected_lower,
				   iso27001.fitted_upper(target_projection.state, target_projection.due,
											target_projection.level) AS projected_upper) p;
END;
COMMENT ON FUNCTION iso27001.target_projection(iso27001.trend_ols, double precision, timestamptz, text, double precision) IS
	'the value the least-squares line projects at a due date with its confidence interval, and whether the target is on track, at risk or off track';

CREATE FUNCTION iso27001.verdict(state iso27001.trend_ols, better text,
									alpha double precision DEFAULT 0.05)
	RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT iso27001.trend_verdict(iso27001.n(verdict.state), iso27001.slope(verdict.state),
			iso27001.slope_lower(verdict.state, NULL, 1 OPERATOR(pg_catalog.-) verdict.alpha),
			iso27001.slope_upper(verdict.state, NULL, 1 OPERATOR(pg_catalog.-) verdict.alpha),
			iso27001.p_value(verdict.state), verdict.better, verdict.alpha);
END;
COMMENT ON FUNCTION iso27001.verdict(iso27001.trend_ols, text, double precision) IS
	'the verdict on a least-squares trend: improving, worsening, no significant trend or insufficient data';

CREATE FUNCTION iso27001.trend_report(state iso27001.trend_ols, better text,
										 unit interval DEFAULT '1 month',
										 alpha double precision DEFAULT 0.05)
	RETURNS TABLE (n bigint, first_time timestamptz, last_time timestamptz,
				   slope double precision, slope_lower double precision,
				   slope_upper double precision, p_value double precision, verdict text)
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
	-- each statistic computed once; the verdict reads them (it needs signs and p only)
	SELECT r.n, r.first_time, r.last_time, r.slope, r.slope_lower, r.slope_upper, r.p_value,
		   iso27001.trend_verdict(r.n, r.slope, r.slope_lower, r.slope_upper, r.p_value,
									 trend_report.better, trend_report.alpha)
	  FROM (SELECT iso27001.n(trend_report.state) AS n,
				   iso27001.first_time(trend_report.state) AS first_time,
				   iso27001.last_time(trend_report.state) AS last_time,
				   iso27001.slope(trend_report.state, u.unit) AS slope,
				   iso27001.slope_lower(trend_report.state, u.unit,
										   1 OPERATOR(pg_catalog.-) trend_report.alpha) AS slope_lower,
				   iso27001.slope_upper(trend_report.state, u.unit,
										   1 OPERATOR(pg_catalog.-) trend_report.alpha) AS slope_upper,
				   iso27001.p_value(trend_report.state) AS p_value
			  -- a trend over x has no time unit: its slope is per x
			  FROM (SELECT CASE WHEN iso27001.first_time(trend_report.state) IS NULL THEN NULL
								ELSE trend_report.unit END AS unit) u
			 OFFSET 0) r;
END;
COMMENT ON FUNCTION iso27001.trend_report(iso27001.trend_ols, text, interval, double precision) IS
	'one row of plain columns for BI tools: n, period, slope per unit (a month by default) with its interval, p-value and verdict of a least-squares trend';

CREATE FUNCTION iso27001.verdict(state iso27001.trend_rate, better text,
									alpha double precision DEFAULT 0.05)
	RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
	-- too few rows to estimate the dispersion (but a variance to test): insufficient data
	SELECT iso27001.trend_verdict(
			CASE WHEN iso27001.dispersion(verdict.state) IS NULL
					  AND iso27001.ca_p(verdict.state) IS NOT NULL THEN NULL
				 ELSE iso27001.n(verdict.state) END,
			iso27001.slope(verdict.state),
			iso27001.slope_lower(verdict.state, NULL, 1 OPERATOR(pg_catalog.-) verdict.alpha),
			iso27001.slope_upper(verdict.state, NULL, 1 OPERATOR(pg_catalog.-) verdict.alpha),
			iso27001.p_value(verdict.state), verdict.better, verdict.alpha);
END;
COMMENT ON FUNCTION iso27001.verdict(iso27001.trend_rate, text, double precision) IS
	'the verdict on a rate trend (Cochran-Armitage allowing for the variance between campaigns): improving, worsening, no significant trend or insufficient data (also with fewer than 5 rows)';

CREATE FUNCTION iso27001.trend_report(state iso27001.trend_rate, better text,
										 unit interval DEFAULT '1 month',
										 alpha double precision DEFAULT 0.05)
	RETURNS TABLE (n bigint, first_time timestamptz, last_time timestamptz,
				   slope double precision, slope_lower double precision,
				   slope_upper double precision, p_value double precision, verdict text)
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
	-- each statistic computed once; the verdict reads them (it needs signs and p only)
	SELECT r.n, r.first_time, r.last_time, r.slope, r.slope_lower, r.slope_upper, r.p_value,
		   iso27001.trend_verdict(CASE WHEN r.dispersion IS NULL AND r.ca_p IS NOT NULL THEN NULL
											ELSE r.n END,
									 r.slope, r.slope_lower, r.slope_upper, r.p_value,
									 trend_report.better, trend_report.alpha)
	  FROM (SELECT iso27001.n(trend_report.state) AS n,
				   iso27001.first_time(trend_report.state) AS first_time,
				   iso27001.last_time(trend_report.state) AS last_time,
				   iso27001.slope(trend_report.state, u.unit) AS slope,
				   iso27001.slope_lower(trend_report.state, u.unit,
										   1 OPERATOR(pg_catalog.-) trend_report.alpha) AS slope_lower,
				   iso27001.slope_upper(trend_report.state, u.unit,
										   1 OPERATOR(pg_catalog.-) trend_report.alpha) AS slope_upper,
				   iso27001.p_value(trend_report.state) AS p_value,
				   iso27001.dispersion(trend_report.state) AS dispersion,
				   iso27001.ca_p(trend_report.state) AS ca_p
			  -- a trend over x has no time unit: its slope is per x
			  FROM (SELECT CASE WHEN iso27001.first_time(trend_report.state) IS NULL THEN NULL
								ELSE trend_report.unit END AS unit) u
			 OFFSET 0) r;
END;
COMMENT ON FUNCTION iso27001.trend_report(iso27001.trend_rate, text, interval, double precision) IS
	'one row of plain columns for BI tools: n, period, slope per unit (a month by default) with its interval, p-value and verdict of a rate trend (Cochran-Armitage allowing for the variance between campaigns)';

CREATE FUNCTION iso27001.verdict(state iso27001.trend_robust, better text,
									alpha double precision DEFAULT 0.05)
	RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT iso27001.trend_verdict(iso27001.n(verdict.state), iso27001.slope(verdict.state),
			iso27001.slope_lower(verdict.state, NULL, 1 OPERATOR(pg_catalog.-) verdict.alpha),
			iso27001.slope_upper(verdict.state, NULL, 1 OPERATOR(pg_catalog.-) verdict.alpha),
			iso27001.p_value(verdict.state), verdict.better, verdict.alpha);
END;
COMMENT ON FUNCTION iso27001.verdict(iso27001.trend_robust, text, double precision) IS
	'the verdict on a robust (Sen, Mann-Kendall) trend: improving, worsening, no significant trend or insufficient data';

CREATE FUNCTION iso27001.trend_report(state iso27001.trend_robust, better text,
										 unit interval DEFAULT '1 month',
										 alpha double precision DEFAULT 0.05)
	RETURNS TABLE (n bigint, first_time timestamptz, last_time timestamptz,
				   slope double precision, slope_lower double precision,
				   slope_upper double precision, p_value double precision, verdict text)
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
	-- each statistic computed once; the verdict reads them (it needs signs and p only)
	SELECT r.n, r.first_time, r.last_time, r.slope, r.slope_lower, r.slope_upper, r.p_value,
		   iso27001.trend_verdict(r.n, r.slope, r.slope_lower, r.slope_upper, r.p_value,
									 trend_report.better, trend_report.alpha)
	  FROM (SELECT iso27001.n(trend_report.state) AS n,
				   iso27001.first_time(trend_report.state) AS first_time,
				   iso27001.last_time(trend_report.state) AS last_time,
				   iso27001.slope(trend_report.state, u.unit) AS slope,
				   iso27001.slope_lower(trend_report.state, u.unit,
										   1 OPERATOR(pg_catalog.-) trend_report.alpha) AS slope_lower,
				   iso27001.slope_upper(trend_report.state, u.unit,
										   1 OPERATOR(pg_catalog.-) trend_report.alpha) AS slope_upper,
				   iso27001.p_value(trend_report.state) AS p_value
			  -- a trend over x has no time unit: its slope is per x
			  FROM (SELECT CASE WHEN iso27001.first_time(trend_report.state) IS NULL THEN NULL
								ELSE trend_report.unit END AS unit) u
			 OFFSET 0) r;
END;
COMMENT ON FUNCTION iso27001.trend_report(iso27001.trend_robust, text, interval, double precision) IS
	'one row of plain columns for BI tools: n, period, slope per unit (a month by default) with its interval, p-value and verdict of a robust (Sen, Mann-Kendall) trend';

CREATE FUNCTION iso27001.seasonal_trend(states iso27001.trend_robust[],
	OUT n bigint, OUT seasons integer, OUT s bigint, OUT var_s double precision,
	OUT z double precision, OUT p_value double precision, OUT slope double precision)
	AS 'MODULE_PATHNAME', 'trend_robust_seasonal' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.seasonal_trend(iso27001.trend_robust[]) IS
	'seasonal Mann-Kendall test and seasonal Kendall slope over one robust trend per season (Hirsch, Slack and Smith 1982): S and var(S) summed, the median within-season slope (per x, or per day)';

CREATE FUNCTION iso27001.logit_trend(x double precision[], events bigint[], trials bigint[],
	OUT intercept double precision, OUT slope double precision, OUT slope_stderr double precision,
	OUT z double precision, OUT p_value double precision, OUT odds_ratio double precision)
	AS 'MODULE_PATHNAME', 'trend_logit' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION iso27001.logit_trend(double precision[], bigint[], bigint[]) IS
	'binomial-logit trend of events out of trials over x (Newton''s method): intercept, slope, its standard error, Wald z and p, odds ratio per unit x';
