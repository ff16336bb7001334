/*-------------------------------------------------------------------------
 *
 * trend_axis.h
 *	  What the trend aggregates share: the time axis of a state (a trend
 *	  over timestamps, measured in seconds from an int64 anchor, or over a
 *	  plain float8 x), the unit of a slope, the accessors' common part
 *	  (arguments, first and last times, the fitted line at a point), and
 *	  the pieces of their text and binary forms.  See trend_axis.c.
 *
 * src/trend_axis.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef ISO27001_TREND_AXIS_H
#define ISO27001_TREND_AXIS_H

#include "fmgr.h"
#include "lib/stringinfo.h"
#include "utils/timestamp.h"

#define USECS_PER_SECOND_F	1000000.0

typedef enum TrendKind
{
	TREND_EMPTY = 0,			/* no row yet */
	TREND_TIME = 1,				/* x = seconds since anchor (timestamptz input) */
	TREND_X = 2					/* x as given (float8 input) */
} TrendKind;

/* The axis of a state: 48 bytes at the head of every fixed-size state */
typedef struct TrendAxis
{
	int32		kind;			/* TrendKind */
	int32		layout;			/* of the family's fields after the axis: 0,
								 * but for trend_rate (see trend_rate.c) */
	int64		anchor;			/* TREND_TIME: microseconds of x = 0 */
	int64		t_first;		/* TREND_TIME: first and last timestamps */
	int64		t_last;
	double		x_first;		/* TREND_X: smallest and largest x */
	double		x_last;
} TrendAxis;

extern void trend_axis_init(TrendAxis *axis);
extern bool trend_axis_valid(const TrendAxis *axis);
extern double trend_axis_time(TrendAxis *axis, TimestampTz t);
extern double trend_axis_x(TrendAxis *axis, double x);
extern double trend_axis_merge(TrendAxis *into, const TrendAxis *from);
extern double trend_axis_at(const TrendAxis *axis, TimestampTz t);
extern double trend_slope_scale(FunctionCallInfo fcinfo, const TrendAxis *axis, int unit_arg);
extern void *trend_accessor_args(FunctionCallInfo fcinfo, double *scale);
extern double trend_level_arg(FunctionCallInfo fcinfo, int argno);
extern Datum trend_time_end(FunctionCallInfo fcinfo, const TrendAxis *axis, bool last);

/* A fitted line on a state's axis: y = y0 + slope (x - x0) */
typedef struct TrendLine
{
	double		x0;
	double		y0;
	double		slope;
} TrendLine;

/* Microseconds per unit of a family's x over time (TrendFit.usecs_per_x) */
#define TREND_X_SECONDS		USECS_PER_SECOND_F	/* trend_ols, trend_rate */
#define TREND_X_USECS		1.0					/* trend_robust */

/* What the fitted-value accessors of a family need of it */
typedef struct TrendFit
{
	/* the line of a state; false when it has none */
	bool		(*line) (const void *state, TrendLine *line);
	double		usecs_per_x;	/* TREND_X_SECONDS or TREND_X_USECS */
	bool		strict_x;		/* a trend over x refuses even an infinite
								 * timestamp (trend_robust; the others
								 * return NULL for one) */
	/*
	 * the standard error of the line's value at x and its Student t degrees
	 * of freedom; false when there is none (NULL: a family without one)
	 */
	bool		(*fitted_se) (const void *state, double x, double *se, double *df);
} TrendFit;

extern Datum trend_fitted_at(FunctionCallInfo fcinfo, const TrendAxis *axis,
							 const void *state, const TrendFit *fit, bool time);
extern Datum trend_fitted_end(FunctionCallInfo fcinfo, const TrendAxis *axis,
							  const void *state, const TrendFit *fit, bool last);
extern Datum trend_fitted_bound(FunctionCallInfo fcinfo, const TrendAxis *axis,
								const void *state, const TrendFit *fit, double sign);

extern void trend_axis_out(StringInfo buf, const TrendAxis *axis);
extern bool trend_axis_parse(char **p, TrendAxis *axis);
extern void trend_axis_send(StringInfo buf, const TrendAxis *axis);
extern void trend_axis_recv(StringInfo buf, TrendAxis *axis);

extern void *trend_state_for_update(FunctionCallInfo fcinfo, Size size);
extern void trend_append_double(StringInfo buf, double d);
extern char *trend_next_field(char **p, char delimiter);
extern bool trend_parse_int64(const char *field, int64 *result);
extern bool trend_parse_double(const char *field, double *result);
extern bool trend_parse_end(char *p);

#endif							/* ISO27001_TREND_AXIS_H */
