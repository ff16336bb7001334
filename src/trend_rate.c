/*-------------------------------------------------------------------------
 *
 * trend_rate.c
 *	  The trend of a rate with denominators (clicks out of recipients per
 *	  campaign): the fixed-size state type trend_rate, its aggregate
 *	  trend_rate_agg(events, trials, t or x), rollup over states, and its
 *	  accessors: the slope of the proportion weighted by the trials, and
 *	  the Cochran-Armitage trend test.
 *
 *	  One mergeable state gives both.  With weights w = trials and rates
 *	  p = events / trials, the weighted sums Sxx = sum w (x - mean x)^2 and
 *	  Sxp = sum w (x - mean x)(p - pbar) (West's update, Chan's combine)
 *	  give the slope Sxp / Sxx, and the Cochran-Armitage statistic is
 *	  T = Sxp with Var(T) = pbar (1 - pbar) Sxx, pbar = events / trials
 *	  over all rows (docs/trend_statistics.md §4.4 and §4.5).  With
 *	  Spp = sum w (p - pbar)^2 the rows' scatter around the fitted line,
 *	  RSS = Spp - Sxp^2 / Sxx, gives the dispersion phi = RSS / (pbar (1 -
 *	  pbar) (n - 2)): campaigns of unequal difficulty scatter more than
 *	  binomially.  The default test, interval and standard error allow for
 *	  that scatter as a variance between campaigns, tau^2, added to each
 *	  campaign's binomial variance and estimated by moments from RSS; the
 *	  sums of squared trials (sum w^2, and its moments about mean x) give
 *	  what tau^2 adds to the slope's variance, however unequal the
 *	  campaigns (docs/trend_statistics.md §4.7 and §4.8).
 *
 *	  The type changed size in 0.2.2 (104 to 128 bytes) to keep those sums.
 *	  The 104-byte trend_rate of 0.1.0 to 0.2.1 lives on in databases not
 *	  yet updated: the entry points bound by their scripts keep its size
 *	  (trend_rate_in, _recv, _accum_t, _accum_x, _combine: states without
 *	  the sums), and the new type's writers are the same functions with
 *	  the suffix _v2.  Readers serve both: the first 104 bytes are laid out
 *	  alike, and the sums after them are read only when axis.layout says a
 *	  state has them.
 *
 * src/trend_rate.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "common/int.h"
#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/timestamp.h"

#include "iso27001.h"
#include "trend_axis.h"
#include "trend_stats.h"

/*
 * The state.  axis.layout says which sums it has: the sums of squared
 * trials as well (RATE_LAYOUT_TRIALS2, every state of the 128-byte type
 * this version makes), Spp but not them (RATE_LAYOUT_SPP: a state of the
 * 104-byte type this library makes for a database not yet updated), or
 * neither, with pbar in Spp's slot (RATE_LAYOUT_PBAR: a state 0.2.1 made,
 * read as written).  A state without Spp still gives the slope and the
 * Cochran-Armitage test but no dispersion; one without the squared trials
 * gives the dispersion and the quasi-binomial test (the binomial variance
 * times max(1, phi)).  pbar itself is always events / trials.
 */
#define RATE_LAYOUT_PBAR	0
#define RATE_LAYOUT_SPP		1
#define RATE_LAYOUT_TRIALS2 2

typedef struct TrendRate
{
	TrendAxis	axis;			/* time or x, anchor, first and last; layout */
	int64		n;				/* rows with trials */
	int64		trials;			/* sum of trials: the weight */
	int64		events;			/* sum of events */
	double		mean_x;			/* mean of x weighted by the trials */
	double		spp;			/* sum w (p - pbar)^2; pbar in layout 0 */
	double		sxx;			/* sum w (x - mean x)^2 */
	double		sxp;			/* sum w (x - mean x)(p - pbar) */
	/* layout RATE_LAYOUT_TRIALS2 only: */
	double		sww;			/* sum w^2 */
	double		swwx;			/* sum w^2 (x - mean x) */
	double		swwxx;			/* sum w^2 (x - mean x)^2 */
} TrendRate;

/* The size of the trend_rate of 0.1.0 to 0.2.1: the fields before sww */
#define RATE_SIZE_0_2_1		offsetof(TrendRate, sww)

/* The bytes of a state that hold its fields, by its layout */
#define rate_size(s)	((s)->axis.layout == RATE_LAYOUT_TRIALS2 ? sizeof(TrendRate) : RATE_SIZE_0_2_1)

/* The fewest rows (periods) whose scatter gives a dispersion: 3 degrees of freedom */
#define RATE_MIN_PERIODS	5

/* How far a state's pbar field may stray from events / trials (rounding) */
#define RATE_PBAR_TOLERANCE	1e-9

/* The relative rounding the bounds of the squared trials' sums allow */
#define RATE_SUM_TOLERANCE	1e-9

#define DatumGetTrendRate(X)	((TrendRate *) DatumGetPointer(X))
#define PG_GETARG_TREND_RATE(n) DatumGetTrendRate(PG_GETARG_DATUM(n))

/* All events over all trials (0 without trials) */
static inline double
rate_pbar(const TrendRate *s)
{
	return s->trials > 0 ? (double) s->events / (double) s->trials : 0.0;
}

/* A state with no rows, of a layout */
static void
rate_init(TrendRate *s, int layout)
{
	memset(s, 0, sizeof(TrendRate));
	trend_axis_init(&s->axis);
	s->axis.layout = layout;
}

/* a <= b, up to rounding (relative RATE_SUM_TOLERANCE) */
static inline bool
rate_le(double a, double b)
{
	return a <= b + RATE_SUM_TOLERANCE * fabs(b);
}

/*
 * The sums of squared trials can arise from the rows: with n rows of
 * trials w >= 1, trials^2 / n <= sum w^2 <= trials^2, Sxx <= sum w^2 (x -
 * mean x)^2 <= trials Sxx, and (Cauchy-Schwarz) (sum w^2 (x - mean x))^2 <=
 * sum w^2 sum w^2 (x - mean x)^2
 */
static bool
rate_trials2_valid(const TrendRate *s)
{
	double		trials = (double) s->trials;

	if (!(isfinite(s->sww) && isfinite(s->swwx) && isfinite(s->swwxx) &&
		  s->sww > 0 && s->swwxx >= 0))
		return false;
	if (s->n == 1)
		return s->sww == trials * trials && s->swwx == 0 && s->swwxx == 0;
	return rate_le(trials * trials / (double) s->n, s->sww) &&
		rate_le(s->sww, trials * trials) &&
		rate_le(s->sxx, s->swwxx) && rate_le(s->swwxx, trials * s->sxx) &&
		rate_le(s->swwx * s->swwx, s->sww * s->swwxx);
}

/*
 * How many rounding errors (units of DBL_EPSILON, times n, the trials and
 * the largest |x| the state allows) the weighted sums may carry
 * (docs/trend_statistics.md §6.3)
 */
#define RATE_ROUNDING	64.0

/* The sum of two counts of a state (rows, trials, events); 22003 when it does not fit */
static int64
rate_count_add(int64 a, int64 b, const char *what)
{
	int64		sum;

	if (pg_add_s64_overflow(a, b, &sum))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("the sum of %s of a trend_rate is out of range for bigint", what)));
	return sum;
}

/*
 * The rows' scatter of the proportion, Spp = sum w (p - pbar)^2, is at most
 * trials pbar (1 - pbar) (p^2 <= p for 0 <= p <= 1), up to rounding
 */
static bool
rate_spp_valid(const TrendRate *s)
{
	double		w = (double) s->trials;
	double		pbar = rate_pbar(s);

	if (s->axis.layout == RATE_LAYOUT_PBAR)
		return true;			/* the slot holds pbar */
	return s->spp <= w * pbar * (1.0 - pbar) +
		RATE_ROUNDING * DBL_EPSILON * (double) s->n * w;
}

/*
 * Cauchy-Schwarz: |Sxp| <= sqrt(Sxx Spp), Spp at most trials pbar (1 -
 * pbar) (and that bound itself where a state has no Spp), up to the
 * rounding RATE_ROUNDING eps n trials X, X = |mean x| + sqrt(Sxx) bounding
 * every |x|.  A state beyond it gives a negative residual sum of squares
 * and a Cochran-Armitage z beyond any data's.  Terms below DBL_MIN can
 * underflow to 0: each sum of squares may lack up to n DBL_MIN.
 */
static bool
rate_cauchy_schwarz_valid(const TrendRate *s)
{
	double		w = (double) s->trials;
	double		pbar = rate_pbar(s);
	double		spp = w * pbar * (1.0 - pbar);
	double		n = (double) s->n;
	double		rx = sqrt(s->sxx);

	if (s->axis.layout != RATE_LAYOUT_PBAR)
		spp = Min(spp, s->spp);
	return fabs(s->sxp) <= sqrt(s->sxx + n * DBL_MIN) * sqrt(Max(spp, 0.0) + n * DBL_MIN) +
		RATE_ROUNDING * DBL_EPSILON * n * w * (fabs(s->mean_x) + rx);
}

/* Check a state's invariants (every way in: text, binary) */
static bool
rate_valid(const TrendRate *s)
{
	int			layout = s->axis.layout;

	if (!trend_axis_valid(&s->axis) ||
		(layout != RATE_LAYOUT_PBAR && layout != RATE_LAYOUT_SPP && layout != RATE_LAYOUT_TRIALS2))
		return false;
	if (s->axis.kind == TREND_EMPTY)
		return s->n == 0 && s->trials == 0 && s->events == 0 && s->mean_x == 0 &&
			s->spp == 0 && s->sxx == 0 && s->sxp == 0 &&
			(layout != RATE_LAYOUT_TRIALS2 || (s->sww == 0 && s->swwx == 0 && s->swwxx == 0));
	if (!(s->n >= 1 && s->trials >= s->n && s->events >= 0 && s->events <= s->trials &&
		  s->sxx >= 0 && isfinite(s->mean_x) && isfinite(s->sxx) && isfinite(s->sxp)))
		return false;
	if (layout == RATE_LAYOUT_PBAR) /* the slot holds pbar */
		return fabs(s->spp - rate_pbar(s)) <= RATE_PBAR_TOLERANCE &&
			(s->n > 1 || (s->sxx == 0 && s->sxp == 0)) &&
			rate_cauchy_schwarz_valid(s);
	if (!(s->spp >= 0 && isfinite(s->spp) &&
		  (s->n > 1 || (s->sxx == 0 && s->sxp == 0 && s->spp == 0))))
		return false;
	if (!rate_spp_valid(s) || !rate_cauchy_schwarz_valid(s))
		return false;
	return layout != RATE_LAYOUT_TRIALS2 || rate_trials2_valid(s);
}

/*
 * Add one row of events out of trials at x (West's weighted update); a
 * state's first row gives it the layout new_layout
 */
static void
rate_add(TrendRate *s, double x, int64 events, int64 trials, int new_layout)
{
	double		w = (double) trials;
	double		p = (double) events / w;
	double		pbar_before = rate_pbar(s);
	double		pbar,
				dx,
				shift;
	int64		count,
				sum_trials,
				sum_events;

	if (!isfinite(x))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a rate trend needs finite x values")));
	count = rate_count_add(s->n, 1, "rows");
	sum_trials = rate_count_add(s->trials, trials, "trials");
	sum_events = rate_count_add(s->events, events, "events");
	s->n = count;
	s->trials = sum_trials;
	s->events = sum_events;
	pbar = rate_pbar(s);
	if (count == 1)
	{
		s->axis.layout = new_layout;
		s->mean_x = x;
		s->spp = 0;
		if (new_layout == RATE_LAYOUT_TRIALS2)
		{
			s->sww = w * w;
			s->swwx = 0;
			s->swwxx = 0;
		}
		return;
	}
	dx = x - s->mean_x;
	shift = w * dx / (double) s->trials;
	s->mean_x += shift;
	s->sxx += w * dx * (x - s->mean_x);
	s->sxp += w * dx * (p - pbar);
	if (s->axis.layout == RATE_LAYOUT_PBAR)
		s->spp = pbar;
	else
		s->spp += w * (p - pbar_before) * (p - pbar);
	if (s->axis.layout == RATE_LAYOUT_TRIALS2)
	{
		double		e = x - s->mean_x;

		/* the moments about the old mean, moved to the new one; the row */
		s->swwxx += shift * (shift * s->sww - 2.0 * s->swwx) + w * w * e * e;
		s->swwx += w * w * e - shift * s->sww;
		s->sww += w * w;
		if (s->swwxx < 0)		/* rounding of a sum that is 0 */
			s->swwxx = 0;
	}
	/* finite inputs that overflow are an error, as in regr_* */
	if (!isfinite(s->mean_x) || !isfinite(s->sxx) || !isfinite(s->sxp) || !isfinite(s->spp) ||
		(s->axis.layout == RATE_LAYOUT_TRIALS2 &&
		 (!isfinite(s->sww) || !isfinite(s->swwx) || !isfinite(s->swwxx))))
		float_overflow_error();
}

/*
 * Fold state b into a (Chan's weighted combine), after moving b to a's
 * anchor.  A sum survives only if both have it: the result has the lesser
 * layout.
 */
static void
rate_merge(TrendRate *a, const TrendRate *b)
{
	double		shift,
				w1,
				w2,
				w,
				dx,
				dp,
				da,
				db;
	int64		n,
				trials,
				events;

	if (b->axis.kind == TREND_EMPTY)
		return;
	if (a->axis.kind == TREND_EMPTY)
	{
		/* the bytes b has: a 104-byte state has no sums after them */
		memcpy(a, b, rate_size(b));
		return;
	}
	/* the counts first: a fails before it changes */
	n = rate_count_add(a->n, b->n, "rows");
	trials = rate_count_add(a->trials, b->trials, "trials");
	events = rate_count_add(a->events, b->events, "events");
	shift = trend_axis_merge(&a->axis, &b->axis);
	w1 = (double) a->trials;
	w2 = (double) b->trials;
	w = (double) trials;
	dx = (b->mean_x + shift) - a->mean_x;
	dp = rate_pbar(b) - rate_pbar(a);
	/* how far the merged mean lies from a's and from b's */
	da = dx * w2 / w;
	db = -dx * w1 / w;
	a->sxx += b->sxx + w1 * w2 * dx * dx / w;
	a->sxp += b->sxp + w1 * w2 * dx * dp / w;
	a->mean_x += da;
	a->n = n;
	a->trials = trials;
	a->events = events;
	if (a->axis.layout == RATE_LAYOUT_TRIALS2 && b->axis.layout == RATE_LAYOUT_TRIALS2)
	{
		a->swwxx += da * (da * a->sww - 2.0 * a->swwx) +
			b->swwxx + db * (db * b->sww - 2.0 * b->swwx);
		a->swwx += -da * a->sww + b->swwx - db * b->sww;
		a->sww += b->sww;
		if (a->swwxx < 0)		/* rounding of a sum that is 0 */
			a->swwxx = 0;
	}
	else if (a->axis.layout == RATE_LAYOUT_TRIALS2)
		a->axis.layout = RATE_LAYOUT_SPP;
	if (a->axis.layout != RATE_LAYOUT_PBAR && b->axis.layout != RATE_LAYOUT_PBAR)
		a->spp += b->spp + w1 * w2 * dp * dp / w;
	else
	{
		a->axis.layout = RATE_LAYOUT_PBAR;
		a->spp = rate_pbar(a);
	}
	if (!isfinite(a->mean_x) || !isfinite(a->sxx) || !isfinite(a->sxp) || !isfinite(a->spp) ||
		(a->axis.layout == RATE_LAYOUT_TRIALS2 &&
		 (!isfinite(a->sww) || !isfinite(a->swwx) || !isfinite(a->swwxx))))
		float_overflow_error();
}

/* Check one row's counts; false for a row without trials (it is skipped) */
static bool
rate_row(FunctionCallInfo fcinfo, int64 *events, int64 *trials)
{
	*events = PG_GETARG_INT64(1);
	*trials = PG_GETARG_INT64(2);
	if (*events < 0 || *trials < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("events and trials must not be negative (events " INT64_FORMAT ", trials " INT64_FORMAT ")",
						*events, *trials)));
	if (*events > *trials)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("events (" INT64_FORMAT ") must not exceed trials (" INT64_FORMAT ")",
						*events, *trials)));
	return *trials > 0;
}

/*
 * The transition of trend_rate_agg: one row at t (timestamptz) or x
 * (float8), into a state of the 128-byte type (layout RATE_LAYOUT_TRIALS2)
 * or of the 104-byte one (RATE_LAYOUT_SPP)
 */
static Datum
rate_accum(FunctionCallInfo fcinfo, bool time, int layout)
{
	TrendRate  *s = trend_state_for_update(fcinfo, layout == RATE_LAYOUT_TRIALS2 ?
										   sizeof(TrendRate) : RATE_SIZE_0_2_1);
	int64		events,
				trials;

	if (rate_row(fcinfo, &events, &trials))
		rate_add(s, time ? trend_axis_time(&s->axis, PG_GETARG_TIMESTAMPTZ(3)) :
				 trend_axis_x(&s->axis, PG_GETARG_FLOAT8(3)),
				 events, trials, layout);
	PG_RETURN_POINTER(s);
}

/* trend_rate_agg(events, trials, t timestamptz) transition: one row */
PG_FUNCTION_INFO_V1(trend_rate_accum_t_v2);
Datum
trend_rate_accum_t_v2(PG_FUNCTION_ARGS)
{
	return rate_accum(fcinfo, true, RATE_LAYOUT_TRIALS2);
}

/* trend_rate_agg(events, trials, x float8) transition: one row */
PG_FUNCTION_INFO_V1(trend_rate_accum_x_v2);
Datum
trend_rate_accum_x_v2(PG_FUNCTION_ARGS)
{
	return rate_accum(fcinfo, false, RATE_LAYOUT_TRIALS2);
}

/* Combine two states (parallel workers, rollup) */
PG_FUNCTION_INFO_V1(trend_rate_combine_v2);
Datum
trend_rate_combine_v2(PG_FUNCTION_ARGS)
{
	TrendRate  *a = trend_state_for_update(fcinfo, sizeof(TrendRate));

	rate_merge(a, PG_GETARG_TREND_RATE(1));
	PG_RETURN_POINTER(a);
}

/*
 * Text form: (kind,anchor,first,last,n,trials,events,mean_x,pbar,sxx,sxp,
 * spp,sww,swwx,swwxx); the fields a state has, by its layout: without the
 * last three (RATE_LAYOUT_SPP), or without the last four as 0.2.1 wrote it
 */
PG_FUNCTION_INFO_V1(trend_rate_out);
Datum
trend_rate_out(PG_FUNCTION_ARGS)
{
	TrendRate  *s = PG_GETARG_TREND_RATE(0);
	int			layout = s->axis.layout;
	double		sums[8] = {s->mean_x, layout == RATE_LAYOUT_PBAR ? s->spp : rate_pbar(s),
		s->sxx, s->sxp, s->spp, 0, 0, 0};
	int			nsums = layout == RATE_LAYOUT_TRIALS2 ? 8 : layout == RATE_LAYOUT_SPP ? 5 : 4;
	StringInfoData buf;

	if (layout == RATE_LAYOUT_TRIALS2)
	{
		sums[5] = s->sww;
		sums[6] = s->swwx;
		sums[7] = s->swwxx;
	}
	initStringInfo(&buf);
	appendStringInfoChar(&buf, '(');
	trend_axis_out(&buf, &s->axis);
	appendStringInfo(&buf, INT64_FORMAT "," INT64_FORMAT "," INT64_FORMAT,
					 s->n, s->trials, s->events);
	for (int i = 0; i < nsums; i++)
	{
		appendStringInfoChar(&buf, ',');
		trend_append_double(&buf, sums[i]);
	}
	appendStringInfoChar(&buf, ')');
	PG_RETURN_CSTRING(buf.data);
}

/*
 * Parse the text form: four sums after the counts (layout 0, as 0.2.1
 * wrote it), five (with Spp) or eight (with the squared trials); false if
 * it is not one
 */
static bool
rate_parse(char *p, TrendRate *s)
{
	char	   *f;
	double		sums[8];
	int			nsums = 0;

	rate_init(s, RATE_LAYOUT_PBAR);
	while (isspace((unsigned char) *p))
		p++;
	if (*p++ != '(' || !trend_axis_parse(&p, &s->axis) ||
		(f = trend_next_field(&p, ',')) == NULL || !trend_parse_int64(f, &s->n) ||
		(f = trend_next_field(&p, ',')) == NULL || !trend_parse_int64(f, &s->trials) ||
		(f = trend_next_field(&p, ',')) == NULL || !trend_parse_int64(f, &s->events))
		return false;
	for (;;)
	{
		char	   *next = strpbrk(p, ",)");
		char		delimiter = next != NULL ? *next : '\0';

		if (delimiter == '\0' || nsums == lengthof(sums) ||
			(f = trend_next_field(&p, delimiter)) == NULL ||
			!trend_parse_double(f, &sums[nsums++]))
			return false;
		if (delimiter == ')')
			break;
	}
	if (nsums != 4 && nsums != 5 && nsums != 8)
		return false;
	s->axis.layout = nsums == 8 ? RATE_LAYOUT_TRIALS2 : nsums == 5 ? RATE_LAYOUT_SPP : RATE_LAYOUT_PBAR;
	s->mean_x = sums[0];
	s->sxx = sums[2];
	s->sxp = sums[3];
	s->spp = nsums == 4 ? sums[1] : sums[4];
	if (nsums == 8)
	{
		s->sww = sums[5];
		s->swwx = sums[6];
		s->swwxx = sums[7];
	}
	/* this version writes pbar as events / trials: it must agree */
	if (nsums > 4 && fabs(sums[1] - rate_pbar(s)) > RATE_PBAR_TOLERANCE)
		return false;
	return trend_parse_end(p);
}

/*
 * A state for the 104-byte type of a database not yet updated: without the
 * squared trials, which it has no room for
 */
static void
rate_to_0_2_1(TrendRate *s)
{
	if (s->axis.layout == RATE_LAYOUT_TRIALS2)
		s->axis.layout = RATE_LAYOUT_SPP;
}

/* The state of a text form, checked */
static TrendRate *
rate_in(const char *str)
{
	TrendRate  *s = palloc(sizeof(TrendRate));

	if (!rate_parse(pstrdup(str), s) || !rate_valid(s))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type trend_rate: \"%s\"", str),
				 errdetail("A trend_rate is (kind,anchor,first,last,n,trials,events,mean_x,pbar,sxx,sxp,spp,sww,swwx,swwxx) with kind empty, time or x, as trend_rate_agg() makes it.")));
	return s;
}

/* Text input of trend_rate: the state of the text form trend_rate_out writes, checked */
PG_FUNCTION_INFO_V1(trend_rate_in_v2);
Datum
trend_rate_in_v2(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(rate_in(PG_GETARG_CSTRING(0)));
}

/*
 * Binary output of trend_rate: the axis, the counts, then mean_x, pbar,
 * Sxx and Sxp, and the sums the state has of Spp, sum w^2, sum w^2 (x -
 * mean x) and sum w^2 (x - mean x)^2 (a state of 0.2.1 as 0.2.1 sent it)
 */
PG_FUNCTION_INFO_V1(trend_rate_send);
Datum
trend_rate_send(PG_FUNCTION_ARGS)
{
	TrendRate  *s = PG_GETARG_TREND_RATE(0);
	int			layout = s->axis.layout;
	StringInfoData buf;

	pq_begintypsend(&buf);
	trend_axis_send(&buf, &s->axis);
	pq_sendint64(&buf, s->n);
	pq_sendint64(&buf, s->trials);
	pq_sendint64(&buf, s->events);
	pq_sendfloat8(&buf, s->mean_x);
	pq_sendfloat8(&buf, layout == RATE_LAYOUT_PBAR ? s->spp : rate_pbar(s));
	pq_sendfloat8(&buf, s->sxx);
	pq_sendfloat8(&buf, s->sxp);
	if (layout != RATE_LAYOUT_PBAR)
		pq_sendfloat8(&buf, s->spp);
	if (layout == RATE_LAYOUT_TRIALS2)
	{
		pq_sendfloat8(&buf, s->sww);
		pq_sendfloat8(&buf, s->swwx);
		pq_sendfloat8(&buf, s->swwxx);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* The state of a binary form (any layout), checked */
static TrendRate *
rate_recv(StringInfo buf)
{
	TrendRate  *s = palloc0(sizeof(TrendRate));
	double		pbar;
	int			rest;
	bool		valid = true;

	trend_axis_recv(buf, &s->axis);
	s->n = pq_getmsgint64(buf);
	s->trials = pq_getmsgint64(buf);
	s->events = pq_getmsgint64(buf);
	s->mean_x = pq_getmsgfloat8(buf);
	pbar = pq_getmsgfloat8(buf);
	s->sxx = pq_getmsgfloat8(buf);
	s->sxp = pq_getmsgfloat8(buf);
	rest = buf->len - buf->cursor;	/* Spp, and the squared trials: 8 bytes each */
	if (rest == 0)
	{
		s->axis.layout = RATE_LAYOUT_PBAR;
		s->spp = pbar;
	}
	else if (rest == 8 || rest == 32)
	{
		s->axis.layout = rest == 8 ? RATE_LAYOUT_SPP : RATE_LAYOUT_TRIALS2;
		s->spp = pq_getmsgfloat8(buf);
		if (rest == 32)
		{
			s->sww = pq_getmsgfloat8(buf);
			s->swwx = pq_getmsgfloat8(buf);
			s->swwxx = pq_getmsgfloat8(buf);
		}
		valid = fabs(pbar - rate_pbar(s)) <= RATE_PBAR_TOLERANCE;
	}
	else
		valid = false;
	if (!valid || !rate_valid(s))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid trend_rate state"),
				 errdetail("The counts, means or sums of the state are inconsistent.")));
	return s;
}

/* Binary input of trend_rate: the state of its binary form (any version), checked */
PG_FUNCTION_INFO_V1(trend_rate_recv_v2);
Datum
trend_rate_recv_v2(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(rate_recv((StringInfo) PG_GETARG_POINTER(0)));
}

/* The slope of the proportion per second or x; false without two distinct x */
static bool
rate_slope(const TrendRate *s, double *slope)
{
	if (s->n < 2 || s->sxx == 0)
		return false;
	*slope = s->sxp / s->sxx;
	return true;
}

/* pbar (1 - pbar) Sxx, the Cochran-Armitage variance of T = Sxp; false if 0 */
static bool
rate_var_t(const TrendRate *s, double *var)
{
	double		pbar = (double) s->events / (double) s->trials;
	double		slope;

	if (!rate_slope(s, &slope))
		return false;
	*var = pbar * (1.0 - pbar) * s->sxx;
	return *var > 0;
}

/* n(trend_rate): the number of rows with trials */
PG_FUNCTION_INFO_V1(trend_rate_n);
Datum
trend_rate_n(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(PG_GETARG_TREND_RATE(0)->n);
}

/* rate(trend_rate): all events over all trials, or NULL without trials */
PG_FUNCTION_INFO_V1(trend_rate_rate);
Datum
trend_rate_rate(PG_FUNCTION_ARGS)
{
	TrendRate  *s = PG_GETARG_TREND_RATE(0);

	if (s->trials == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8((double) s->events / (double) s->trials);
}

/* The trials-weighted slope of the proportion per unit (a day by default) or x; NULL without two x */
PG_FUNCTION_INFO_V1(trend_rate_slope);
Datum
trend_rate_slope(PG_FUNCTION_ARGS)
{
	double		scale,
				slope;
	TrendRate  *s = trend_accessor_args(fcinfo, &scale);

	if (s == NULL || !rate_slope(s, &slope))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(slope * scale);
}

/* The trials-weighted residual sum of squares around the line, RSS = Spp - Sxp^2 / Sxx */
static double
rate_rss(const TrendRate *s)
{
	double		rss = s->spp - s->sxp * s->sxp / s->sxx;

	/* rounding may leave a perfect fit a little below zero */
	return rss > 0 ? rss : 0;
}

/*
 * The dispersion phi = RSS / (pbar qbar (n - 2)), the rows' scatter around
 * the fitted line over what the binomial allows; false where it cannot be
 * estimated: fewer than RATE_MIN_PERIODS rows, no Spp (a state of 0.2.1),
 * or no slope or variance
 */
static bool
rate_dispersion(const TrendRate *s, double *phi)
{
	double		var;

	if (s->axis.layout == RATE_LAYOUT_PBAR || s->n < RATE_MIN_PERIODS || !rate_var_t(s, &var))
		return false;
	*phi = rate_rss(s) * s->sxx / (var * (double) (s->n - 2));
	return true;
}

/*
 * The variance between campaigns, tau^2, by moments (docs/trend_statistics.md
 * §4.8): each row's rate varies as pbar qbar / w + tau^2 about the line, so
 * E[RSS] = pbar qbar (n - 2) + tau^2 D with D = sum w (1 - h), h the rows'
 * leverages, = trials - sum w^2 / trials - sum w^2 (x - mean x)^2 / Sxx;
 * never below 0.  Needs the squared trials.
 */
static double
rate_tau2(const TrendRate *s, double pq)
{
	double		d = (double) s->trials - s->sww / (double) s->trials - s->swwxx / s->sxx;
	double		excess = rate_rss(s) - pq * (double) (s->n - 2);

	return d > 0 && excess > 0 ? excess / d : 0;
}

/*
 * The default test's variance of the slope and its degrees of freedom: the
 * binomial variance pbar qbar / Sxx plus what the campaigns' own variance
 * tau^2 adds, tau^2 sum w^2 (x - mean x)^2 / Sxx^2 (a state of the 104-byte
 * type, without the squared trials: the binomial variance times max(1,
 * phi), the same when the trials are equal), against Student's t with n -
 * 2 degrees of freedom, the scatter being estimated; false where phi
 * cannot be
 */
static bool
rate_slope_var(const TrendRate *s, double *var, double *df)
{
	double		phi,
				pq;

	if (!rate_dispersion(s, &phi))
		return false;
	pq = rate_pbar(s) * (1.0 - rate_pbar(s));
	*df = (double) (s->n - 2);
	if (s->axis.layout == RATE_LAYOUT_TRIALS2)
		*var = pq / s->sxx + rate_tau2(s, pq) * s->swwxx / (s->sxx * s->sxx);
	else
		*var = (phi > 1.0 ? phi : 1.0) * pq / s->sxx;
	return true;
}

/* The slope's standard error by the default test; false where there is none */
static bool
rate_stderr(const TrendRate *s, double *se, double *df)
{
	double		var;

	if (!rate_slope_var(s, &var, df))
		return false;
	*se = sqrt(var);
	return true;
}

/* dispersion(trend_rate): phi, or NULL with fewer than 5 rows, without a slope or from 0.2.1 */
PG_FUNCTION_INFO_V1(trend_rate_dispersion);
Datum
trend_rate_dispersion(PG_FUNCTION_ARGS)
{
	double		phi;

	if (!rate_dispersion(PG_GETARG_TREND_RATE(0), &phi))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(phi);
}

/* The weighted slope's standard error by the default test, in its unit; NULL where there is none */
PG_FUNCTION_INFO_V1(trend_rate_slope_stderr);
Datum
trend_rate_slope_stderr(PG_FUNCTION_ARGS)
{
	double		scale,
				se,
				df;
	TrendRate  *s = trend_accessor_args(fcinfo, &scale);

	if (s == NULL || !rate_stderr(s, &se, &df))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(se * scale);
}

/* A bound of the slope's Student t interval by the default test: lower (-1) or upper (+1) */
static Datum
rate_ci_bound(FunctionCallInfo fcinfo, double sign)
{
	TrendRate  *s;
	double		scale,
				slope,
				se,
				df,
				level;

	/* NULL level: NULL before the unit is read (trend_ols reads it first) */
	if (PG_ARGISNULL(2) || (s = trend_accessor_args(fcinfo, &scale)) == NULL)
		PG_RETURN_NULL();
	level = trend_level_arg(fcinfo, 2);
	if (!rate_slope(s, &slope) || !rate_stderr(s, &se, &df))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8((slope + sign * t_critical(level, df) * se) * scale);
}

/* The lower bound of the weighted slope's interval at a level */
PG_FUNCTION_INFO_V1(trend_rate_slope_lower);
Datum
trend_rate_slope_lower(PG_FUNCTION_ARGS)
{
	return rate_ci_bound(fcinfo, -1.0);
}

/* The upper bound of the weighted slope's interval at a level */
PG_FUNCTION_INFO_V1(trend_rate_slope_upper);
Datum
trend_rate_slope_upper(PG_FUNCTION_ARGS)
{
	return rate_ci_bound(fcinfo, 1.0);
}

/*
 * p_value(trend_rate): the default test, the slope over its standard error
 * against Student's t with n - 2 degrees of freedom; NULL where phi cannot
 * be estimated
 */
PG_FUNCTION_INFO_V1(trend_rate_p_value);
Datum
trend_rate_p_value(PG_FUNCTION_ARGS)
{
	TrendRate  *s = PG_GETARG_TREND_RATE(0);
	double		se,
				df;

	if (!rate_stderr(s, &se, &df))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(t_two_sided_p(s->sxp / s->sxx / se, df));
}

/* Cochran-Armitage chi-square (1 df): T^2 / Var(T) */
PG_FUNCTION_INFO_V1(trend_rate_ca_chi2);
Datum
trend_rate_ca_chi2(PG_FUNCTION_ARGS)
{
	TrendRate  *s = PG_GETARG_TREND_RATE(0);
	double		var;

	if (!rate_var_t(s, &var))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(s->sxp * s->sxp / var);
}

/* Cochran-Armitage z: T / sqrt(Var(T)), with the slope's sign */
PG_FUNCTION_INFO_V1(trend_rate_ca_z);
Datum
trend_rate_ca_z(PG_FUNCTION_ARGS)
{
	TrendRate  *s = PG_GETARG_TREND_RATE(0);
	double		var;

	if (!rate_var_t(s, &var))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(s->sxp / sqrt(var));
}

/* Cochran-Armitage two-sided p-value */
PG_FUNCTION_INFO_V1(trend_rate_ca_p);
Datum
trend_rate_ca_p(PG_FUNCTION_ARGS)
{
	TrendRate  *s = PG_GETARG_TREND_RATE(0);
	double		var;

	if (!rate_var_t(s, &var))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(normal_two_sided_p(s->sxp / sqrt(var)));
}

/* The weighted least-squares line of the proportion, through the weighted means; false without a slope */
static bool
rate_line(const void *state, TrendLine *line)
{
	const TrendRate *s = state;

	if (!rate_slope(s, &line->slope))
		return false;
	line->x0 = s->mean_x;
	line->y0 = rate_pbar(s);
	return true;
}

/*
 * The standard error of the line's value at x, by the default test's model
 * (docs/trend_statistics.md §4.9): the line passes through (mean x, pbar),
 * Var(pbar) = pbar qbar / N + tau^2 sum w^2 / N^2, Cov(pbar, b) = tau^2 sum
 * w^2 (x - mean x) / (N Sxx), so at d = x - mean x the variance is Var(pbar)
 * + 2 d Cov + d^2 Var(b); without the squared trials, max(1, phi) pbar qbar
 * (1 / N + d^2 / Sxx).  n - 2 degrees of freedom.
 */
static bool
rate_fitted_se(const void *state, double x, double *se, double *df)
{
	const TrendRate *s = state;
	double		var_b,
				pq = rate_pbar(s) * (1.0 - rate_pbar(s)),
				n = (double) s->trials,
				d = x - s->mean_x,
				var;

	if (!rate_slope_var(s, &var_b, df))
		return false;
	if (s->axis.layout == RATE_LAYOUT_TRIALS2)
	{
		double		tau2 = rate_tau2(s, pq);

		var = pq / n + tau2 * s->sww / (n * n) + 2.0 * d * tau2 * s->swwx / (n * s->sxx) + d * d * var_b;
	}
	else
		var = var_b * (s->sxx / n + d * d);
	*se = sqrt(var > 0 ? var : 0);
	return true;
}

static const TrendFit rate_fit = {rate_line, TREND_X_SECONDS, false, rate_fitted_se};

/* The fitted proportion at a timestamp; NULL at an infinite one or without a slope */
PG_FUNCTION_INFO_V1(trend_rate_fitted_at_t);
Datum
trend_rate_fitted_at_t(PG_FUNCTION_ARGS)
{
	TrendRate  *s = PG_GETARG_TREND_RATE(0);

	return trend_fitted_at(fcinfo, &s->axis, s, &rate_fit, true);
}

/* The fitted proportion at an x, or NULL without a slope */
PG_FUNCTION_INFO_V1(trend_rate_fitted_at_x);
Datum
trend_rate_fitted_at_x(PG_FUNCTION_ARGS)
{
	TrendRate  *s = PG_GETARG_TREND_RATE(0);

	return trend_fitted_at(fcinfo, &s->axis, s, &rate_fit, false);
}

/* The lower bound of the fitted proportion's confidence interval at a timestamp */
PG_FUNCTION_INFO_V1(trend_rate_fitted_lower);
Datum
trend_rate_fitted_lower(PG_FUNCTION_ARGS)
{
	TrendRate  *s = PG_GETARG_TREND_RATE(0);

	return trend_fitted_bound(fcinfo, &s->axis, s, &rate_fit, -1.0);
}

/* The upper bound of the fitted proportion's confidence interval at a timestamp */
PG_FUNCTION_INFO_V1(trend_rate_fitted_upper);
Datum
trend_rate_fitted_upper(PG_FUNCTION_ARGS)
{
	TrendRate  *s = PG_GETARG_TREND_RATE(0);

	return trend_fitted_bound(fcinfo, &s->axis, s, &rate_fit, 1.0);
}

/* The fitted proportion at the first observation, or NULL without a slope */
PG_FUNCTION_INFO_V1(trend_rate_fitted_first);
Datum
trend_rate_fitted_first(PG_FUNCTION_ARGS)
{
	TrendRate  *s = PG_GETARG_TREND_RATE(0);

	return trend_fitted_end(fcinfo, &s->axis, s, &rate_fit, false);
}

/* The fitted proportion at the last observation, or NULL without a slope */
PG_FUNCTION_INFO_V1(trend_rate_fitted_last);
Datum
trend_rate_fitted_last(PG_FUNCTION_ARGS)
{
	TrendRate  *s = PG_GETARG_TREND_RATE(0);

	return trend_fitted_end(fcinfo, &s->axis, s, &rate_fit, true);
}

/*
 * The writers of the 104-byte trend_rate of 0.1.0 to 0.2.1, under the names
 * its install and update scripts bind, for a database not yet updated by
 * ALTER EXTENSION iso27001 UPDATE: its states get Spp (the dispersion and
 * the quasi-binomial test) but not the squared trials, which they have no
 * room for.  Its readers are the functions above.
 */

/* trend_rate_agg(events, trials, t timestamptz) transition of the 104-byte type */
PG_FUNCTION_INFO_V1(trend_rate_accum_t);
Datum
trend_rate_accum_t(PG_FUNCTION_ARGS)
{
	return rate_accum(fcinfo, true, RATE_LAYOUT_SPP);
}

/* trend_rate_agg(events, trials, x float8) transition of the 104-byte type */
PG_FUNCTION_INFO_V1(trend_rate_accum_x);
Datum
trend_rate_accum_x(PG_FUNCTION_ARGS)
{
	return rate_accum(fcinfo, false, RATE_LAYOUT_SPP);
}

/* Combine two states of the 104-byte type */
PG_FUNCTION_INFO_V1(trend_rate_combine);
Datum
trend_rate_combine(PG_FUNCTION_ARGS)
{
	TrendRate  *a = trend_state_for_update(fcinfo, RATE_SIZE_0_2_1);

	rate_merge(a, PG_GETARG_TREND_RATE(1));
	PG_RETURN_POINTER(a);
}

/* Text input of the 104-byte type: a text form of any version, without the squared trials */
PG_FUNCTION_INFO_V1(trend_rate_in);
Datum
trend_rate_in(PG_FUNCTION_ARGS)
{
	TrendRate  *s = rate_in(PG_GETARG_CSTRING(0));

	rate_to_0_2_1(s);
	PG_RETURN_POINTER(s);
}

/* Binary input of the 104-byte type: a binary form of any version, without the squared trials */
PG_FUNCTION_INFO_V1(trend_rate_recv);
Datum
trend_rate_recv(PG_FUNCTION_ARGS)
{
	TrendRate  *s = rate_recv((StringInfo) PG_GETARG_POINTER(0));

	rate_to_0_2_1(s);
	PG_RETURN_POINTER(s);
}

/*
 * logit_trend(x[], events[], trials[]): the binomial-logit trend,
 * logit(p) = a + b x, fitted by Newton's method on the grouped counts
 * (x centred for conditioning), with the slope's standard error from the
 * inverse information, the Wald z and p, and the odds ratio per unit x,
 * exp(b).  NULL when there is no finite fit: fewer than two distinct x,
 * no events or no non-events at all, or separation (the fit diverges).
 */
PG_FUNCTION_INFO_V1(trend_logit);
Datum
trend_logit(PG_FUNCTION_ARGS)
{
	ArrayType  *ax = PG_GETARG_ARRAYTYPE_P(0),
			   *ar = PG_GETARG_ARRAYTYPE_P(1),
			   *an = PG_GETARG_ARRAYTYPE_P(2);
	Datum	   *xs,
			   *rs,
			   *ns;
	bool	   *xnull,
			   *rnull,
			   *nnull;
	int			k,
				kr,
				kn;
	double		total = 0,
				events = 0,
				mean_x = 0,
				a,
				b = 0,
				h11 = 0,
				h12 = 0,
				h22 = 0,
				det;
	bool		converged = false,
				distinct = false;
	TupleDesc	desc;
	Datum		values[6];
	bool		isnull[6] = {true, true, true, true, true, true};

	if (ARR_NDIM(ax) > 1 || ARR_NDIM(ar) > 1 || ARR_NDIM(an) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("x, events and trials must be one-dimensional arrays")));
	deconstruct_array(ax, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE, &xs, &xnull, &k);
	deconstruct_array(ar, INT8OID, sizeof(int64), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE, &rs, &rnull, &kr);
	deconstruct_array(an, INT8OID, sizeof(int64), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE, &ns, &nnull, &kn);
	if (k != kr || k != kn)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("x, events and trials must have the same length (%d, %d, %d)", k, kr, kn)));
	for (int i = 0; i < k; i++)
	{
		int64		r,
					n;

		if (xnull[i] || rnull[i] || nnull[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("x, events and trials must not contain NULLs")));
		r = DatumGetInt64(rs[i]);
		n = DatumGetInt64(ns[i]);
		if (r < 0 || n < 0 || r > n)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("events must lie between 0 and trials (events " INT64_FORMAT ", trials " INT64_FORMAT ")",
							r, n)));
		if (!isfinite(DatumGetFloat8(xs[i])))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("a logit trend needs finite x values")));
		if (n > 0 && total > 0 && DatumGetFloat8(xs[i]) != mean_x / total)
			distinct = true;
		total += (double) n;
		events += (double) r;
		mean_x += (double) n * DatumGetFloat8(xs[i]);
	}
	desc = iso27001_result_desc(fcinfo);
	if (total == 0 || events == 0 || events == total || !distinct)
		PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, values, isnull)));
	mean_x /= total;

	/* Newton's method from the overall rate and a flat line */
	a = log(events / (total - events));
	for (int iter = 0; iter < 100 && !converged; iter++)
	{
		double		g1 = 0,
					g2 = 0,
					da,
					db;

		h11 = h12 = h22 = 0;
		for (int i = 0; i < k; i++)
		{
			double		n = (double) DatumGetInt64(ns[i]),
						r = (double) DatumGetInt64(rs[i]),
						x = DatumGetFloat8(xs[i]) - mean_x,
						p = 1.0 / (1.0 + exp(-(a + b * x))),
						w = n * p * (1.0 - p);

			g1 += r - n * p;
			g2 += (r - n * p) * x;
			h11 += w;
			h12 += w * x;
			h22 += w * x * x;
		}
		det = h11 * h22 - h12 * h12;
		if (!(det > 0) || !isfinite(det))
			break;
		da = (h22 * g1 - h12 * g2) / det;
		db = (h11 * g2 - h12 * g1) / det;
		a += da;
		b += db;
		converged = fabs(da) <= 1e-13 * (1 + fabs(a)) && fabs(db) <= 1e-13 * (1 + fabs(b));
	}
	if (!converged || !isfinite(a) || !isfinite(b))
		PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, values, isnull)));
	{
		double		se = sqrt(h11 / (h11 * h22 - h12 * h12));

		values[0] = Float8GetDatum(a - b * mean_x);
		values[1] = Float8GetDatum(b);
		values[2] = Float8GetDatum(se);
		values[3] = Float8GetDatum(b / se);
		values[4] = Float8GetDatum(normal_two_sided_p(b / se));
		values[5] = Float8GetDatum(exp(b));
		memset(isnull, 0, sizeof(isnull));
	}
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, values, isnull)));
}
