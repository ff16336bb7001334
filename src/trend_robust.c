/*-------------------------------------------------------------------------
 *
 * trend_robust.c
 *	  The robust trend: Theil-Sen (Sen's) slope with its confidence
 *	  interval, the Mann-Kendall test (S, var(S) with tie corrections, z
 *	  with continuity correction, two-sided p, exact p for short series
 *	  without ties) and Kendall's tau-b.
 *
 *	  None of these merges from a fixed-size summary, so the aggregate
 *	  keeps the points (internal state, 16 bytes a point, with serialize
 *	  and deserialize for parallel plans; combine appends).  The final
 *	  function sorts them and computes the Mann-Kendall numbers once, in
 *	  O(n log n) (Knight's merge sort for S); the result is a varlena
 *	  trend_robust holding the sorted points and those numbers, from which
 *	  the accessors read, selecting Sen's slope and its bounds as order
 *	  statistics of the pairwise slopes.  Every result depends on the set
 *	  of points only, never on the order rows or partial states arrive in.
 *	  Conventions and test vectors: docs/trend_statistics.md §5 and §9.
 *
 * src/trend_robust.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "common/pg_prng.h"
#include "access/htup_details.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"
#include <float.h>

#include "iso27001.h"
#include "trend_axis.h"
#include "trend_stats.h"

#define ROBUST_VERSION		1
/* Sen's slope by listing every pair up to this many pairs (8 bytes each) */
#ifndef PAIR_LIMIT
#define PAIR_LIMIT			((int64) 8 * 1000 * 1000)
#endif
/*
 * The points a robust trend holds at most: its text form (about 40 bytes
 * a point) must stay below 1 GB, for pg_dump among others
 */
#define ROBUST_MAX_POINTS	((int64) 10 * 1000 * 1000)
/* the exact Mann-Kendall distribution below this many points */
#define EXACT_P_LIMIT		50

/* The aggregate's state while rows arrive */
typedef struct RobustAcc
{
	TrendAxis	axis;
	int64		n;
	int64		size;
	double	   *x;				/* microseconds since the anchor, or x */
	double	   *y;
	MemoryContext cxt;
} RobustAcc;

/* The aggregate's result: the sorted points and the Mann-Kendall numbers */
typedef struct TrendRobust
{
	int32		vl_len_;
	int32		version;
	TrendAxis	axis;
	int64		n;
	int64		s;				/* Mann-Kendall S */
	int64		ties_x;			/* pairs tied in x */
	int64		ties_y;			/* pairs tied in y */
	int64		ties_xy;		/* pairs tied in both */
	double		var_s;			/* var(S), tie-corrected in x and y */
	double		var_sen;		/* Sen's (1968) variance for the slope's interval */
	double		points[FLEXIBLE_ARRAY_MEMBER];	/* x[0..n-1], then y[0..n-1] */
} TrendRobust;

#define ROBUST_X(r)		((r)->points)
#define ROBUST_Y(r)		((r)->points + (r)->n)
#define ROBUST_SIZE(n)	(offsetof(TrendRobust, points) + sizeof(double) * 2 * (size_t) (n))
#define PG_GETARG_TREND_ROBUST(n) ((TrendRobust *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n)))

/* Check that a point can be ranked: NaN and infinity cannot */
static void
robust_check_value(double v, const char *what)
{
	if (!isfinite(v))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a robust trend cannot rank a %s that is NaN or infinite", what)));
}

/*
 * Merge another state's axis into one and return what to add to its x
 * values: microseconds between the anchors (exact), or 0 for a trend
 * over x.
 */
static double
axis_shift(TrendAxis *into, const TrendAxis *from)
{
	(void) trend_axis_merge(into, from);
	return into->kind == TREND_TIME ? (double) (from->anchor - into->anchor) : 0.0;
}

/* Room for more points */
static void
robust_grow(RobustAcc *acc, int64 more)
{
	int64		size = acc->size;

	if (acc->n + more <= size)
		return;
	if (acc->n + more > ROBUST_MAX_POINTS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("a robust trend holds at most " INT64_FORMAT " points", ROBUST_MAX_POINTS),
				 errhint("Aggregate fewer points (per organization, per period), or use the least-squares trend.")));
	while (size < acc->n + more)
		size = Min(Max(64, size * 2), ROBUST_MAX_POINTS);
	if (acc->x == NULL)
	{
		acc->x = MemoryContextAllocHuge(acc->cxt, size * sizeof(double));
		acc->y = MemoryContextAllocHuge(acc->cxt, size * sizeof(double));
	}
	else
	{
		acc->x = repalloc_huge(acc->x, size * sizeof(double));
		acc->y = repalloc_huge(acc->y, size * sizeof(double));
	}
	acc->size = size;
}

/*
 * Append n points of a state on another axis to acc, their x moved to
 * acc's anchor (an empty state adds nothing)
 */
static void
robust_append(RobustAcc *acc, const TrendAxis *axis, const double *x,
			  const double *y, int64 n)
{
	double		shift;

	if (axis->kind == TREND_EMPTY)
		return;
	if (acc->axis.kind == TREND_EMPTY)
	{
		acc->axis = *axis;
		shift = 0;
	}
	else
		shift = axis_shift(&acc->axis, axis);
	robust_grow(acc, n);
	for (int64 i = 0; i < n; i++)
	{
		acc->x[acc->n + i] = x[i] + shift;
		acc->y[acc->n + i] = y[i];
	}
	acc->n += n;
}

/* The state of an aggregate call, made on the first row */
static RobustAcc *
robust_acc(FunctionCallInfo fcinfo)
{
	MemoryContext aggcxt;
	RobustAcc  *acc;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "trend_robust_agg transition called in non-aggregate context");
	if (!PG_ARGISNULL(0))
		return (RobustAcc *) PG_GETARG_POINTER(0);
	acc = MemoryContextAllocZero(aggcxt, sizeof(RobustAcc));
	trend_axis_init(&acc->axis);
	acc->cxt = aggcxt;
	return acc;
}

/* trend_robust_agg(y, t timestamptz) transition: one row (NULLs skipped) */
PG_FUNCTION_INFO_V1(trend_robust_accum_t);
Datum
trend_robust_accum_t(PG_FUNCTION_ARGS)
{
	RobustAcc  *acc = robust_acc(fcinfo);
	double		y;
	TimestampTz t;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_POINTER(acc);
	y = PG_GETARG_FLOAT8(1);
	t = PG_GETARG_TIMESTAMPTZ(2);
	robust_check_value(y, "y");
	robust_grow(acc, 1);
	(void) trend_axis_time(&acc->axis, t);
	/* x in microseconds: exact as a double within 285 years of the anchor */
	acc->x[acc->n] = (double) (t - acc->axis.anchor);
	acc->y[acc->n++] = y;
	PG_RETURN_POINTER(acc);
}

/* trend_robust_agg(y, x float8) transition: one row (NULLs skipped) */
PG_FUNCTION_INFO_V1(trend_robust_accum_x);
Datum
trend_robust_accum_x(PG_FUNCTION_ARGS)
{
	RobustAcc  *acc = robust_acc(fcinfo);
	double		x,
				y;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_POINTER(acc);
	y = PG_GETARG_FLOAT8(1);
	x = PG_GETARG_FLOAT8(2);
	robust_check_value(y, "y");
	robust_check_value(x, "x");
	robust_grow(acc, 1);
	acc->x[acc->n] = trend_axis_x(&acc->axis, x);
	acc->y[acc->n++] = y;
	PG_RETURN_POINTER(acc);
}

/* Combine: append b's points to a's, moved to a's anchor */
PG_FUNCTION_INFO_V1(trend_robust_combine);
Datum
trend_robust_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	RobustAcc  *a,
			   *b;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "trend_robust_combine called in non-aggregate context");
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	b = (RobustAcc *) PG_GETARG_POINTER(1);
	if (PG_ARGISNULL(0))
	{
		a = MemoryContextAllocZero(aggcxt, sizeof(RobustAcc));
		trend_axis_init(&a->axis);
		a->cxt = aggcxt;
	}
	else
		a = (RobustAcc *) PG_GETARG_POINTER(0);
	robust_append(a, &b->axis, b->x, b->y, b->n);
	PG_RETURN_POINTER(a);
}

/* Serialize for parallel workers: version, axis, n, then x and y */
PG_FUNCTION_INFO_V1(trend_robust_serialize);
Datum
trend_robust_serialize(PG_FUNCTION_ARGS)
{
	RobustAcc  *acc = (RobustAcc *) PG_GETARG_POINTER(0);
	Size		size = VARHDRSZ + sizeof(int32) + sizeof(TrendAxis) + sizeof(int64) +
		sizeof(double) * 2 * (Size) acc->n;
	bytea	   *result;
	char	   *p;
	int32		version = ROBUST_VERSION;

	if (size > MaxAllocSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("a robust trend of " INT64_FORMAT " points is too large to pass between parallel workers", acc->n),
				 errhint("Run it without parallel workers, or on fewer points.")));
	result = palloc(size);
	SET_VARSIZE(result, size);
	p = VARDATA(result);
	memcpy(p, &version, sizeof(int32));
	p += sizeof(int32);
	memcpy(p, &acc->axis, sizeof(TrendAxis));
	p += sizeof(TrendAxis);
	memcpy(p, &acc->n, sizeof(int64));
	p += sizeof(int64);
	if (acc->n > 0)				/* an empty state has no arrays */
	{
		memcpy(p, acc->x, sizeof(double) * acc->n);
		p += sizeof(double) * acc->n;
		memcpy(p, acc->y, sizeof(double) * acc->n);
	}
	PG_RETURN_BYTEA_P(result);
}

/* Deserialize, checking every size and value: a bad state is an error */
PG_FUNCTION_INFO_V1(trend_robust_deserialize);
Datum
trend_robust_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *data = PG_GETARG_BYTEA_PP(0);
	const char *p = VARDATA_ANY(data);
	Size		len = VARSIZE_ANY_EXHDR(data);
	MemoryContext aggcxt;
	RobustAcc  *acc;
	int32		version;
	int64		n;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "trend_robust_deserialize called in non-aggregate context");
	if (len < sizeof(int32) + sizeof(TrendAxis) + sizeof(int64))
		goto bad;
	memcpy(&version, p, sizeof(int32));
	memcpy(&n, p + sizeof(int32) + sizeof(TrendAxis), sizeof(int64));
	if (version != ROBUST_VERSION || n < 0 ||
		(Size) n > (len - sizeof(int32) - sizeof(TrendAxis) - sizeof(int64)) / (2 * sizeof(double)) ||
		len != sizeof(int32) + sizeof(TrendAxis) + sizeof(int64) + sizeof(double) * 2 * (Size) n)
		goto bad;
	acc = MemoryContextAllocZero(aggcxt, sizeof(RobustAcc));
	acc->cxt = aggcxt;
	memcpy(&acc->axis, p + sizeof(int32), sizeof(TrendAxis));
	if (!trend_axis_valid(&acc->axis) || (n == 0) != (acc->axis.kind == TREND_EMPTY))
		goto bad;
	if (n > 0)
	{
		robust_grow(acc, n);
		memcpy(acc->x, p + sizeof(int32) + sizeof(TrendAxis) + sizeof(int64), sizeof(double) * n);
		memcpy(acc->y, p + sizeof(int32) + sizeof(TrendAxis) + sizeof(int64) + sizeof(double) * n,
			   sizeof(double) * n);
	}
	for (int64 i = 0; i < n; i++)
		if (!isfinite(acc->x[i]) || !isfinite(acc->y[i]))
			goto bad;
	acc->n = n;
	PG_RETURN_POINTER(acc);

bad:
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid serialized trend_robust state")));
	PG_RETURN_NULL();			/* keep the compiler quiet */
}

/* An order-preserving unsigned key of a double (-0 taken as +0) */
static inline uint64
u_key(double u)
{
	uint64		bits;

	u += 0.0;
	memcpy(&bits, &u, sizeof(bits));
	return (bits >> 63) ? ~bits : bits | ((uint64) 1 << 63);
}

/* A double's key as a signed integer in the double's order */
static inline int64
order_key(double d)
{
	return (int64) (u_key(d) ^ ((uint64) 1 << 63));
}

/* A key and the position of what it orders, for radix sorting */
typedef struct KeyPos
{
	uint64		key;
	uint32		pos;
} KeyPos;

/*
 * Sort a[0..n-1] by key: least significant byte first, stable, skipping the
 * bytes every key shares (one pass counts them all).  Returns the array
 * holding the result, a or tmp.
 */
static KeyPos *
radix_sort_keys(KeyPos *a, KeyPos *tmp, int64 n)
{
	int64		count[8][256];
	KeyPos	   *src = a,
			   *dst = tmp;

	if (n < 2)
		return a;
	memset(count, 0, sizeof(count));
	for (int64 i = 0; i < n; i++)
	{
		uint64		k = a[i].key;

		for (int b = 0; b < 8; b++)
			count[b][(k >> (8 * b)) & 0xFF]++;
	}
	for (int b = 0; b < 8; b++)
	{
		int64		offset = 0;
		KeyPos	   *t;

		if (count[b][(a[0].key >> (8 * b)) & 0xFF] == n)
			continue;			/* every key has this byte: nothing moves */
		CHECK_FOR_INTERRUPTS();
		for (int d = 0; d < 256; d++)
		{
			int64		c = count[b][d];

			count[b][d] = offset;
			offset += c;
		}
		for (int64 i = 0; i < n; i++)
			dst[count[b][(src[i].key >> (8 * b)) & 0xFF]++] = src[i];
		t = src;
		src = dst;
		dst = t;
	}
	return src;
}

/* Sort doubles ascending (the y of one x, usually a few) */
static int
double_cmp(const void *a, const void *b)
{
	double		p = *(const double *) a,
				q = *(const double *) b;

	return p < q ? -1 : (p > q ? 1 : 0);
}

/*
 * The strict inversions of a[0..n-1] (pairs i < j with a[j] < a[i]): runs
 * of 16 by insertion, then a bottom-up merge sort alternating between a
 * and tmp.  *sorted is where the sorted values end up.
 */
static int64
count_inversions_i64(int64 *a, int64 *tmp, int64 n, int64 **sorted)
{
	int64		count = 0;
	int64	   *src = a,
			   *dst = tmp;

	for (int64 lo = 0; lo < n; lo += 16)
	{
		int64		hi = Min(lo + 16, n);

		for (int64 i = lo + 1; i < hi; i++)
		{
			int64		v = a[i],
						j = i;

			while (j > lo && a[j - 1] > v)
			{
				a[j] = a[j - 1];
				j--;
			}
			count += i - j;
			a[j] = v;
		}
	}
	for (int64 width = 16; width < n; width *= 2)
	{
		int64	   *t;

		CHECK_FOR_INTERRUPTS();
		for (int64 lo = 0; lo < n; lo += 2 * width)
		{
			int64		mid = Min(lo + width, n),
						hi = Min(lo + 2 * width, n),
						i = lo,
						j = mid,
						k = lo;

			while (i < mid && j < hi)
			{
				int64		l = src[i],
							r = src[j];
				bool		right = r < l;

				dst[k++] = right ? r : l;
				count += right ? mid - i : 0;
				i += !right;
				j += right;
			}
			while (i < mid)
				dst[k++] = src[i++];
			while (j < hi)
				dst[k++] = src[j++];
		}
		t = src;
		src = dst;
		dst = t;
	}
	*sorted = src;
	return count;
}

/*
 * Tie groups of a sorted array: the pairs tied, and the sums that var(S)
 * and Sen's variance take out: sum u(u-1)(2u+5), u(u-1)(u-2), u(u-1).
 */
typedef struct Ties
{
	int64		pairs;
	long double t25;
	long double t2;
	long double t1;
} Ties;

/* The tie groups of the sorted array v[0..n-1], into ties */
static void
tie_groups(const int64 *v, int64 n, Ties *ties)
{
	memset(ties, 0, sizeof(Ties));
	for (int64 i = 0; i < n;)
	{
		int64		j = i + 1;
		long double u;

		while (j < n && v[j] == v[i])
			j++;
		u = (long double) (j - i);
		ties->pairs += (j - i) * (j - i - 1) / 2;
		ties->t25 += u * (u - 1) * (2 * u + 5);
		ties->t2 += u * (u - 1) * (u - 2);
		ties->t1 += u * (u - 1);
		i = j;
	}
}

/*
 * Build the result from n points: sorted by (x, y), with S, the tie counts
 * and both variances (docs/trend_statistics.md §5.4 and §5.9).
 *
 * The result depends on the set of points only.  Over time, x is moved to
 * an anchor at the first timestamp, whichever row set the aggregate's
 * anchor (the first to arrive: another in a parallel plan or another
 * order); -0 is stored as +0.  Input in (x, y) order (rows in time order)
 * is kept as it is; otherwise a radix sort on x, and y sorted within equal
 * x.
 */
static TrendRobust *
robust_build(const TrendAxis *axis, const double *x, const double *y, int64 n)
{
	TrendRobust *r = palloc_extended(ROBUST_SIZE(n), MCXT_ALLOC_HUGE);
	int64	   *work = palloc_extended(sizeof(int64) * Max(n, 1), MCXT_ALLOC_HUGE);
	int64	   *tmp = palloc_extended(sizeof(int64) * Max(n, 1), MCXT_ALLOC_HUGE);
	int64	   *sorted;
	double	   *rx,
			   *ry;
	double		shift = 0;
	bool		in_order = true;
	Ties		tx,
				ty,
				txy;
	long double nn = (long double) n,
				v0;
	int64		pairs = n * (n - 1) / 2,
				d;

	memset(r, 0, offsetof(TrendRobust, points));
	SET_VARSIZE(r, ROBUST_SIZE(n));
	r->version = ROBUST_VERSION;
	r->axis = *axis;
	r->n = n;
	rx = ROBUST_X(r);
	ry = ROBUST_Y(r);
	if (axis->kind == TREND_TIME)
	{
		/* x in microseconds from the first timestamp */
		shift = (double) (axis->anchor - axis->t_first);
		r->axis.anchor = axis->t_first;
	}
	else if (axis->kind == TREND_X)
	{
		r->axis.x_first += 0.0;
		r->axis.x_last += 0.0;
	}

	for (int64 i = 0; i < n; i++)
	{
		rx[i] = x[i] + shift + 0.0;
		ry[i] = y[i] + 0.0;
		if (i > 0 && (rx[i] < rx[i - 1] || (rx[i] == rx[i - 1] && ry[i] < ry[i - 1])))
			in_order = false;
	}
	if (!in_order)
	{
		KeyPos	   *a = palloc_extended(sizeof(KeyPos) * n, MCXT_ALLOC_HUGE);
		KeyPos	   *b = palloc_extended(sizeof(KeyPos) * n, MCXT_ALLOC_HUGE);
		KeyPos	   *s;
		double	   *ox = (double *) work,
				   *oy = (double *) tmp;

		memcpy(ox, rx, sizeof(double) * n);
		memcpy(oy, ry, sizeof(double) * n);
		for (int64 i = 0; i < n; i++)
		{
			a[i].key = u_key(ox[i]);
			a[i].pos = (uint32) i;
		}
		s = radix_sort_keys(a, b, n);
		for (int64 i = 0; i < n; i++)
		{
			rx[i] = ox[s[i].pos];
			ry[i] = oy[s[i].pos];
		}
		/* y in order within each x */
		for (int64 i = 0; i < n;)
		{
			int64		j = i + 1;

			while (j < n && rx[j] == rx[i])
				j++;
			if (j - i > 1)
				qsort(ry + i, j - i, sizeof(double), double_cmp);
			i = j;
		}
		pfree(a);
		pfree(b);
	}

	/* ties in x (sorted), in (x, y) (runs of equal points), in y */
	for (int64 i = 0; i < n; i++)
		work[i] = order_key(rx[i]);
	tie_groups(work, n, &tx);
	txy.pairs = 0;
	for (int64 i = 0; i < n;)
	{
		int64		j = i + 1;

		while (j < n && rx[j] == rx[i] && ry[j] == ry[i])
			j++;
		txy.pairs += (j - i) * (j - i - 1) / 2;
		i = j;
	}
	/*
	 * Knight (1966): y in (x, y) order, its strict inversions are the
	 * discordant pairs; the merge sort leaves y sorted for its ties
	 */
	for (int64 i = 0; i < n; i++)
		work[i] = order_key(ry[i]);
	d = count_inversions_i64(work, tmp, n, &sorted);
	tie_groups(sorted, n, &ty);

	r->ties_x = tx.pairs;
	r->ties_y = ty.pairs;
	r->ties_xy = txy.pairs;
	r->s = pairs - tx.pairs - ty.pairs + txy.pairs - 2 * d;
	v0 = (nn * (nn - 1) * (2 * nn + 5) - tx.t25 - ty.t25) / 18;
	r->var_sen = (double) v0;
	if (n >= 3)
		v0 += tx.t2 * ty.t2 / (9 * nn * (nn - 1) * (nn - 2));
	if (n >= 2)
		v0 += tx.t1 * ty.t1 / (2 * nn * (nn - 1));
	r->var_s = n >= 2 ? (double) v0 : 0;
	pfree(work);
	pfree(tmp);
	return r;
}

/* Where merge_inversions hands the inversions it is asked for */
typedef void (*InversionSink) (void *arg, int64 left, int64 right);

/*
 * Inversions of seq[0..n-1] by bottom-up merge sort.  With want != NULL,
 * the inversions of the sorted ranks want[0..nwant-1] (or every one, with
 * nwant < 0) are handed to emit as pairs of values.
 */
static int64
merge_inversions(int64 *seq, int64 *tmp, int64 n, const uint64 *want, int64 nwant,
				 InversionSink emit, void *arg)
{
	int64		count = 0,
				w = 0;

	for (int64 width = 1; width < n; width *= 2)
	{
		CHECK_FOR_INTERRUPTS();
		for (int64 lo = 0; lo < n; lo += 2 * width)
		{
			int64		mid = Min(lo + width, n),
						hi = Min(lo + 2 * width, n),
						i = lo,
						j = mid,
						k = lo;

			while (i < mid && j < hi)
			{
				if (seq[j] < seq[i])
				{
					/* seq[j] is below each of seq[i..mid-1]: mid - i inversions */
					if (emit != NULL && nwant < 0)
						for (int64 q = i; q < mid; q++)
							emit(arg, seq[q], seq[j]);
					else if (emit != NULL)
						while (w < nwant && want[w] < (uint64) (count + mid - i))
						{
							emit(arg, seq[i + (int64) (want[w] - count)], seq[j]);
							w++;
						}
					count += mid - i;
					tmp[k++] = seq[j++];
				}
				else
					tmp[k++] = seq[i++];
			}
			while (i < mid)
				tmp[k++] = seq[i++];
			while (j < hi)
				tmp[k++] = seq[j++];
		}
		memcpy(seq, tmp, sizeof(int64) * n);
	}
	return count;
}

/* Final function: the points, sorted, with the Mann-Kendall numbers */
PG_FUNCTION_INFO_V1(trend_robust_final);
Datum
trend_robust_final(PG_FUNCTION_ARGS)
{
	RobustAcc  *acc;
	TrendAxis	empty;

	if (PG_ARGISNULL(0))
	{
		trend_axis_init(&empty);
		PG_RETURN_POINTER(robust_build(&empty, NULL, NULL, 0));
	}
	acc = (RobustAcc *) PG_GETARG_POINTER(0);
	PG_RETURN_POINTER(robust_build(&acc->axis, acc->x, acc->y, acc->n));
}

/*
 * rollup(trend_robust): the points of several results as one.  The
 * transition reuses the aggregate's state.
 */
PG_FUNCTION_INFO_V1(trend_robust_rollup_accum);
Datum
trend_robust_rollup_accum(PG_FUNCTION_ARGS)
{
	RobustAcc  *acc = robust_acc(fcinfo);
	TrendRobust *r;

	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(acc);
	r = PG_GETARG_TREND_ROBUST(1);
	robust_append(acc, &r->axis, ROBUST_X(r), ROBUST_Y(r), r->n);
	PG_RETURN_POINTER(acc);
}

/* Text form: (kind,anchor,first,last,n,{x,y,x,y,...}) with x as stored */
PG_FUNCTION_INFO_V1(trend_robust_out);
Datum
trend_robust_out(PG_FUNCTION_ARGS)
{
	TrendRobust *r = PG_GETARG_TREND_ROBUST(0);
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '(');
	trend_axis_out(&buf, &r->axis);
	appendStringInfo(&buf, INT64_FORMAT ",{", r->n);
	for (int64 i = 0; i < r->n; i++)
	{
		if (i > 0)
			appendStringInfoChar(&buf, ',');
		trend_append_double(&buf, ROBUST_X(r)[i]);
		appendStringInfoChar(&buf, ',');
		trend_append_double(&buf, ROBUST_Y(r)[i]);
	}
	appendStringInfoString(&buf, "})");
	PG_RETURN_CSTRING(buf.data);
}

/* Do the points fit the axis (finite, within its bounds)? */
static bool
robust_points_valid(const TrendAxis *axis, const double *x, const double *y, int64 n)
{
	double		lo,
				hi;

	if ((n == 0) != (axis->kind == TREND_EMPTY))
		return false;
	if (n == 0)
		return true;
	lo = axis->kind == TREND_TIME ? (double) axis->t_first - (double) axis->anchor : axis->x_first;
	hi = axis->kind == TREND_TIME ? (double) axis->t_last - (double) axis->anchor : axis->x_last;
	for (int64 i = 0; i < n; i++)
		if (!isfinite(x[i]) || !isfinite(y[i]) || x[i] < lo || x[i] > hi)
			return false;
	return true;
}

/* Text input: the points are checked and the numbers computed afresh */
PG_FUNCTION_INFO_V1(trend_robust_in);
Datum
trend_robust_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	char	   *p = pstrdup(str);
	TrendAxis	axis;
	int64		n;
	double	   *x,
			   *y;
	char	   *f;

	while (isspace((unsigned char) *p))
		p++;
	if (*p++ != '(' || !trend_axis_parse(&p, &axis) ||
		(f = trend_next_field(&p, ',')) == NULL || !trend_parse_int64(f, &n) ||
		n < 0 || n > ROBUST_MAX_POINTS || (Size) n > strlen(p) / 4 || *p++ != '{')
		goto bad;				/* a point takes at least four characters: "0,0," */
	x = palloc_extended(sizeof(double) * Max(n, 1), MCXT_ALLOC_HUGE);
	y = palloc_extended(sizeof(double) * Max(n, 1), MCXT_ALLOC_HUGE);
	if (n == 0)
	{
		if (*p++ != '}' || *p++ != ')')
			goto bad;
	}
	for (int64 i = 0; i < n; i++)
	{
		char	   *end;

		/* x, y pairs separated by commas; the last y ends at '}' */
		end = strpbrk(p, ",}");
		if (end == NULL || *end != ',')
			goto bad;
		*end = '\0';
		if (!trend_parse_double(p, &x[i]))
			goto bad;
		p = end + 1;
		end = strpbrk(p, ",}");
		if (end == NULL || *end != (i < n - 1 ? ',' : '}'))
			goto bad;
		*end = '\0';
		if (!trend_parse_double(p, &y[i]))
			goto bad;
		p = end + 1;
		if (i == n - 1 && *p++ != ')')
			goto bad;
	}
	if (!trend_parse_end(p) || !trend_axis_valid(&axis) || !robust_points_valid(&axis, x, y, n))
		goto bad;
	PG_RETURN_POINTER(robust_build(&axis, x, y, n));

bad:
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type trend_robust: \"%.200s%s\"", str,
					strlen(str) > 200 ? "..." : ""),
			 errdetail("A trend_robust is (kind,anchor,first,last,n,{x,y,...}) with n finite points inside the bounds, as trend_robust_agg() makes it.")));
	PG_RETURN_NULL();
}

/* Binary output of trend_robust: the axis, n, then the x and the y of the sorted points */
PG_FUNCTION_INFO_V1(trend_robust_send);
Datum
trend_robust_send(PG_FUNCTION_ARGS)
{
	TrendRobust *r = PG_GETARG_TREND_ROBUST(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	trend_axis_send(&buf, &r->axis);
	pq_sendint64(&buf, r->n);
	for (int64 i = 0; i < 2 * r->n; i++)
		pq_sendfloat8(&buf, r->points[i]);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* Binary input of trend_robust: the points checked, the numbers computed afresh */
PG_FUNCTION_INFO_V1(trend_robust_recv);
Datum
trend_robust_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	TrendAxis	axis;
	int64		n;
	double	   *x,
			   *y;

	trend_axis_recv(buf, &axis);
	n = pq_getmsgint64(buf);
	if (n < 0 || n > ROBUST_MAX_POINTS || n > (buf->len - buf->cursor) / 16)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid trend_robust state")));
	x = palloc(sizeof(double) * Max(n, 1));
	y = palloc(sizeof(double) * Max(n, 1));
	for (int64 i = 0; i < n; i++)
		x[i] = pq_getmsgfloat8(buf);
	for (int64 i = 0; i < n; i++)
		y[i] = pq_getmsgfloat8(buf);
	if (!trend_axis_valid(&axis) || !robust_points_valid(&axis, x, y, n))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid trend_robust state"),
				 errdetail("The points must be finite and inside the state's bounds.")));
	PG_RETURN_POINTER(robust_build(&axis, x, y, n));
}

/* ---- Sen's slope: order statistics of the pairwise slopes ---- */

/* The pairs with distinct x: the slopes Sen's median is taken over */
static int64
sen_pairs(const TrendRobust *r)
{
	return r->n * (r->n - 1) / 2 - r->ties_x;
}

/* The k-th smallest (0-based) of v[0..n-1], reordering v (quickselect) */
static double
select_kth(double *v, int64 n, int64 k)
{
	int64		lo = 0,
				hi = n - 1;

	while (lo < hi)
	{
		/* median of three as pivot, then a three-way partition */
		double		a = v[lo],
					b = v[lo + (hi - lo) / 2],
					c = v[hi];
		double		pivot = (a < b) ? ((b < c) ? b : (a < c ? c : a)) : ((a < c) ? a : (b < c ? c : b));
		int64		lt = lo,
					i = lo,
					gt = hi;

		CHECK_FOR_INTERRUPTS();
		while (i <= gt)
		{
			if (v[i] < pivot)
			{
				double		t = v[lt];

				v[lt++] = v[i];
				v[i++] = t;
			}
			else if (v[i] > pivot)
			{
				double		t = v[gt];

				v[gt--] = v[i];
				v[i] = t;
			}
			else
				i++;
		}
		if (k < lt)
			hi = lt - 1;
		else if (k > gt)
			lo = gt + 1;
		else
			return pivot;
	}
	return v[k];
}

/* The median of v[0..n-1] (the mean of the middle two for even n), reordering v */
static double
median_of(double *v, int64 n)
{
	double		lo = select_kth(v, n, (n - 1) / 2),
				hi = select_kth(v, n, n / 2);

	return lo + (hi - lo) / 2;
}

/* Every slope with distinct x, computed as (y_j - y_i) / (x_j - x_i) */
static double *
all_slopes(const TrendRobust *r, int64 *count)
{
	const double *x = ROBUST_X(r),
			   *y = ROBUST_Y(r);
	int64		m = 0;
	double	   *slopes = palloc_extended(sizeof(double) * Max(sen_pairs(r), 1), MCXT_ALLOC_HUGE);

	for (int64 i = 0; i < r->n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		for (int64 j = i + 1; j < r->n; j++)
			if (x[j] != x[i])
				slopes[m++] = (y[j] - y[i]) / (x[j] - x[i]);
	}
	*count = m;
	return slopes;
}

/*
 * Sen's slope for many points: selection among the N slopes without
 * listing them (Matousek 1991; Dillencourt, Mount and Netanyahu 1992).
 * For a value theta, u_i = y_i - theta x_i orders the points; a pair
 * (x_i < x_j) has slope <= theta exactly when u_j <= u_i, so the slopes
 * in (lo, hi] are the pairs ordered differently by lo and by hi: the
 * inversions between the two orders, which a merge sort counts, samples
 * at chosen ranks or lists in O(n log n) (plus what it lists).  Each round
 * samples slopes from the bracket (lo, hi] holding the rank sought and
 * narrows it to the sampled slopes around that rank; once it holds few
 * slopes they are listed and the rank selected.  The random numbers only
 * change the time taken, never the result.  Orders are computed with u
 * rounded once (fma), so slopes within rounding of a bracket's ends may
 * be ordered by that rounding: the result can differ from the exact order
 * statistic in the last bits.
 */
#ifndef SAMPLE_SIZE
#define SAMPLE_SIZE(n)		Min((n), 1000000)
#endif
#ifndef LIST_LIMIT
#define LIST_LIMIT(n)		Max(4 * (n), 1 << 20)
#endif

typedef struct Selector
{
	const TrendRobust *r;
	int64		n;
	int64	   *by_x_desc;		/* the order at theta = +infinity */
	KeyPos	   *keys;
	KeyPos	   *keys_tmp;
	int64	   *seq;
	int64	   *seq_tmp;
	int64	   *rank_lo;
	pg_prng_state prng;
} Selector;

/*
 * The points' order at theta (-1: -infinity, 1: +infinity, 0: finite):
 * by u ascending, larger x first among equal u, (x, y) order among equal
 * points.  A stable radix sort by u of the points taken by x descending.
 */
static void
selector_order(Selector *sel, int inf, double theta, int64 *order)
{
	const double *x = ROBUST_X(sel->r),
			   *y = ROBUST_Y(sel->r);
	int64		n = sel->n;
	KeyPos	   *a = sel->keys,
			   *b = sel->keys_tmp;

	if (inf != 0)
	{
		for (int64 i = 0; i < n; i++)
			order[i] = inf < 0 ? i : sel->by_x_desc[i];
		return;
	}
	for (int64 i = 0; i < n; i++)
	{
		int64		p = sel->by_x_desc[i];

		a[i].key = u_key(fma(-theta, x[p], y[p]));
		a[i].pos = p;
	}
	for (int shift = 0; shift < 64; shift += 8)
	{
		int64		count[257] = {0};
		KeyPos	   *t;

		CHECK_FOR_INTERRUPTS();
		for (int64 i = 0; i < n; i++)
			count[((a[i].key >> shift) & 0xFF) + 1]++;
		if (count[((a[0].key >> shift) & 0xFF) + 1] == n)
			continue;			/* every key has this byte: nothing moves */
		for (int d = 0; d < 256; d++)
			count[d + 1] += count[d];
		for (int64 i = 0; i < n; i++)
			b[count[(a[i].key >> shift) & 0xFF]++] = a[i];
		t = a;
		a = b;
		b = t;
	}
	for (int64 i = 0; i < n; i++)
		order[i] = a[i].pos;
}

/* Where the slopes of emitted pairs go */
typedef struct SlopeList
{
	const TrendRobust *r;
	const int64 *order_lo;		/* a pair's values are positions in the low order */
	double	   *slopes;
	int64		count;
	int64		capacity;
} SlopeList;

/* An InversionSink: keep the slope of an emitted pair while there is room */
static void
list_slope(void *arg, int64 left, int64 right)
{
	SlopeList  *list = (SlopeList *) arg;
	int64		p = list->order_lo[left],
				q = list->order_lo[right];
	const double *x = ROBUST_X(list->r),
			   *y = ROBUST_Y(list->r);

	/* + 0.0: a flat pair is 0, not -0, whichever way round it comes */
	if (list->count < list->capacity)
		list->slopes[list->count++] = (y[q] - y[p]) / (x[q] - x[p]) + 0.0;
}

/* The slopes <= theta, for an order: its inversions against (x, y) order */
static int64
selector_count(Selector *sel, const int64 *order)
{
	memcpy(sel->seq, order, sizeof(int64) * sel->n);
	return merge_inversions(sel->seq, sel->seq_tmp, sel->n, NULL, 0, NULL, NULL);
}

/* Sort unsigned integers (the sampled ranks): LSD radix, a byte a pass */
static void
radix_sort_uint64(uint64 *a, uint64 *tmp, int64 n)
{
	uint64	   *src = a,
			   *dst = tmp;

	for (int shift = 0; shift < 64; shift += 8)
	{
		int64		count[257] = {0};
		uint64	   *t;

		for (int64 i = 0; i < n; i++)
			count[((src[i] >> shift) & 0xFF) + 1]++;
		if (n == 0 || count[((src[0] >> shift) & 0xFF) + 1] == n)
			continue;
		for (int d = 0; d < 256; d++)
			count[d + 1] += count[d];
		for (int64 i = 0; i < n; i++)
			dst[count[(src[i] >> shift) & 0xFF]++] = src[i];
		t = src;
		src = dst;
		dst = t;
	}
	if (src != a)
		memcpy(a, src, sizeof(uint64) * n);
}

/*
 * The order statistics of ranks[0..count-1] (ascending and close to each
 * other, as the middle two of an even count) in one bracket.
 */
static void
select_slope_large(const TrendRobust *r, const int64 *ranks, double *values, int count)
{
	int64		k = ranks[0],
				k_top = ranks[count - 1];
	int64		n = r->n;
	Selector	sel;
	int64	   *order_lo = palloc_extended(sizeof(int64) * n, MCXT_ALLOC_HUGE),
			   *order_hi = palloc_extended(sizeof(int64) * n, MCXT_ALLOC_HUGE),
			   *order_new = palloc_extended(sizeof(int64) * n, MCXT_ALLOC_HUGE);
	int64		c_lo = 0,
				c_hi = sen_pairs(r),
				m = Max(SAMPLE_SIZE(n), 1024);
	uint64	   *want = palloc_extended(sizeof(uint64) * m, MCXT_ALLOC_HUGE);
	uint64	   *want_tmp = palloc_extended(sizeof(uint64) * m, MCXT_ALLOC_HUGE);
	int			stalls = 0;
	SlopeList	list;

	sel.r = r;
	sel.n = n;
	sel.by_x_desc = palloc_extended(sizeof(int64) * n, MCXT_ALLOC_HUGE);
	sel.keys = palloc_extended(sizeof(KeyPos) * n, MCXT_ALLOC_HUGE);
	sel.keys_tmp = palloc_extended(sizeof(KeyPos) * n, MCXT_ALLOC_HUGE);
	sel.seq = palloc_extended(sizeof(int64) * n, MCXT_ALLOC_HUGE);
	sel.seq_tmp = palloc_extended(sizeof(int64) * n, MCXT_ALLOC_HUGE);
	sel.rank_lo = palloc_extended(sizeof(int64) * n, MCXT_ALLOC_HUGE);
	pg_prng_seed(&sel.prng, UINT64CONST(0x27001) ^ (uint64) n ^ (uint64) k);

	/* +infinity: groups of equal x from the largest, each in (x, y) order */
	for (int64 end = n, out = 0; end > 0;)
	{
		int64		start = end - 1;

		while (start > 0 && ROBUST_X(r)[start - 1] == ROBUST_X(r)[end - 1])
			start--;
		for (int64 q = start; q < end; q++)
			sel.by_x_desc[out++] = q;
		end = start;
	}
	selector_order(&sel, -1, 0, order_lo);
	selector_order(&sel, 1, 0, order_hi);

	list.r = r;
	for (;;)
	{
		int64		pairs;

		/* the pairs ordered differently by lo and hi: the slopes in (lo, hi] */
		for (int64 i = 0; i < n; i++)
			sel.rank_lo[order_lo[i]] = i;
		for (int64 i = 0; i < n; i++)
			sel.seq[i] = sel.rank_lo[order_hi[i]];
		list.order_lo = order_lo;
		list.count = 0;
		/* list the bracket when small, or when sampling no longer narrows it */
		if (c_hi - c_lo <= LIST_LIMIT(n) || (stalls >= 8 && c_hi - c_lo <= ((int64) 64 << 20)))
		{
			list.capacity = Max(c_hi - c_lo, 1);
			list.slopes = palloc_extended(sizeof(double) * list.capacity, MCXT_ALLOC_HUGE);
			(void) merge_inversions(sel.seq, sel.seq_tmp, n, NULL, -1, list_slope, &list);
			for (int i = 0; i < count; i++)
				values[i] = select_kth(list.slopes, list.count,
									   Min(Max(ranks[i] - c_lo, 0), list.count - 1));
			break;
		}
		else
		{
			double		center,
						half,
						theta_a,
						theta_b;
			int64		ia,
						ib;
			bool		progress = false;

			if (stalls >= 8)
				ereport(ERROR,
						(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
						 errmsg("Sen's slope selection does not converge on these " INT64_FORMAT " points", n)));
			/* m slopes of the bracket, uniformly at random */
			for (int64 i = 0; i < m; i++)
				want[i] = pg_prng_uint64_range(&sel.prng, 0, (uint64) (c_hi - c_lo - 1));
			radix_sort_uint64(want, want_tmp, m);
			list.capacity = m;
			list.slopes = palloc_extended(sizeof(double) * m, MCXT_ALLOC_HUGE);
			pairs = merge_inversions(sel.seq, sel.seq_tmp, n, want, m, list_slope, &list);

			/* the sampled slopes around the rank sought become the bracket */
			center = ((double) (k - c_lo) + (double) (k_top - k) / 2) / (double) pairs * (double) list.count;
			half = 3.0 * sqrt((double) list.count) + 2 +
				(double) (k_top - k) / 2 / (double) pairs * (double) list.count;
			ia = (int64) floor(center - half);
			ib = (int64) ceil(center + half);
			/* order statistics of the sample: selected, not sorted */
			theta_a = (ia >= 0 && ia < list.count) ? select_kth(list.slopes, list.count, ia) : 0;
			theta_b = (ib >= 0 && ib < list.count) ? select_kth(list.slopes, list.count, ib) : 0;
			if (ia >= 0 && ia < list.count)
			{
				int64		c;

				selector_order(&sel, 0, theta_a, order_new);
				c = selector_count(&sel, order_new);
				if (c <= k && c > c_lo)
				{
					int64	   *t = order_lo;

					order_lo = order_new;
					order_new = t;
					c_lo = c;
					progress = true;
				}
			}
			if (ib >= 0 && ib < list.count)
			{
				int64		c;

				selector_order(&sel, 0, theta_b, order_new);
				c = selector_count(&sel, order_new);
				if (c > k_top && c < c_hi)
				{
					int64	   *t = order_hi;

					order_hi = order_new;
					order_new = t;
					c_hi = c;
					progress = true;
				}
			}
			/*
			 * No bound moved: the rank sits in a run of equal slopes.  The
			 * sampled slope at the rank is the answer when the slopes below
			 * it are at most k and those up to it more than k.
			 */
			stalls = progress ? 0 : stalls + 1;
			if (stalls >= 2 && count > 1)
			{
				/* the ranks sit in a run of equal slopes: one at a time */
				for (int i = 0; i < count; i++)
					select_slope_large(r, ranks + i, values + i, 1);
				break;
			}
			if (!progress && list.count > 0 && count == 1)
			{
				double		theta = select_kth(list.slopes, list.count,
											   Min(Max((int64) center, 0), list.count - 1));
				int64		below,
							upto;

				selector_order(&sel, 0, nextafter(theta, -INFINITY), order_new);
				below = selector_count(&sel, order_new);
				selector_order(&sel, 0, theta, order_new);
				upto = selector_count(&sel, order_new);
				if (below <= k && k < upto)
				{
					values[0] = theta;
					break;
				}
			}
			pfree(list.slopes);
		}
	}
	pfree(list.slopes);
}

/* The ranks asked for, 0-based and ascending, as order statistics */
static void
select_slopes(const TrendRobust *r, const int64 *ranks, double *values, int count)
{
	int64		m;

	if (sen_pairs(r) <= PAIR_LIMIT)
	{
		double	   *slopes = all_slopes(r, &m);

		for (int i = 0; i < count; i++)
			values[i] = select_kth(slopes, m, ranks[i]);
		pfree(slopes);
	}
	else
	{
		/* neighbouring ranks (the middle two) share one selection */
		for (int i = 0; i < count;)
		{
			int			j = i + 1;

			while (j < count && ranks[j] - ranks[j - 1] <= 1)
				j++;
			select_slope_large(r, ranks + i, values + i, j - i);
			i = j;
		}
	}
}

/* Sen's slope per unit x: the median slope, the mean of the middle two for even counts */
static bool
sen_slope(const TrendRobust *r, double *slope)
{
	int64		m = sen_pairs(r);
	int64		ranks[2];
	double		values[2];

	if (m < 1)
		return false;
	ranks[0] = (m - 1) / 2;
	ranks[1] = m / 2;
	select_slopes(r, ranks, values, ranks[0] == ranks[1] ? 1 : 2);
	*slope = ranks[0] == ranks[1] ? values[0] : values[0] + (values[1] - values[0]) / 2;
	return true;
}

/* The slope scale of an accessor: a slope per microsecond to per unit */
static double
robust_scale(FunctionCallInfo fcinfo, const TrendRobust *r)
{
	double		scale = trend_slope_scale(fcinfo, &r->axis, 1);

	return r->axis.kind == TREND_TIME ? scale * USECS_PER_SECOND_F : scale;
}

/* Sen's slope per unit of time (a day by default) or of x, or NULL without two distinct x */
PG_FUNCTION_INFO_V1(trend_robust_sen_slope);
Datum
trend_robust_sen_slope(PG_FUNCTION_ARGS)
{
	TrendRobust *r;
	double		scale,
				slope;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	r = PG_GETARG_TREND_ROBUST(0);
	scale = robust_scale(fcinfo, r);
	if (!sen_slope(r, &slope))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(slope * scale);
}

/* round half to even, as R and numpy */
static double
round_even(double v)
{
	return nearbyint(v);
}

/*
 * A bound of Sen's (1968) confidence interval: with C = z sqrt(var), the
 * lower bound is the slope of rank round((N - C) / 2), the upper of rank
 * round((N + C) / 2) + 1 (1-based, clipped to 1..N), as scipy's
 * theilslopes and R's trend::sens.slope.
 */
static Datum
sen_bound(FunctionCallInfo fcinfo, bool upper)
{
	TrendRobust *r;
	double		scale,
				level,
				c,
				rank,
				value;
	int64		m,
				k;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(2))
		PG_RETURN_NULL();
	r = PG_GETARG_TREND_ROBUST(0);
	scale = robust_scale(fcinfo, r);
	level = trend_level_arg(fcinfo, 2);
	m = sen_pairs(r);
	if (m < 1 || !(r->var_sen >= 0))
		PG_RETURN_NULL();
	c = normal_critical(level) * sqrt(r->var_sen);
	rank = upper ? round_even((m + c) / 2) + 1 : round_even((m - c) / 2);
	k = (int64) Min(Max(rank, 1.0), (double) m) - 1;
	select_slopes(r, &k, &value, 1);
	PG_RETURN_FLOAT8(value * scale);
}

/* The lower bound of Sen's (1968) confidence interval of the slope at a level */
PG_FUNCTION_INFO_V1(trend_robust_sen_lower);
Datum
trend_robust_sen_lower(PG_FUNCTION_ARGS)
{
	return sen_bound(fcinfo, false);
}

/* The upper bound of Sen's (1968) confidence interval of the slope at a level */
PG_FUNCTION_INFO_V1(trend_robust_sen_upper);
Datum
trend_robust_sen_upper(PG_FUNCTION_ARGS)
{
	return sen_bound(fcinfo, true);
}

/*
 * Sen's line through the medians (Conover): median(y) + slope (x -
 * median(x)), x in microseconds over time; false without a slope.
 */
static bool
sen_line(const void *state, TrendLine *line)
{
	const TrendRobust *r = state;
	double	   *v;

	if (!sen_slope(r, &line->slope))
		return false;
	v = palloc_extended(sizeof(double) * r->n, MCXT_ALLOC_HUGE);
	memcpy(v, ROBUST_X(r), sizeof(double) * r->n);
	line->x0 = median_of(v, r->n);
	memcpy(v, ROBUST_Y(r), sizeof(double) * r->n);
	line->y0 = median_of(v, r->n);
	pfree(v);
	return true;
}

static const TrendFit sen_fit = {sen_line, TREND_X_USECS, true};

/* Sen's line through the medians at a timestamp; NULL at an infinite one or without a slope */
PG_FUNCTION_INFO_V1(trend_robust_fitted_at_t);
Datum
trend_robust_fitted_at_t(PG_FUNCTION_ARGS)
{
	TrendRobust *r = PG_GETARG_TREND_ROBUST(0);

	return trend_fitted_at(fcinfo, &r->axis, r, &sen_fit, true);
}

/* Sen's line through the medians at an x, or NULL without a slope */
PG_FUNCTION_INFO_V1(trend_robust_fitted_at_x);
Datum
trend_robust_fitted_at_x(PG_FUNCTION_ARGS)
{
	TrendRobust *r = PG_GETARG_TREND_ROBUST(0);

	return trend_fitted_at(fcinfo, &r->axis, r, &sen_fit, false);
}

/* ---- Mann-Kendall ---- */

/* n(trend_robust): the number of points */
PG_FUNCTION_INFO_V1(trend_robust_n);
Datum
trend_robust_n(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(PG_GETARG_TREND_ROBUST(0)->n);
}

/* The Mann-Kendall S, or NULL below two points */
PG_FUNCTION_INFO_V1(trend_robust_mk_s);
Datum
trend_robust_mk_s(PG_FUNCTION_ARGS)
{
	TrendRobust *r = PG_GETARG_TREND_ROBUST(0);

	if (r->n < 2)
		PG_RETURN_NULL();
	PG_RETURN_INT64(r->s);
}

/* The variance of S, corrected for ties in x and y, or NULL below two points */
PG_FUNCTION_INFO_V1(trend_robust_mk_var_s);
Datum
trend_robust_mk_var_s(PG_FUNCTION_ARGS)
{
	TrendRobust *r = PG_GETARG_TREND_ROBUST(0);

	if (r->n < 2)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(r->var_s);
}

/* z with continuity correction: (S - sgn S) / sqrt(var S); none when var S = 0 */
static bool
mk_z(const TrendRobust *r, double *z)
{
	if (r->n < 2 || !(r->var_s > 0))
		return false;
	*z = (double) (r->s - (r->s > 0) + (r->s < 0)) / sqrt(r->var_s);
	return true;
}

/* The Mann-Kendall z with continuity correction, or NULL when var(S) is 0 */
PG_FUNCTION_INFO_V1(trend_robust_mk_z);
Datum
trend_robust_mk_z(PG_FUNCTION_ARGS)
{
	double		z;

	if (!mk_z(PG_GETARG_TREND_ROBUST(0), &z))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(z);
}

/* The Mann-Kendall two-sided p of the normal approximation, or NULL when var(S) is 0 */
PG_FUNCTION_INFO_V1(trend_robust_mk_p);
Datum
trend_robust_mk_p(PG_FUNCTION_ARGS)
{
	double		z;

	if (!mk_z(PG_GETARG_TREND_ROBUST(0), &z))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(normal_two_sided_p(z));
}

/*
 * The exact two-sided p of S for n < 50 points without ties in x or y:
 * S = N - 2D, D the inversions of a random permutation, whose law is
 * Mahonian: P_n(k) = (1/n) sum_{d=0..n-1} P_{n-1}(k - d).
 */
static bool
mk_p_exact(const TrendRobust *r, double *p)
{
	int64		n = r->n,
				pairs = n * (n - 1) / 2;
	double	   *prob,
			   *next;
	double		total = 0;

	if (n < 2 || n >= EXACT_P_LIMIT || r->ties_x > 0 || r->ties_y > 0)
		return false;
	prob = palloc0(sizeof(double) * (pairs + 1));
	next = palloc0(sizeof(double) * (pairs + 1));
	prob[0] = 1.0;
	for (int64 m = 2; m <= n; m++)
	{
		int64		top = m * (m - 1) / 2,
					prev_top = (m - 1) * (m - 2) / 2;

		/*
		 * next[k] = (1/m) sum_{d=0}^{m-1} prob[k - d]: summed term by term
		 * (positive terms only), so that the tails keep their relative
		 * precision
		 */
		for (int64 k = 0; k <= top; k++)
		{
			double		sum = 0;

			for (int64 j = Max(0, k - (m - 1)); j <= Min(k, prev_top); j++)
				sum += prob[j];
			next[k] = sum / (double) m;
		}
		memcpy(prob, next, sizeof(double) * (top + 1));
	}
	/* both tails, smallest terms first */
	for (int64 k = 0; k <= pairs / 2; k++)
	{
		if (llabs(pairs - 2 * k) >= llabs(r->s))
			total += prob[k];
		if (pairs - k != k && llabs(pairs - 2 * (pairs - k)) >= llabs(r->s))
			total += prob[pairs - k];
	}
	pfree(prob);
	pfree(next);
	*p = Min(total, 1.0);
	return true;
}

/* The exact Mann-Kendall two-sided p: NULL from 50 points on, with ties, or below two points */
PG_FUNCTION_INFO_V1(trend_robust_mk_p_exact);
Datum
trend_robust_mk_p_exact(PG_FUNCTION_ARGS)
{
	double		p;

	if (!mk_p_exact(PG_GETARG_TREND_ROBUST(0), &p))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(p);
}

/* Kendall's tau-b: S / sqrt((N - ties in x)(N - ties in y)) */
PG_FUNCTION_INFO_V1(trend_robust_kendall_tau_b);
Datum
trend_robust_kendall_tau_b(PG_FUNCTION_ARGS)
{
	TrendRobust *r = PG_GETARG_TREND_ROBUST(0);
	int64		pairs = r->n * (r->n - 1) / 2;
	double		d;

	if (r->n < 2)
		PG_RETURN_NULL();
	d = (double) (pairs - r->ties_x) * (double) (pairs - r->ties_y);
	if (!(d > 0))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8((double) r->s / sqrt(d));
}

/* The p-value an auditor reads: exact when there is one, else the normal one */
PG_FUNCTION_INFO_V1(trend_robust_p_value);
Datum
trend_robust_p_value(PG_FUNCTION_ARGS)
{
	TrendRobust *r = PG_GETARG_TREND_ROBUST(0);
	double		p,
				z;

	if (mk_p_exact(r, &p))
		PG_RETURN_FLOAT8(p);
	if (!mk_z(r, &z))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(normal_two_sided_p(z));
}

/* first_time(trend_robust): the time of the first point, NULL for a trend over x */
PG_FUNCTION_INFO_V1(trend_robust_first_time);
Datum
trend_robust_first_time(PG_FUNCTION_ARGS)
{
	return trend_time_end(fcinfo, &PG_GETARG_TREND_ROBUST(0)->axis, false);
}

/* last_time(trend_robust): the time of the last point, NULL for a trend over x */
PG_FUNCTION_INFO_V1(trend_robust_last_time);
Datum
trend_robust_last_time(PG_FUNCTION_ARGS)
{
	return trend_time_end(fcinfo, &PG_GETARG_TREND_ROBUST(0)->axis, true);
}

/*
 * The seasonal Mann-Kendall test and seasonal Kendall slope (Hirsch, Slack
 * and Smith 1982) over one robust trend per season (months, say, each over
 * years): S and var(S) are the seasons' sums, the slope the median of all
 * within-season slopes.  NULL elements are skipped.
 */
PG_FUNCTION_INFO_V1(trend_robust_seasonal);
Datum
trend_robust_seasonal(PG_FUNCTION_ARGS)
{
	ArrayType  *array = PG_GETARG_ARRAYTYPE_P(0);
	Datum	   *elems;
	bool	   *nulls;
	int			count,
				seasons = 0,
				kind = TREND_EMPTY;
	int64		n = 0,
				s = 0,
				pairs = 0,
				m = 0;
	double		var = 0,
				scale = 1.0,
				*slopes;
	TrendRobust **states;
	TupleDesc	desc;
	Datum		values[7];
	bool		isnull[7] = {false};

	if (ARR_NDIM(array) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("states must be a one-dimensional array")));
	deconstruct_array(array, ARR_ELEMTYPE(array), -1, false, TYPALIGN_DOUBLE,
					  &elems, &nulls, &count);
	states = palloc(sizeof(TrendRobust *) * Max(count, 1));
	for (int i = 0; i < count; i++)
	{
		TrendRobust *r;

		if (nulls[i])
			continue;
		r = (TrendRobust *) PG_DETOAST_DATUM(elems[i]);
		if (r->axis.kind == TREND_EMPTY)
			continue;
		if (kind != TREND_EMPTY && r->axis.kind != kind)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("cannot combine seasons over time with seasons over a float8 x")));
		kind = r->axis.kind;
		states[seasons++] = r;
		n += r->n;
		s += r->s;
		var += r->var_s;
		pairs += sen_pairs(r);
	}
	if (pairs > PAIR_LIMIT)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("the seasons hold " INT64_FORMAT " within-season pairs, more than " INT64_FORMAT,
						pairs, PAIR_LIMIT)));
	slopes = palloc(sizeof(double) * Max(pairs, 1));
	for (int i = 0; i < seasons; i++)
	{
		int64		k;
		double	   *own = all_slopes(states[i], &k);

		memcpy(slopes + m, own, sizeof(double) * k);
		m += k;
		pfree(own);
	}
	/* a slope per microsecond over time: per day, as slope() by default */
	if (kind == TREND_TIME)
		scale = TREND_SECONDS_PER_DAY * USECS_PER_SECOND_F;

	desc = iso27001_result_desc(fcinfo);
	values[0] = Int64GetDatum(n);
	values[1] = Int32GetDatum(seasons);
	values[2] = Int64GetDatum(s);
	isnull[2] = (seasons == 0);
	values[3] = Float8GetDatum(var);
	isnull[3] = (seasons == 0);
	if (var > 0)
	{
		double		z = (double) (s - (s > 0) + (s < 0)) / sqrt(var);

		values[4] = Float8GetDatum(z);
		values[5] = Float8GetDatum(normal_two_sided_p(z));
	}
	else
		isnull[4] = isnull[5] = true;
	if (m > 0)
		values[6] = Float8GetDatum(median_of(slopes, m) * scale);
	else
		isnull[6] = true;
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, values, isnull)));
}
