/*-------------------------------------------------------------------------
 *
 * trend_axis.c
 *	  The time axis the trend states share (see trend_axis.h): the anchor and
 *	  bounds of a trend over timestamps or over a float8 x, the unit of a
 *	  slope, what the families' accessors have in common (arguments, first
 *	  and last times, fitted values), and the pieces of the states' text
 *	  and binary forms.
 *
 * src/trend_axis.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "common/int.h"
#include "common/shortest_dec.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/float.h"

#include "trend_axis.h"
#include "trend_stats.h"

static const char *const kind_names[] = {"empty", "time", "x"};

/* An axis with no rows */
void
trend_axis_init(TrendAxis *axis)
{
	memset(axis, 0, sizeof(TrendAxis));
	axis->kind = TREND_EMPTY;
}

/*
 * Is this an axis trend_axis_time or trend_axis_x could have made?  (Each
 * family checks the layout of its own fields.)
 */
bool
trend_axis_valid(const TrendAxis *axis)
{
	switch (axis->kind)
	{
		case TREND_EMPTY:
			return axis->anchor == 0 && axis->t_first == 0 &&
				axis->t_last == 0 && axis->x_first == 0 && axis->x_last == 0;
		case TREND_TIME:
			return axis->x_first == 0 && axis->x_last == 0 &&
				axis->t_first <= axis->t_last && IS_VALID_TIMESTAMP(axis->t_first) &&
				IS_VALID_TIMESTAMP(axis->t_last) && IS_VALID_TIMESTAMP(axis->anchor);
		case TREND_X:
			return axis->anchor == 0 && axis->t_first == 0 &&
				axis->t_last == 0 && !(axis->x_first > axis->x_last);
		default:
			return false;
	}
}

/*
 * A timestamp's x: seconds since the anchor, which the first row sets.
 * The bounds follow.
 */
double
trend_axis_time(TrendAxis *axis, TimestampTz t)
{
	if (TIMESTAMP_NOT_FINITE(t))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("a trend over time needs finite timestamps")));
	if (axis->kind == TREND_EMPTY)
	{
		axis->kind = TREND_TIME;
		axis->anchor = t;
		axis->t_first = axis->t_last = t;
	}
	else if (axis->kind != TREND_TIME)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot add a timestamp to a trend over a float8 x")));
	else
	{
		int64		diff;

		/* every x is t - anchor in microseconds: it must fit */
		if (pg_sub_s64_overflow(t, axis->anchor, &diff))
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("timestamps of a trend must lie within 292,000 years of each other")));
		axis->t_first = Min(axis->t_first, t);
		axis->t_last = Max(axis->t_last, t);
	}
	return (double) (t - axis->anchor) / USECS_PER_SECOND_F;
}

/* A float8 x: the first row makes the axis one over x; the bounds follow */
double
trend_axis_x(TrendAxis *axis, double x)
{
	if (axis->kind == TREND_EMPTY)
	{
		axis->kind = TREND_X;
		axis->x_first = axis->x_last = x;
	}
	else if (axis->kind != TREND_X)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot add a float8 x to a trend over time")));
	else
	{
		/* float8 order: NaN after everything */
		if (!isnan(x) && (isnan(axis->x_first) || x < axis->x_first))
			axis->x_first = x;
		if (!isnan(axis->x_last) && (isnan(x) || x > axis->x_last))
			axis->x_last = x;
	}
	return x;
}

/*
 * Widen an axis by another's bounds; the result keeps the first axis's
 * anchor.  Returns what to add to the other state's x values (the shift
 * between anchors, in seconds).  The caller handles empty states.
 */
double
trend_axis_merge(TrendAxis *into, const TrendAxis *from)
{
	if (into->kind != from->kind)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot combine a trend over time with a trend over a float8 x")));
	if (into->kind == TREND_TIME)
	{
		int64		diff;

		if (pg_sub_s64_overflow(from->anchor, into->anchor, &diff) ||
			pg_sub_s64_overflow(from->t_first, into->anchor, &diff) ||
			pg_sub_s64_overflow(from->t_last, into->anchor, &diff))
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("timestamps of a trend must lie within 292,000 years of each other")));
		into->t_first = Min(into->t_first, from->t_first);
		into->t_last = Max(into->t_last, from->t_last);
		return (double) (from->anchor - into->anchor) / USECS_PER_SECOND_F;
	}
	if (!isnan(from->x_first) && (isnan(into->x_first) || from->x_first < into->x_first))
		into->x_first = from->x_first;
	if (!isnan(into->x_last) && (isnan(from->x_last) || from->x_last > into->x_last))
		into->x_last = from->x_last;
	return 0.0;
}

/* The x of the first (last) observation, over time in units of usecs_per_x microseconds */
static double
axis_end(const TrendAxis *axis, bool last, double usecs_per_x)
{
	if (axis->kind == TREND_TIME)
		return ((double) (last ? axis->t_last : axis->t_first) - (double) axis->anchor) / usecs_per_x;
	return last ? axis->x_last : axis->x_first;
}

/* The x of a timestamp on a trend over time, in units of usecs_per_x microseconds */
static double
axis_at(const TrendAxis *axis, TimestampTz t, double usecs_per_x)
{
	if (axis->kind == TREND_X)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a trend over a float8 x is read at an x, not a timestamp")));
	return ((double) t - (double) axis->anchor) / usecs_per_x;
}

/* The x (seconds since the anchor) of a timestamp on a trend over time */
double
trend_axis_at(const TrendAxis *axis, TimestampTz t)
{
	return axis_at(axis, t, USECS_PER_SECOND_F);
}

/* A line's value at x */
static inline double
line_at(const TrendLine *line, double x)
{
	return line->y0 + line->slope * (x - line->x0);
}

/*
 * fitted_at(state, timestamptz) (time) or fitted_at(state, float8) of
 * every family: the argument read on the state's axis, then the family's
 * line evaluated there.  A timestamp on a trend over x (with strict_x,
 * even an infinite one) or an x on a trend over time is an error; NULL
 * for an infinite timestamp or a state without a line.
 */
Datum
trend_fitted_at(FunctionCallInfo fcinfo, const TrendAxis *axis, const void *state,
				const TrendFit *fit, bool time)
{
	double		x;
	TrendLine	line;

	if (time)
	{
		TimestampTz t = PG_GETARG_TIMESTAMPTZ(1);

		if (fit->strict_x && axis->kind == TREND_X)
			(void) axis_at(axis, t, fit->usecs_per_x);	/* the error */
		if (TIMESTAMP_NOT_FINITE(t))
			PG_RETURN_NULL();
		x = axis_at(axis, t, fit->usecs_per_x);
	}
	else
	{
		if (axis->kind == TREND_TIME)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("a trend over time is read at a timestamp, not an x")));
		x = PG_GETARG_FLOAT8(1);
	}
	if (!fit->line(state, &line))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(line_at(&line, x));
}

/*
 * fitted_lower(state, timestamptz, level) (sign -1) or fitted_upper (+1):
 * a bound of the Student t confidence interval of the family's line at a
 * timestamp, the mean the trend says then (a projection when it lies after
 * the last observation); NULL at an infinite timestamp or where the family
 * gives no standard error.
 */
Datum
trend_fitted_bound(FunctionCallInfo fcinfo, const TrendAxis *axis, const void *state,
				   const TrendFit *fit, double sign)
{
	TimestampTz t = PG_GETARG_TIMESTAMPTZ(1);
	double		level = trend_level_arg(fcinfo, 2);
	double		x,
				se,
				df;
	TrendLine	line;

	if (TIMESTAMP_NOT_FINITE(t) || axis->kind == TREND_EMPTY)
		PG_RETURN_NULL();
	x = axis_at(axis, t, fit->usecs_per_x);
	if (!fit->line(state, &line) || !fit->fitted_se(state, x, &se, &df))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(line_at(&line, x) + sign * t_critical(level, df) * se);
}

/*
 * fitted_first(state) or fitted_last(state) (last): the family's line at
 * the first (last) observation; NULL for an empty state or one without a
 * line.
 */
Datum
trend_fitted_end(FunctionCallInfo fcinfo, const TrendAxis *axis, const void *state,
				 const TrendFit *fit, bool last)
{
	TrendLine	line;

	if (axis->kind == TREND_EMPTY || !fit->line(state, &line))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(line_at(&line, axis_end(axis, last, fit->usecs_per_x)));
}

/*
 * What a slope per second (or per x) is multiplied by for the unit asked:
 * for a trend over time, the unit's length in seconds — days of 86,400 s,
 * months of 30.436875 days (the Gregorian mean), the interval's time part
 * as is — a day when the unit is NULL; for a trend over x, 1, and a unit
 * is an error.
 */
double
trend_slope_scale(FunctionCallInfo fcinfo, const TrendAxis *axis, int unit_arg)
{
	bool		has_unit = PG_NARGS() > unit_arg && !PG_ARGISNULL(unit_arg);
	Interval   *unit;
	double		seconds;

	if (axis->kind == TREND_X)
	{
		if (has_unit)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("a trend over a float8 x has no time unit"),
					 errhint("Leave unit out (or NULL): the slope is per unit of x.")));
		return 1.0;
	}
	if (!has_unit)
		return TREND_SECONDS_PER_DAY;
	unit = PG_GETARG_INTERVAL_P(unit_arg);
	seconds = (double) unit->time / USECS_PER_SECOND_F +
		(double) unit->day * TREND_SECONDS_PER_DAY +
		(double) unit->month * TREND_DAYS_PER_MONTH * TREND_SECONDS_PER_DAY;
	if (!(seconds > 0) || !isfinite(seconds))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unit must be a positive interval")));
	return seconds;
}

/*
 * The fixed-size state (trend_ols, trend_rate: it begins with its axis) of
 * an accessor taking (state, unit), and the scale of its slope: see
 * trend_slope_scale.  NULL for a NULL state.
 */
void *
trend_accessor_args(FunctionCallInfo fcinfo, double *scale)
{
	TrendAxis  *axis;

	if (PG_ARGISNULL(0))
		return NULL;
	axis = (TrendAxis *) PG_GETARG_POINTER(0);
	*scale = trend_slope_scale(fcinfo, axis, 1);
	return axis;
}

/*
 * The confidence level argument of a slope's interval (the caller returns
 * NULL for a NULL one): strictly between 0 and 1.
 */
double
trend_level_arg(FunctionCallInfo fcinfo, int argno)
{
	double		level = PG_GETARG_FLOAT8(argno);

	if (!(level > 0 && level < 1))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("level must be between 0 and 1 (exclusive), not %g", level)));
	return level;
}

/*
 * The state argument (a fixed-size state of size bytes) that a transition
 * or combine function updates: in place inside an aggregate, as
 * float8_regr_accum does, else a copy.
 */
void *
trend_state_for_update(FunctionCallInfo fcinfo, Size size)
{
	void	   *state = PG_GETARG_POINTER(0);
	void	   *copy;

	if (AggCheckCallContext(fcinfo, NULL))
		return state;
	copy = palloc(size);
	memcpy(copy, state, size);
	return copy;
}

/* A double as the shortest text that reads back to it, whatever the settings */
void
trend_append_double(StringInfo buf, double d)
{
	char		digits[DOUBLE_SHORTEST_DECIMAL_LEN];

	if (isnan(d))
		appendStringInfoString(buf, "NaN");
	else if (isinf(d))
		appendStringInfoString(buf, d > 0 ? "Infinity" : "-Infinity");
	else
	{
		double_to_shortest_decimal_buf(d, digits);
		appendStringInfoString(buf, digits);
	}
}

/* The axis's fields of a text form: kind,anchor,first,last, */
void
trend_axis_out(StringInfo buf, const TrendAxis *axis)
{
	appendStringInfo(buf, "%s," INT64_FORMAT ",", kind_names[axis->kind], axis->anchor);
	if (axis->kind == TREND_X)
	{
		trend_append_double(buf, axis->x_first);
		appendStringInfoChar(buf, ',');
		trend_append_double(buf, axis->x_last);
	}
	else
		appendStringInfo(buf, INT64_FORMAT "," INT64_FORMAT, axis->t_first, axis->t_last);
	appendStringInfoChar(buf, ',');
}

/* One field ending at the delimiter given (',' or ')'); NULL if it does not */
char *
trend_next_field(char **p, char delimiter)
{
	char	   *start = *p;
	char	   *end = strpbrk(start, ",)");

	if (end == NULL || *end != delimiter)
		return NULL;
	*p = end + 1;
	*end = '\0';
	return start;
}

/* A whole field as an int64; false if it is not one */
bool
trend_parse_int64(const char *field, int64 *result)
{
	char	   *end;

	errno = 0;
	*result = strtoi64(field, &end, 10);
	return field[0] != '\0' && *end == '\0' && errno == 0;
}

/* A whole field as a double (NaN and the infinities too); false if it is not one or overflows */
bool
trend_parse_double(const char *field, double *result)
{
	char	   *end;

	errno = 0;
	*result = strtod(field, &end);
	/* one NaN, as the text form writes it ("-NaN" would keep a sign bit) */
	if (isnan(*result))
		*result = get_float8_nan();
	/* strtod sets ERANGE for denormals too: only overflow is refused */
	return field[0] != '\0' && *end == '\0' && !(errno == ERANGE && isinf(*result));
}

/* Nothing but blanks after the closing parenthesis */
bool
trend_parse_end(char *p)
{
	while (isspace((unsigned char) *p))
		p++;
	return *p == '\0';
}

/* Parse the axis's fields after the opening parenthesis */
bool
trend_axis_parse(char **p, TrendAxis *axis)
{
	char	   *f;
	int			k;

	trend_axis_init(axis);
	if ((f = trend_next_field(p, ',')) == NULL)
		return false;
	for (k = 0; k < 3; k++)
		if (pg_strcasecmp(f, kind_names[k]) == 0)
			break;
	if (k == 3)
		return false;
	axis->kind = k;
	if ((f = trend_next_field(p, ',')) == NULL || !trend_parse_int64(f, &axis->anchor))
		return false;
	if (axis->kind == TREND_X)
		return (f = trend_next_field(p, ',')) != NULL && trend_parse_double(f, &axis->x_first) &&
			(f = trend_next_field(p, ',')) != NULL && trend_parse_double(f, &axis->x_last);
	return (f = trend_next_field(p, ',')) != NULL && trend_parse_int64(f, &axis->t_first) &&
		(f = trend_next_field(p, ',')) != NULL && trend_parse_int64(f, &axis->t_last);
}

/* The axis's fields of a binary form */
void
trend_axis_send(StringInfo buf, const TrendAxis *axis)
{
	pq_sendint32(buf, axis->kind);
	pq_sendint64(buf, axis->anchor);
	pq_sendint64(buf, axis->t_first);
	pq_sendint64(buf, axis->t_last);
	pq_sendfloat8(buf, axis->x_first);
	pq_sendfloat8(buf, axis->x_last);
}

/* Read the axis's fields of a binary form */
void
trend_axis_recv(StringInfo buf, TrendAxis *axis)
{
	axis->kind = pq_getmsgint(buf, 4);
	axis->layout = 0;
	axis->anchor = pq_getmsgint64(buf);
	axis->t_first = pq_getmsgint64(buf);
	axis->t_last = pq_getmsgint64(buf);
	axis->x_first = pq_getmsgfloat8(buf);
	axis->x_last = pq_getmsgfloat8(buf);
}

/*
 * first_time(state) or last_time(state) (last) of every family: the time
 * of the first (last) observation, NULL for a trend over x or an empty one.
 */
Datum
trend_time_end(FunctionCallInfo fcinfo, const TrendAxis *axis, bool last)
{
	if (axis->kind != TREND_TIME)
		PG_RETURN_NULL();
	PG_RETURN_TIMESTAMPTZ(last ? axis->t_last : axis->t_first);
}

/*
 * first_time(trend_ols or trend_rate, which begin with their axis): the
 * time of the first observation, NULL for a trend over x
 */
PG_FUNCTION_INFO_V1(trend_first_time);
Datum
trend_first_time(PG_FUNCTION_ARGS)
{
	return trend_time_end(fcinfo, (TrendAxis *) PG_GETARG_POINTER(0), false);
}

/* last_time(trend_ols or trend_rate): the time of the last observation, NULL for a trend over x */
PG_FUNCTION_INFO_V1(trend_last_time);
Datum
trend_last_time(PG_FUNCTION_ARGS)
{
	return trend_time_end(fcinfo, (TrendAxis *) PG_GETARG_POINTER(0), true);
}

/* The argument better of a verdict: true for "lower", false for "higher", else an error */
static bool
lower_is_better_arg(FunctionCallInfo fcinfo, int argno)
{
	char	   *better;

	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("better must not be null"),
				 errhint("Say which way is better: \"lower\" (a click rate) or \"higher\" (a report rate).")));
	better = text_to_cstring(PG_GETARG_TEXT_PP(argno));
	if (pg_strcasecmp(better, "lower") == 0)
		return true;
	if (pg_strcasecmp(better, "higher") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid value for better: \"%s\"", better),
				 errdetail("Accepted values: lower, higher.")));
	return false;
}

/*
 * trend_verdict(n, slope, lower, upper, p, better, alpha): what an auditor
 * reads.  Fewer than 3 observations or no slope: insufficient data; no p
 * (nothing varies): no significant trend; a direction only when p < alpha
 * and the interval excludes 0, improving when the slope goes the better
 * way ("lower" is better for a click rate, "higher" for a report rate).
 */
PG_FUNCTION_INFO_V1(trend_verdict);
Datum
trend_verdict(PG_FUNCTION_ARGS)
{
	bool		lower_is_better = lower_is_better_arg(fcinfo, 5);
	double		alpha,
				slope,
				p;

	alpha = PG_ARGISNULL(6) ? NAN : PG_GETARG_FLOAT8(6);
	if (!(alpha > 0 && alpha < 1))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("alpha must be between 0 and 1 (exclusive)")));

	if (PG_ARGISNULL(0) || PG_GETARG_INT64(0) < 3 || PG_ARGISNULL(1))
		PG_RETURN_TEXT_P(cstring_to_text("insufficient data"));
	slope = PG_GETARG_FLOAT8(1);
	if (PG_ARGISNULL(4) || isnan(slope))
		PG_RETURN_TEXT_P(cstring_to_text("no significant trend"));
	p = PG_GETARG_FLOAT8(4);
	if (!(p < alpha) ||
		(!PG_ARGISNULL(2) && !PG_ARGISNULL(3) &&
		 PG_GETARG_FLOAT8(2) <= 0 && PG_GETARG_FLOAT8(3) >= 0) ||
		slope == 0)
		PG_RETURN_TEXT_P(cstring_to_text("no significant trend"));
	PG_RETURN_TEXT_P(cstring_to_text((slope < 0) == lower_is_better ? "improving" : "worsening"));
}

/*
 * target_status(lower, upper, target, better): where a projection's
 * interval lies against a target.  On track when the whole interval meets
 * it (at or below it where lower is better), off track when none of it
 * does, at risk when the interval straddles it; insufficient data without
 * an interval; NULL without a target.
 */
PG_FUNCTION_INFO_V1(target_status);
Datum
target_status(PG_FUNCTION_ARGS)
{
	bool		lower_is_better = lower_is_better_arg(fcinfo, 3);
	double		lower,
				upper,
				target;
	const char *status;

	if (PG_ARGISNULL(2))
		PG_RETURN_NULL();
	target = PG_GETARG_FLOAT8(2);
	if (isnan(target))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a target must be a number, not NaN")));
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_TEXT_P(cstring_to_text("insufficient data"));
	lower = PG_GETARG_FLOAT8(0);
	upper = PG_GETARG_FLOAT8(1);
	if (isnan(lower) || isnan(upper) || lower > upper)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("an interval needs lower <= upper (lower %g, upper %g)", lower, upper)));
	if (lower_is_better)
		status = upper <= target ? "on track" : lower > target ? "off track" : "at risk";
	else
		status = lower >= target ? "on track" : upper < target ? "off track" : "at risk";
	PG_RETURN_TEXT_P(cstring_to_text(status));
}
