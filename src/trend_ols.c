/*-------------------------------------------------------------------------
 *
 * trend_ols.c
 *	  The least-squares trend of a measure over time: the fixed-size state
 *	  type trend_ols, its aggregates (trend_ols_agg over timestamptz or a
 *	  float8 x, rollup over states, a moving-aggregate form for window
 *	  frames) and its accessors (slope per unit with standard error,
 *	  confidence interval, t and p, r2, fitted values).
 *
 *	  The sums are PostgreSQL's Youngs-Cramer ones (float8_regr_accum and
 *	  float8_regr_combine, with their NaN, infinity and overflow rules),
 *	  over x = seconds since an int64 anchor, the first timestamp seen, so
 *	  that x is small; states with different anchors are re-based when
 *	  combined (the centred sums do not move).  While every x (or y) is the
 *	  same, its sum of squares stays exactly 0, so a vertical line has no
 *	  slope rather than a rounding error's.
 *
 * src/trend_ols.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "common/int.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/timestamp.h"

#include "trend_axis.h"
#include "trend_stats.h"

/* The state: fixed size, passed by reference */
typedef struct TrendOls
{
	TrendAxis	axis;			/* time or x, anchor, first and last */
	int64		n;
	double		sx;				/* sum of x */
	double		sxx;			/* sum of (x - mean x)^2 */
	double		sy;
	double		syy;
	double		sxy;
	double		cx;				/* the x every row has, NaN once they differ */
	double		cy;
} TrendOls;

#define DatumGetTrendOls(X)		((TrendOls *) DatumGetPointer(X))
#define PG_GETARG_TREND_OLS(n)	DatumGetTrendOls(PG_GETARG_DATUM(n))

/* A state with no rows */
static void
ols_init(TrendOls *s)
{
	memset(s, 0, sizeof(TrendOls));
	trend_axis_init(&s->axis);
}

/*
 * How many rounding errors (units of DBL_EPSILON, times n and the largest
 * |x| and |y| the state allows) its sums may carry: the Youngs-Cramer
 * updates and Chan's combine lose about that much per row and per level of
 * a rollup (docs/trend_statistics.md §6.3)
 */
#define OLS_ROUNDING	64.0

/* The row count of two states (or a state and a row); 22003 when it does not fit */
static int64
ols_count_add(int64 a, int64 b)
{
	int64		n;

	if (pg_add_s64_overflow(a, b, &n))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("the number of rows of a trend_ols is out of range for bigint")));
	return n;
}

/*
 * Cauchy-Schwarz: |Sxy| <= sqrt(Sxx Syy) for every set of rows, up to the
 * rounding the sums carry: OLS_ROUNDING eps n X Y, with X = |mean x| +
 * sqrt(Sxx) and Y the same for y bounding every |x| and |y| (a perfect
 * line sits on the bound).  A state beyond it would give a negative
 * residual sum of squares, that is a perfect fit and p = 0.  Terms of a sum
 * of squares below DBL_MIN can underflow to 0, so each may lack up to n
 * DBL_MIN.  Sums that are not finite (rows with infinities) have no slope
 * to check.
 */
static bool
ols_cauchy_schwarz_valid(const TrendOls *s)
{
	double		n = (double) s->n;
	double		rx,
				ry,
				bound,
				slack;

	if (!isfinite(s->sxx) || !isfinite(s->syy) || !isfinite(s->sxy) ||
		!isfinite(s->sx) || !isfinite(s->sy))
		return true;
	rx = sqrt(s->sxx);
	ry = sqrt(s->syy);
	bound = sqrt(s->sxx + n * DBL_MIN) * sqrt(s->syy + n * DBL_MIN);
	slack = OLS_ROUNDING * DBL_EPSILON * n * (fabs(s->sx / n) + rx) * (fabs(s->sy / n) + ry);
	return fabs(s->sxy) <= bound + slack;
}

/*
 * Check a state's invariants; called by every way in (text, binary), so
 * that a corrupted or hand-written state never reaches the arithmetic.
 */
static bool
ols_valid(const TrendOls *s)
{
	if (!trend_axis_valid(&s->axis) || s->axis.layout != 0 || s->n < 0)
		return false;
	if (s->axis.kind == TREND_EMPTY)
	{
		TrendOls	empty;

		ols_init(&empty);
		return memcmp(s, &empty, sizeof(TrendOls)) == 0;
	}
	if (s->n < 1)
		return false;
	/* sums of squares are never negative; exact zeros while x or y is common */
	if (s->sxx < 0 || s->syy < 0)
		return false;
	/*
	 * a finite common value keeps its sums exactly 0 (an infinite one makes
	 * them NaN, and Sxy is NaN once the other variable has an infinity)
	 */
	if ((isfinite(s->cx) && (s->sxx != 0 || (s->sxy != 0 && !isnan(s->sxy)))) ||
		(isfinite(s->cy) && (s->syy != 0 || (s->sxy != 0 && !isnan(s->sxy)))))
		return false;
	if (s->n == 1 && (s->sxx != 0 || s->syy != 0 || s->sxy != 0) &&
		!isnan(s->sxx) && !isnan(s->syy) && !isnan(s->sxy))
		return false;
	return ols_cauchy_schwarz_valid(s);
}

/* An error unless a state read from outside is valid (ols_valid) */
static void
ols_check(const TrendOls *s)
{
	if (!ols_valid(s))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid trend_ols state"),
				 errdetail("The counts, sums or bounds of the state are inconsistent.")));
}

/*
 * Add one row: PostgreSQL's float8_regr_accum, with the exact zero of a
 * common x or y.
 */
static void
ols_add(TrendOls *s, double x, double y)
{
	double		n = (double) s->n;
	double		n1 = n + 1.0;
	double		sx = s->sx + x;
	double		sy = s->sy + y;

	if (s->n == 0)
	{
		s->n = 1;
		s->sx = x;
		s->sy = y;
		s->sxx = s->syy = s->sxy = 0.0;
		/* an infinite or NaN first row: no variance can be computed */
		if (isnan(x) || isinf(x))
			s->sxx = s->sxy = get_float8_nan();
		if (isnan(y) || isinf(y))
			s->syy = s->sxy = get_float8_nan();
		s->cx = x;
		s->cy = y;
	}
	else
	{
		bool		common_x = (x == s->cx);
		bool		common_y = (y == s->cy);
		double		tmpx = common_x ? 0.0 : x * n1 - sx;
		double		tmpy = common_y ? 0.0 : y * n1 - sy;
		double		scale = 1.0 / (n1 * n);
		double		sxx = s->sxx + tmpx * tmpx * scale;
		double		syy = s->syy + tmpy * tmpy * scale;
		double		sxy = s->sxy + tmpx * tmpy * scale;

		/* finite inputs that overflow are an error, as in regr_* */
		if (isinf(sx) || isinf(sxx))
		{
			if (!isinf(s->sx) && !isinf(x))
				float_overflow_error();
			sxx = get_float8_nan();
		}
		if (isinf(sy) || isinf(syy))
		{
			if (!isinf(s->sy) && !isinf(y))
				float_overflow_error();
			syy = get_float8_nan();
		}
		if (isinf(sxy))
		{
			if (!isinf(s->sx) && !isinf(x) && !isinf(s->sy) && !isinf(y))
				float_overflow_error();
			sxy = get_float8_nan();
		}
		s->n = ols_count_add(s->n, 1);
		s->sx = sx;
		s->sy = sy;
		s->sxx = sxx;
		s->syy = syy;
		s->sxy = sxy;
		if (!common_x)
			s->cx = get_float8_nan();
		if (!common_y)
			s->cy = get_float8_nan();
	}
}

/*
 * Fold state b into a: PostgreSQL's float8_regr_combine (Chan, Golub and
 * LeVeque), after moving b to a's anchor (the centred sums do not move).
 */
static void
ols_merge(TrendOls *a, const TrendOls *b)
{
	double		shift,
				n1,
				n2,
				n,
				bsx,
				bcx,
				dx,
				dy,
				sx,
				sy,
				sxx,
				syy,
				sxy;
	int64		count;
	bool		common_x,
				common_y;

	if (b->axis.kind == TREND_EMPTY)
		return;
	if (a->axis.kind == TREND_EMPTY)
	{
		*a = *b;
		return;
	}
	count = ols_count_add(a->n, b->n);	/* before a changes */
	shift = trend_axis_merge(&a->axis, &b->axis);
	n1 = (double) a->n;
	n2 = (double) b->n;
	n = n1 + n2;
	bsx = b->sx + n2 * shift;
	bcx = b->cx + shift;
	common_x = (a->cx == bcx);
	common_y = (a->cy == b->cy);
	sx = float8_pl(a->sx, bsx);
	sy = float8_pl(a->sy, b->sy);
	dx = common_x ? 0.0 : a->sx / n1 - bsx / n2;
	dy = common_y ? 0.0 : a->sy / n1 - b->sy / n2;
	sxx = a->sxx + b->sxx + n1 * n2 * dx * dx / n;
	if (unlikely(isinf(sxx)) && !isinf(a->sxx) && !isinf(b->sxx))
		float_overflow_error();
	syy = a->syy + b->syy + n1 * n2 * dy * dy / n;
	if (unlikely(isinf(syy)) && !isinf(a->syy) && !isinf(b->syy))
		float_overflow_error();
	sxy = a->sxy + b->sxy + n1 * n2 * dx * dy / n;
	if (unlikely(isinf(sxy)) && !isinf(a->sxy) && !isinf(b->sxy))
		float_overflow_error();

	a->n = count;
	a->sx = sx;
	a->sy = sy;
	a->sxx = sxx;
	a->syy = syy;
	a->sxy = sxy;
	if (!common_x)
		a->cx = get_float8_nan();
	if (!common_y)
		a->cy = get_float8_nan();
}

/* trend_ols_agg(y, t timestamptz) transition: one row */
PG_FUNCTION_INFO_V1(trend_ols_accum_t);
Datum
trend_ols_accum_t(PG_FUNCTION_ARGS)
{
	TrendOls   *s = trend_state_for_update(fcinfo, sizeof(TrendOls));
	double		y = PG_GETARG_FLOAT8(1);
	double		x = trend_axis_time(&s->axis, PG_GETARG_TIMESTAMPTZ(2));

	ols_add(s, x, y);
	PG_RETURN_POINTER(s);
}

/* trend_ols_agg(y, x float8) transition: one row */
PG_FUNCTION_INFO_V1(trend_ols_accum_x);
Datum
trend_ols_accum_x(PG_FUNCTION_ARGS)
{
	TrendOls   *s = trend_state_for_update(fcinfo, sizeof(TrendOls));
	double		y = PG_GETARG_FLOAT8(1);
	double		x = trend_axis_x(&s->axis, PG_GETARG_FLOAT8(2));

	ols_add(s, x, y);
	PG_RETURN_POINTER(s);
}

/* Combine two states (parallel workers, rollup) */
PG_FUNCTION_INFO_V1(trend_ols_combine);
Datum
trend_ols_combine(PG_FUNCTION_ARGS)
{
	TrendOls   *a = trend_state_for_update(fcinfo, sizeof(TrendOls));
	TrendOls   *b = PG_GETARG_TREND_OLS(1);

	ols_merge(a, b);
	PG_RETURN_POINTER(a);
}

/*
 * Text form: (kind,anchor,first,last,n,sx,sxx,sy,syy,sxy,cx,cy), where
 * first and last are microseconds for a trend over time and x values for
 * a trend over x.  Exact: the floats are printed shortest round-trip.
 */
PG_FUNCTION_INFO_V1(trend_ols_out);
Datum
trend_ols_out(PG_FUNCTION_ARGS)
{
	TrendOls   *s = PG_GETARG_TREND_OLS(0);
	double		sums[7] = {s->sx, s->sxx, s->sy, s->syy, s->sxy, s->cx, s->cy};
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '(');
	trend_axis_out(&buf, &s->axis);
	appendStringInfo(&buf, INT64_FORMAT, s->n);
	for (int i = 0; i < 7; i++)
	{
		appendStringInfoChar(&buf, ',');
		trend_append_double(&buf, sums[i]);
	}
	appendStringInfoChar(&buf, ')');
	PG_RETURN_CSTRING(buf.data);
}

/* Parse the text form; false if it is not one */
static bool
ols_parse(char *str, TrendOls *s)
{
	char	   *p = str;
	char	   *f;
	double		sums[7];

	ols_init(s);
	while (isspace((unsigned char) *p))
		p++;
	if (*p++ != '(' || !trend_axis_parse(&p, &s->axis) ||
		(f = trend_next_field(&p, ',')) == NULL || !trend_parse_int64(f, &s->n))
		return false;
	/* seven sums, the last one closing the parenthesis */
	for (int i = 0; i < 7; i++)
		if ((f = trend_next_field(&p, i < 6 ? ',' : ')')) == NULL || !trend_parse_double(f, &sums[i]))
			return false;
	if (!trend_parse_end(p))
		return false;
	s->sx = sums[0];
	s->sxx = sums[1];
	s->sy = sums[2];
	s->syy = sums[3];
	s->sxy = sums[4];
	s->cx = sums[5];
	s->cy = sums[6];
	return true;
}

/* Text input of trend_ols: the state of the text form trend_ols_out writes, checked */
PG_FUNCTION_INFO_V1(trend_ols_in);
Datum
trend_ols_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	TrendOls   *s = palloc(sizeof(TrendOls));

	if (!ols_parse(pstrdup(str), s) || !ols_valid(s))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type trend_ols: \"%s\"", str),
				 errdetail("A trend_ols is (kind,anchor,first,last,n,sx,sxx,sy,syy,sxy,cx,cy) with kind empty, time or x, as trend_ols_agg() makes it.")));
	PG_RETURN_POINTER(s);
}

/* Binary output of trend_ols: the axis, n, then the sums and common values */
PG_FUNCTION_INFO_V1(trend_ols_send);
Datum
trend_ols_send(PG_FUNCTION_ARGS)
{
	TrendOls   *s = PG_GETARG_TREND_OLS(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	trend_axis_send(&buf, &s->axis);
	pq_sendint64(&buf, s->n);
	pq_sendfloat8(&buf, s->sx);
	pq_sendfloat8(&buf, s->sxx);
	pq_sendfloat8(&buf, s->sy);
	pq_sendfloat8(&buf, s->syy);
	pq_sendfloat8(&buf, s->sxy);
	pq_sendfloat8(&buf, s->cx);
	pq_sendfloat8(&buf, s->cy);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* Binary input of trend_ols: the state of its binary form, checked */
PG_FUNCTION_INFO_V1(trend_ols_recv);
Datum
trend_ols_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	TrendOls   *s = palloc0(sizeof(TrendOls));

	trend_axis_recv(buf, &s->axis);
	s->n = pq_getmsgint64(buf);
	s->sx = pq_getmsgfloat8(buf);
	s->sxx = pq_getmsgfloat8(buf);
	s->sy = pq_getmsgfloat8(buf);
	s->syy = pq_getmsgfloat8(buf);
	s->sxy = pq_getmsgfloat8(buf);
	s->cx = pq_getmsgfloat8(buf);
	s->cy = pq_getmsgfloat8(buf);
	ols_check(s);
	PG_RETURN_POINTER(s);
}

/*
 * The moving-aggregate state, for window frames: the sums, plus the
 * frame's x values in order so that the first and last stay known when
 * rows leave the frame.  Internal: window aggregation is never split.
 */
typedef struct OlsMoving
{
	TrendOls	s;
	MemoryContext cxt;
	int			head;			/* values[head .. head + count - 1], sorted */
	int			count;
	int			removed;		/* rows taken out since the sums were built afresh */
	int			size;
	int64	   *values;			/* microseconds, or the bits of x's doubles */
} OlsMoving;

#define SIGN_BIT	((uint64) 1 << 63)

/*
 * The sort key of an x: its microseconds, or for a double the integer
 * whose order is the double's: positive doubles keep their bits, negative
 * ones have them inverted (so that -2 sorts before -1).
 */
static int64
moving_key(const TrendOls *s, TimestampTz t, double x)
{
	uint64		bits;

	if (s->axis.kind == TREND_TIME)
		return t;
	memcpy(&bits, &x, sizeof(bits));
	return (bits & SIGN_BIT) ? (int64) (~bits ^ SIGN_BIT) : (int64) bits;
}

/* The double of a moving_key */
static double
moving_key_x(int64 key)
{
	uint64		bits = key < 0 ? ~((uint64) key ^ SIGN_BIT) : (uint64) key;
	double		x;

	memcpy(&x, &bits, sizeof(x));
	return x;
}

/* First index in values[head..] whose key is >= key */
static int
moving_find(const OlsMoving *m, int64 key)
{
	int			lo = m->head,
				hi = m->head + m->count;

	while (lo < hi)
	{
		int			mid = lo + (hi - lo) / 2;

		if (m->values[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Insert a key into the frame's sorted values, making room as needed */
static void
moving_insert(OlsMoving *m, int64 key)
{
	int			at;

	if (m->head + m->count == m->size)
	{
		if (m->head > m->size / 2)
		{
			memmove(m->values, m->values + m->head, sizeof(int64) * m->count);
			m->head = 0;
		}
		else
		{
			m->size = Max(16, m->size * 2);
			m->values = m->values
				? repalloc_huge(m->values, sizeof(int64) * m->size)
				: MemoryContextAllocHuge(m->cxt, sizeof(int64) * m->size);
		}
	}
	at = moving_find(m, key);
	memmove(m->values + at + 1, m->values + at,
			sizeof(int64) * (m->head + m->count - at));
	m->values[at] = key;
	m->count++;
}

/* Remove one value equal to key; false if there is none */
static bool
moving_remove(OlsMoving *m, int64 key)
{
	int			at = moving_find(m, key);

	if (at >= m->head + m->count || m->values[at] != key)
		return false;
	if (at == m->head)
		m->head++;
	else
		memmove(m->values + at, m->values + at + 1,
				sizeof(int64) * (m->head + m->count - at - 1));
	m->count--;
	return true;
}

/* The moving state of a call, made on the first row */
static OlsMoving *
moving_state(FunctionCallInfo fcinfo)
{
	MemoryContext aggcxt;
	OlsMoving  *m;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "trend_ols moving-aggregate function called in non-aggregate context");
	if (!PG_ARGISNULL(0))
		return (OlsMoving *) PG_GETARG_POINTER(0);
	m = MemoryContextAllocZero(aggcxt, sizeof(OlsMoving));
	ols_init(&m->s);
	m->cxt = aggcxt;
	return m;
}

/* Moving transition: one row in */
static Datum
moving_add(FunctionCallInfo fcinfo, bool time)
{
	OlsMoving  *m = moving_state(fcinfo);
	double		x,
				y;
	TimestampTz t = 0;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_POINTER(m);
	y = PG_GETARG_FLOAT8(1);
	if (time)
	{
		t = PG_GETARG_TIMESTAMPTZ(2);
		x = trend_axis_time(&m->s.axis, t);
	}
	else
		x = trend_axis_x(&m->s.axis, PG_GETARG_FLOAT8(2));
	ols_add(&m->s, x, y);
	moving_insert(m, moving_key(&m->s, t, x));
	PG_RETURN_POINTER(m);
}

/*
 * Moving inverse: one row out.  The Youngs-Cramer update run backwards;
 * NULL (recompute the frame) when that would lose precision: a sum of
 * squares cancelling to a small fraction of itself, a value that is not
 * finite, or the frame's x values becoming all equal.  Rounding errors
 * of the backward steps add up, so the frame is also recomputed once as
 * many rows have left it as it holds (at least 32): at most one extra
 * forward step per row, and the drift of a bounded number of steps.
 */
static Datum
moving_remove_row(FunctionCallInfo fcinfo, bool time)
{
	OlsMoving  *m = moving_state(fcinfo);
	TrendOls   *s = &m->s;
	double		x,
				y,
				n,
				n1,
				mx,
				my,
				dx,
				dy,
				f,
				sxx,
				syy,
				sxy;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_POINTER(m);
	if (++m->removed > Max(m->count, 32))
		PG_RETURN_NULL();
	y = PG_GETARG_FLOAT8(1);
	x = time ? trend_axis_at(&s->axis, PG_GETARG_TIMESTAMPTZ(2)) : PG_GETARG_FLOAT8(2);
	if (s->n < 1 || !isfinite(x) || !isfinite(y) || !isfinite(s->sxx) ||
		!isfinite(s->syy) || !isfinite(s->sxy) ||
		!moving_remove(m, moving_key(s, time ? PG_GETARG_TIMESTAMPTZ(2) : 0, x)))
		PG_RETURN_NULL();
	if (s->n == 1)
	{
		MemoryContext cxt = m->cxt;
		int64	   *values = m->values;
		int			size = m->size;

		ols_init(s);
		m->head = m->count = m->removed = 0;
		m->values = values;
		m->size = size;
		m->cxt = cxt;
		PG_RETURN_POINTER(m);
	}
	n = (double) s->n;
	n1 = n - 1.0;
	mx = (s->sx - x) / n1;
	my = (s->sy - y) / n1;
	dx = isnan(s->cx) ? x - mx : 0.0;
	dy = isnan(s->cy) ? y - my : 0.0;
	f = n1 / n;
	sxx = s->sxx - f * dx * dx;
	syy = s->syy - f * dy * dy;
	sxy = s->sxy - f * dx * dy;
	if (sxx < 1e-9 * s->sxx || syy < 1e-9 * s->syy)
		PG_RETURN_NULL();
	s->n--;
	s->sx -= x;
	s->sy -= y;
	s->sxx = sxx;
	s->syy = syy;
	s->sxy = sxy;
	if (s->axis.kind == TREND_TIME)
	{
		s->axis.t_first = m->values[m->head];
		s->axis.t_last = m->values[m->head + m->count - 1];
	}
	else
	{
		s->axis.x_first = moving_key_x(m->values[m->head]);
		s->axis.x_last = moving_key_x(m->values[m->head + m->count - 1]);
	}
	/* the rows left have one x: restore its exact zero */
	if (m->values[m->head] == m->values[m->head + m->count - 1] && isnan(s->cx))
		PG_RETURN_NULL();
	PG_RETURN_POINTER(m);
}

/* trend_ols_agg(y, t timestamptz) in a window frame: one row in */
PG_FUNCTION_INFO_V1(trend_ols_maccum_t);
Datum
trend_ols_maccum_t(PG_FUNCTION_ARGS)
{
	return moving_add(fcinfo, true);
}

/* trend_ols_agg(y, x float8) in a window frame: one row in */
PG_FUNCTION_INFO_V1(trend_ols_maccum_x);
Datum
trend_ols_maccum_x(PG_FUNCTION_ARGS)
{
	return moving_add(fcinfo, false);
}

/* trend_ols_agg(y, t timestamptz) in a window frame: one row out, or NULL to recompute the frame */
PG_FUNCTION_INFO_V1(trend_ols_minvert_t);
Datum
trend_ols_minvert_t(PG_FUNCTION_ARGS)
{
	return moving_remove_row(fcinfo, true);
}

/* trend_ols_agg(y, x float8) in a window frame: one row out, or NULL to recompute the frame */
PG_FUNCTION_INFO_V1(trend_ols_minvert_x);
Datum
trend_ols_minvert_x(PG_FUNCTION_ARGS)
{
	return moving_remove_row(fcinfo, false);
}

/* Moving final: the frame's state as a trend_ols value */
PG_FUNCTION_INFO_V1(trend_ols_mfinal);
Datum
trend_ols_mfinal(PG_FUNCTION_ARGS)
{
	TrendOls   *result = palloc(sizeof(TrendOls));

	if (PG_ARGISNULL(0))
		ols_init(result);
	else
		*result = ((OlsMoving *) PG_GETARG_POINTER(0))->s;
	PG_RETURN_POINTER(result);
}

/* Slope per second or per x; false when there is none (n < 1, all x equal) */
static bool
ols_slope(const TrendOls *s, double *slope)
{
	if (s->n < 1 || s->sxx == 0 || !isnan(s->cx))
		return false;
	*slope = s->sxy / s->sxx;
	return true;
}

/* Standard error of the slope per second or x; false when n < 3 */
static bool
ols_stderr(const TrendOls *s, double *se)
{
	double		slope,
				resid;

	if (s->n < 3 || !ols_slope(s, &slope))
		return false;
	resid = s->syy - s->sxy * slope;
	if (resid < 0)
		resid = 0;				/* a perfect fit, up to rounding */
	*se = sqrt(resid / (double) (s->n - 2) / s->sxx);
	return true;
}

/* n(trend_ols): the number of observations */
PG_FUNCTION_INFO_V1(trend_ols_n);
Datum
trend_ols_n(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(PG_GETARG_TREND_OLS(0)->n);
}

/* The least-squares slope per unit (a day by default) or x, or NULL while every x is the same */
PG_FUNCTION_INFO_V1(trend_ols_slope);
Datum
trend_ols_slope(PG_FUNCTION_ARGS)
{
	double		scale,
				slope;
	TrendOls   *s = trend_accessor_args(fcinfo, &scale);

	if (s == NULL || !ols_slope(s, &slope))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(slope * scale);
}

/* The least-squares slope's standard error in its unit, or NULL below 3 observations or without a slope */
PG_FUNCTION_INFO_V1(trend_ols_slope_stderr);
Datum
trend_ols_slope_stderr(PG_FUNCTION_ARGS)
{
	double		scale,
				se;
	TrendOls   *s = trend_accessor_args(fcinfo, &scale);

	if (s == NULL || !ols_stderr(s, &se))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(se * scale);
}

/* The bound of the confidence interval: lower (sign -1) or upper (+1) */
static Datum
ols_ci_bound(FunctionCallInfo fcinfo, double sign)
{
	double		scale,
				slope,
				se,
				level;
	TrendOls   *s = trend_accessor_args(fcinfo, &scale);

	if (s == NULL || PG_ARGISNULL(2))
		PG_RETURN_NULL();
	level = trend_level_arg(fcinfo, 2);
	if (!ols_stderr(s, &se) || !ols_slope(s, &slope))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8((slope + sign * t_critical(level, (double) (s->n - 2)) * se) * scale);
}

/* The lower bound of the least-squares slope's Student t interval at a level */
PG_FUNCTION_INFO_V1(trend_ols_slope_lower);
Datum
trend_ols_slope_lower(PG_FUNCTION_ARGS)
{
	return ols_ci_bound(fcinfo, -1.0);
}

/* The upper bound of the least-squares slope's Student t interval at a level */
PG_FUNCTION_INFO_V1(trend_ols_slope_upper);
Datum
trend_ols_slope_upper(PG_FUNCTION_ARGS)
{
	return ols_ci_bound(fcinfo, 1.0);
}

/* t statistic of the slope (df = n - 2); infinite for a perfect fit */
static bool
ols_t(const TrendOls *s, double *t)
{
	double		slope,
				se;

	if (!ols_stderr(s, &se) || !ols_slope(s, &slope))
		return false;
	if (se == 0)
	{
		if (slope == 0)
			return false;
		*t = slope > 0 ? INFINITY : -INFINITY;
	}
	else
		*t = slope / se;
	return true;
}

/* The slope's t statistic (n - 2 degrees of freedom), or NULL below 3 observations or without a slope */
PG_FUNCTION_INFO_V1(trend_ols_t_value);
Datum
trend_ols_t_value(PG_FUNCTION_ARGS)
{
	double		t;

	if (!ols_t(PG_GETARG_TREND_OLS(0), &t))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(t);
}

/* The slope's two-sided p-value (Student t), or NULL where t_value is */
PG_FUNCTION_INFO_V1(trend_ols_p_value);
Datum
trend_ols_p_value(PG_FUNCTION_ARGS)
{
	TrendOls   *s = PG_GETARG_TREND_OLS(0);
	double		t;

	if (!ols_t(s, &t))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(t_two_sided_p(t, (double) (s->n - 2)));
}

/* r2 as regr_r2: NULL without a slope, 1 for a horizontal line */
PG_FUNCTION_INFO_V1(trend_ols_r2);
Datum
trend_ols_r2(PG_FUNCTION_ARGS)
{
	TrendOls   *s = PG_GETARG_TREND_OLS(0);
	double		slope,
				r2;

	if (!ols_slope(s, &slope))
		PG_RETURN_NULL();
	if (s->syy == 0)
		PG_RETURN_FLOAT8(1.0);
	r2 = (s->sxy / s->sxx) * (s->sxy / s->syy);
	PG_RETURN_FLOAT8(r2 > 1.0 ? 1.0 : r2);
}

/* The least-squares line, through the means; false without a slope */
static bool
ols_line(const void *state, TrendLine *line)
{
	const TrendOls *s = state;

	if (!ols_slope(s, &line->slope))
		return false;
	line->x0 = s->sx / (double) s->n;
	line->y0 = s->sy / (double) s->n;
	return true;
}

/*
 * The standard error of the line's value at x, s sqrt(1/n + (x - mean
 * x)^2 / Sxx) with s^2 the residual variance, n - 2 degrees of freedom
 */
static bool
ols_fitted_se(const void *state, double x, double *se, double *df)
{
	const TrendOls *s = state;
	double		slope_se,
				d;

	if (!ols_stderr(s, &slope_se))
		return false;
	/* slope_se^2 Sxx is the residual variance */
	d = x - s->sx / (double) s->n;
	*se = slope_se * sqrt(s->sxx / (double) s->n + d * d);
	*df = (double) (s->n - 2);
	return true;
}

static const TrendFit ols_fit = {ols_line, TREND_X_SECONDS, false, ols_fitted_se};

/* The least-squares line at a timestamp; NULL at an infinite one or without a slope */
PG_FUNCTION_INFO_V1(trend_ols_fitted_at_t);
Datum
trend_ols_fitted_at_t(PG_FUNCTION_ARGS)
{
	TrendOls   *s = PG_GETARG_TREND_OLS(0);

	return trend_fitted_at(fcinfo, &s->axis, s, &ols_fit, true);
}

/* The least-squares line at an x, or NULL without a slope */
PG_FUNCTION_INFO_V1(trend_ols_fitted_at_x);
Datum
trend_ols_fitted_at_x(PG_FUNCTION_ARGS)
{
	TrendOls   *s = PG_GETARG_TREND_OLS(0);

	return trend_fitted_at(fcinfo, &s->axis, s, &ols_fit, false);
}

/* The lower bound of the least-squares line's confidence interval at a timestamp */
PG_FUNCTION_INFO_V1(trend_ols_fitted_lower);
Datum
trend_ols_fitted_lower(PG_FUNCTION_ARGS)
{
	TrendOls   *s = PG_GETARG_TREND_OLS(0);

	return trend_fitted_bound(fcinfo, &s->axis, s, &ols_fit, -1.0);
}

/* The upper bound of the least-squares line's confidence interval at a timestamp */
PG_FUNCTION_INFO_V1(trend_ols_fitted_upper);
Datum
trend_ols_fitted_upper(PG_FUNCTION_ARGS)
{
	TrendOls   *s = PG_GETARG_TREND_OLS(0);

	return trend_fitted_bound(fcinfo, &s->axis, s, &ols_fit, 1.0);
}

/* The least-squares line at the first observation, or NULL without a slope */
PG_FUNCTION_INFO_V1(trend_ols_fitted_first);
Datum
trend_ols_fitted_first(PG_FUNCTION_ARGS)
{
	TrendOls   *s = PG_GETARG_TREND_OLS(0);

	return trend_fitted_end(fcinfo, &s->axis, s, &ols_fit, false);
}

/* The least-squares line at the last observation, or NULL without a slope */
PG_FUNCTION_INFO_V1(trend_ols_fitted_last);
Datum
trend_ols_fitted_last(PG_FUNCTION_ARGS)
{
	TrendOls   *s = PG_GETARG_TREND_OLS(0);

	return trend_fitted_end(fcinfo, &s->axis, s, &ols_fit, true);
}
