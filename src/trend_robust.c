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
 *	  statistics of the pairwise slopes (listed for few points, selected
 *	  in O(n log n) for many).  Every result depends on the set of points
 *	  only, never on the order rows or partial states arrive in (the final
 *	  function anchors time at the first timestamp).  An accessor frees
 *	  what it allocates before it returns; the selections of the last few
 *	  states are kept, keyed by their content, so that slope, slope_lower
 *	  and slope_upper of one state (verdict, trend_report) share one.
 *	  Conventions and test vectors: docs/trend_statistics.md §5 and §9.
 *
 * src/trend_robust.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "common/int.h"
#include "common/pg_prng.h"
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
#ifdef __linux__
#include <sys/mman.h>
#endif

#include "iso27001.h"
#include "trend_axis.h"
#include "trend_stats.h"

#define ROBUST_VERSION		1
/*
 * Sen's slope by listing every pair up to this many pairs (8 bytes each),
 * by selection beyond (about 725 points).  Measured per call in a warm
 * backend, selection is the faster from about 600 points on smooth data
 * and from about 950 on data of few distinct values (runs of equal
 * slopes), within 1.5 ms of listing between; in a fresh backend, where
 * listing first touches its 8 bytes a pair, from fewer (bench/trend.sh:
 * 724 points listed, 10 ms; 725 selected, 4 ms).  The old limit,
 * 8,000,000 pairs (3,996 points), listed in 330 ms what selection takes
 * 5 ms for.
 */
#ifndef PAIR_LIMIT
#define PAIR_LIMIT			((int64) 1 << 18)
#endif
/* the within-season pairs seasonal_trend lists at most (8 bytes each) */
#define SEASONAL_PAIR_LIMIT	((int64) 8 * 1000 * 1000)
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

/*
 * Ask for transparent huge pages for a large array (Linux, where THP is
 * "madvise"): its first touches then fault 2 MB at a time.  On the virtual
 * machines this was measured on, a first touch of a 4 kB page costs about
 * 11 microseconds, 3 ms a megabyte, a good part of the time of Sen's slope
 * on a million points.  Only whole 2 MB pages inside the array, and only
 * arrays of 4 MB or more; a hint, which the kernel may ignore.
 */
static void
advise_huge(void *p, Size size)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
	if (size >= ((Size) 4 << 20))
	{
		uintptr_t	huge = (uintptr_t) 2 << 20,
					a = ((uintptr_t) p + huge - 1) & ~(huge - 1),
					b = ((uintptr_t) p + size) & ~(huge - 1);

		if (b > a)
			(void) madvise((void *) a, b - a, MADV_HUGEPAGE);
	}
#else
	(void) p;
	(void) size;
#endif
}

/* A large array (palloc'd, MCXT_ALLOC_HUGE), huge pages asked for */
static void *
robust_alloc(Size size)
{
	void	   *p = palloc_extended(Max(size, 1), MCXT_ALLOC_HUGE);

	advise_huge(p, size);
	return p;
}

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

/* Room for more points */
static void
robust_grow(RobustAcc *acc, int64 more)
{
	int64		size = acc->size;
	int64		total;
	bool		overflow = pg_add_s64_overflow(acc->n, more, &total);

	if (!overflow && total <= size)
		return;
	if (overflow || total > ROBUST_MAX_POINTS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("a robust trend holds at most " INT64_FORMAT " points", ROBUST_MAX_POINTS),
				 errhint("Aggregate fewer points (per organization, per period), or use the least-squares trend.")));
	while (size < total)
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
	advise_huge(acc->x, size * sizeof(double));
	advise_huge(acc->y, size * sizeof(double));
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
	if (!robust_points_valid(&acc->axis, acc->x, acc->y, n))
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
	TrendRobust *r = robust_alloc(ROBUST_SIZE(n));
	/* work and tmp, or while sorting, with the result's points, a radix sort's keys */
	int64	   *work = robust_alloc(2 * sizeof(int64) * Max(n, 1));
	int64	   *tmp = work + Max(n, 1);
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

	for (int64 i = 1; i < n && in_order; i++)
		in_order = x[i - 1] + shift < x[i] + shift ||
			(x[i - 1] + shift == x[i] + shift && y[i - 1] + 0.0 <= y[i] + 0.0);
	if (in_order)
		for (int64 i = 0; i < n; i++)
		{
			rx[i] = x[i] + shift + 0.0;
			ry[i] = y[i] + 0.0;
		}
	else
	{
		/* keys in work and tmp, sorted through the result's points */
		KeyPos	   *a = (KeyPos *) work,
				   *s;

		for (int64 i = 0; i < n; i++)
		{
			a[i].key = u_key(x[i] + shift + 0.0);
			a[i].pos = (uint32) i;
		}
		s = radix_sort_keys(a, (KeyPos *) r->points, n);
		if (s != a)
		{
			memcpy(a, s, sizeof(KeyPos) * n);
			s = a;
		}
		for (int64 i = 0; i < n; i++)
		{
			rx[i] = x[s[i].pos] + shift + 0.0;
			ry[i] = y[s[i].pos] + 0.0;
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
	return r;
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
	x = robust_alloc(sizeof(double) * Max(n, 1));
	y = robust_alloc(sizeof(double) * Max(n, 1));
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

/* xorshift64: the pivots of select_into */
static inline uint64
xorshift64(uint64 *state)
{
	uint64		x = *state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *state = x;
}

/*
 * Quickselect of several ranks at once: afterwards v[k] is the k-th
 * smallest (0-based) of v[lo..hi] for each k of ks[0..nk-1] (ascending,
 * inside lo..hi).  Partitions (branch-free, in two passes: below, then
 * equal) around the median of three values drawn at random, recursing into
 * the smaller side that holds ranks and looping on the other.  (A pivot
 * of fixed positions degrades badly on a part that an earlier selection
 * left partitioned.)
 */
static void
select_into(double *v, int64 lo, int64 hi, const int64 *ks, int nk, uint64 *rng)
{
	while (nk > 0 && lo < hi)
	{
		uint64		span = (uint64) (hi - lo + 1);
		double		a = v[lo + (int64) (xorshift64(rng) % span)],
					b = v[lo + (int64) (xorshift64(rng) % span)],
					c = v[lo + (int64) (xorshift64(rng) % span)];
		double		pivot = (a < b) ? ((b < c) ? b : (a < c ? c : a)) : ((a < c) ? a : (b < c ? c : b));
		int64		lt = lo,
					gt;
		int			below = 0,
					above = nk;

		CHECK_FOR_INTERRUPTS();
		/* branch-free: the values below the pivot to the front, then those equal */
		for (int64 i = lo; i <= hi; i++)
		{
			double		x = v[i];
			int64		move = x < pivot;

			v[i] = v[lt];
			v[lt] = x;
			lt += move;
		}
		gt = lt;
		for (int64 i = lt; i <= hi; i++)
		{
			double		x = v[i];
			int64		move = x == pivot;

			v[i] = v[gt];
			v[gt] = x;
			gt += move;
		}
		gt--;					/* v[lt..gt] is the pivot's run */
		/* ranks below the pivot's run, in it (found), above it */
		while (below < nk && ks[below] < lt)
			below++;
		while (above > below && ks[above - 1] > gt)
			above--;
		if (below > 0 && above < nk)
		{
			if (lt - lo < hi - gt)
			{
				select_into(v, lo, lt - 1, ks, below, rng);
				ks += above;
				nk -= above;
				lo = gt + 1;
			}
			else
			{
				select_into(v, gt + 1, hi, ks + above, nk - above, rng);
				nk = below;
				hi = lt - 1;
			}
		}
		else if (below > 0)
		{
			nk = below;
			hi = lt - 1;
		}
		else
		{
			ks += above;
			nk -= above;
			lo = gt + 1;
		}
	}
}

/*
 * The order statistics ranks[0..count-1] (0-based, ascending, clipped to
 * 0..n-1; count <= 16) of v[0..n-1], reordering v
 */
static void
select_ranks_of(double *v, int64 n, const int64 *ranks, double *values, int count)
{
	int64		ks[16] = {0};
	uint64		rng = UINT64CONST(0x9E3779B97F4A7C15) ^ (uint64) n;

	Assert(count <= 16);
	for (int i = 0; i < count; i++)
		ks[i] = Min(Max(ranks[i], 0), n - 1);
	select_into(v, 0, n - 1, ks, count, &rng);
	for (int i = 0; i < count; i++)
		values[i] = v[ks[i]];
}

/* The median of v[0..n-1] (the mean of the middle two for even n), reordering v */
static double
median_of(double *v, int64 n)
{
	int64		ranks[2] = {(n - 1) / 2, n / 2};
	double		values[2];

	select_ranks_of(v, n, ranks, values, 2);
	return values[0] + (values[1] - values[0]) / 2;
}

/*
 * Every slope with distinct x, computed as (y_j - y_i) / (x_j - x_i) with
 * x_i < x_j (the points are in (x, y) order: the pairs of each point with
 * those after its group of equal x)
 */
static double *
all_slopes(const TrendRobust *r, int64 *count)
{
	const double *x = ROBUST_X(r),
			   *y = ROBUST_Y(r);
	int64		m = 0,
				n = r->n,
				next = 0;
	double	   *slopes = robust_alloc(sizeof(double) * Max(sen_pairs(r), 1));

	for (int64 i = 0; i < n; i++)
	{
		double		xi = x[i],
					yi = y[i];
		double	   *out;

		CHECK_FOR_INTERRUPTS();
		if (next <= i)
		{
			next = i + 1;
			while (next < n && x[next] == xi)
				next++;
		}
		out = slopes + m;
		for (int64 j = next; j < n; j++)
			out[j - next] = (y[j] - yi) / (x[j] - xi);
		m += n - next;
	}
	*count = m;
	return slopes;
}

/*
 * Sen's slope for many points: selection among the N slopes without
 * listing them (Matousek 1991; Dillencourt, Mount and Netanyahu 1992).
 *
 * For a value theta, u_i = y_i - theta x_i orders the points (larger x
 * first among equal u, (x, y) order among equal points); a pair x_i < x_j
 * has slope <= theta exactly when it is inverted in that order against
 * (x, y) order.  The orders are exact: a radix sort of u rounded once
 * (fma; rounding keeps order, so only points whose rounded u are equal can
 * be misplaced), then each run of equal keys sorted by the exact sign of
 * u_i - u_j (error-free transformations summed as an expansion).  So a
 * cut, a theta with its order, counts exactly the slopes at or below it
 * (the inversions, by merge sort), the slopes in a bracket (lo, hi] are
 * the pairs the two orders rank differently, and a merge sort of one order
 * against the other samples them at chosen ranks or lists them in
 * O(n log n) (plus what it lists).
 *
 * Each round samples slopes of the bracket that holds the ranks sought
 * (uniformly; all pairs drawn directly in the first round), picks the
 * sampled slopes a few standard deviations either side of each rank, and
 * counts them: the cuts that keep each rank between them become its new
 * bracket, ranks far apart (Sen's slope and its bounds) going on in
 * brackets of their own.  Once a bracket holds few slopes they are listed
 * and the ranks selected, so the result is an order statistic of the
 * slopes computed as (y_j - y_i) / (x_j - x_i), as when every pair is
 * listed, except for slopes within rounding of a cut.
 *
 * When a round cannot narrow a bracket the rank sits in a run of equal (or
 * all but equal) slopes: cuts a few units in the last place either side of
 * the sampled slope at the rank bracket it, and bisection of the values
 * between them follows.  Rounds that narrow little also give way to
 * bisection, so every selection ends.  A bracket between adjacent doubles
 * holding more slopes than can be listed (a line: every slope within a
 * unit in the last place) gives the sampled slope at the rank.
 *
 * Every sample is drawn with a seed made of the points' count, the
 * bracket's counts and the ranks: the path to a rank, and so the result,
 * depends on the points and the ranks asked only.
 */
typedef uint32 Pos;				/* a point's position in (x, y) order */

/* slopes sampled a round (the first one directly from all pairs) */
#ifndef SAMPLE_SIZE
#define SAMPLE_SIZE(n)		Max(2 * (n), 1 << 14)
#endif
#ifndef FIRST_SAMPLE_SIZE
#define FIRST_SAMPLE_SIZE(n)	Max(4 * (n), 1 << 15)
#endif
/* the slopes of a bracket listed at most */
#ifndef LIST_LIMIT
#define LIST_LIMIT(n)		Max(4 * (n), 1 << 16)
#endif
/* sampled slopes either side of a rank, in standard deviations */
#define SAMPLE_MARGIN		3.0
/* rounds that do not halve a bracket before bisection takes over */
#define POOR_ROUNDS			4
/* units in the last place either side of a slope that cover its rounding */
#define SLOPE_ULPS			4
/* ranks selected together at most */
#define MAX_RANKS			4
/* order arrays kept for reuse */
#define ORDER_POOL			8

/* A slope with the exact count of slopes at or below it, and its order */
typedef struct Cut
{
	double		theta;			/* -infinity and +infinity at the ends */
	int64		count;			/* -1: not counted yet */
	Pos		   *order;			/* the points' order at theta; NULL until needed */
	bool		own;			/* order allocated for it (else the selector's) */
	int			refs;
} Cut;

typedef struct Selector
{
	const double *x;
	const double *y;
	int64		n;
	int64		pairs;			/* N' */
	Pos		   *by_x_desc;		/* the order at +infinity */
	Pos		   *identity;		/* the order at -infinity: (x, y) order */
	/*
	 * One area for the radix sort's keys (two arrays of n) and for sampled
	 * or listed slopes (buf_size), never in use at once
	 */
	uint64	   *keys;			/* rounded u, the point's position in the low bits */
	uint64	   *keys_tmp;
	int			pos_bits;		/* bits of a position */
	double	   *buf;
	int64		buf_size;
	Pos		   *seq;			/* merge sorts */
	Pos		   *seq_tmp;
	Pos		   *rank;			/* a point's place in an order */
	Pos		   *pool[ORDER_POOL];	/* order arrays to reuse */
	int			npool;
	int64		sample_size;
	int64		first_sample_size;
	int64		list_limit;
	pg_prng_state prng;
} Selector;

/* a + b = *s + *e exactly (Knuth's two-sum) */
static inline void
two_sum(double a, double b, double *s, double *e)
{
	double		x = a + b;
	double		bv = x - a;
	double		av = x - bv;

	*s = x;
	*e = (a - av) + (b - bv);
}

/*
 * The sign of the exact sum of t[0..n-1] (n <= 8): Shewchuk's expansion
 * growth, zeros eliminated; the largest component carries the sign
 */
static int
exact_sum_sign(const double *t, int n)
{
	double		e[8];
	int			m = 0;

	for (int i = 0; i < n; i++)
	{
		double		q = t[i];
		int			k = 0;

		for (int j = 0; j < m; j++)
		{
			double		s,
						err;

			two_sum(q, e[j], &s, &err);
			if (err != 0)
				e[k++] = err;
			q = s;
		}
		if (q != 0)
			e[k++] = q;
		m = k;
	}
	return m == 0 ? 0 : (e[m - 1] > 0 ? 1 : -1);
}

/* The exact sign of (y_a - theta x_a) - (y_b - theta x_b) for points a and b */
static int
compare_at(const Selector *sel, double theta, Pos a, Pos b)
{
	double		t[6],
				dx,
				dxe;

	two_sum(sel->y[a], -sel->y[b], &t[0], &t[1]);
	two_sum(sel->x[a], -sel->x[b], &dx, &dxe);
	t[2] = -theta * dx;
	t[3] = fma(-theta, dx, -t[2]);
	t[4] = -theta * dxe;
	t[5] = fma(-theta, dxe, -t[4]);
	return exact_sum_sign(t, 6);
}

/*
 * Sort keys of positions packed below the key's high bits (pos_bits of
 * them): least significant digit first, 11 bits a pass over the high
 * bits only, stable, skipping the digits every key shares.  Returns the
 * array holding the result, a or tmp.
 */
static uint64 *
radix_sort_packed(uint64 *a, uint64 *tmp, int64 n, int pos_bits)
{
	int64		count[6][2048];
	int			shift[6],
				digits = 0;
	uint64	   *src = a,
			   *dst = tmp;

	if (n < 2)
		return a;
	for (int b = pos_bits; b < 64; b += 11)
		shift[digits++] = b;
	memset(count, 0, sizeof(count));
	for (int64 i = 0; i < n; i++)
	{
		uint64		k = a[i];

		for (int d = 0; d < digits; d++)
			count[d][(k >> shift[d]) & 0x7FF]++;
	}
	for (int d = 0; d < digits; d++)
	{
		int64		offset = 0;
		uint64	   *t;

		if (count[d][(a[0] >> shift[d]) & 0x7FF] == n)
			continue;			/* every key has this digit: nothing moves */
		CHECK_FOR_INTERRUPTS();
		for (int v = 0; v < 2048; v++)
		{
			int64		c = count[d][v];

			count[d][v] = offset;
			offset += c;
		}
		for (int64 i = 0; i < n; i++)
		{
			uint64		k = src[i];

			dst[count[d][(k >> shift[d]) & 0x7FF]++] = k;
		}
		t = src;
		src = dst;
		dst = t;
	}
	return src;
}

/* A point of a long run, with what orders it nearly exactly */
typedef struct RunKey
{
	double		u;				/* u rounded once */
	double		rest;			/* u minus that, rounded once */
	uint64		packed;
} RunKey;

/* Run keys by (u, rest): a stable merge sort's order */
static inline bool
run_key_before(const RunKey *a, const RunKey *b)
{
	return a->u < b->u || (a->u == b->u && a->rest < b->rest);
}

/*
 * Keys of one run, equal in their high bits (u rounded, then cut short):
 * into the exact order of their points, stably.  A short run by insertion
 * with the exact comparison.  A long one (integer y at a slope near 0:
 * every point of one y) first by a stable merge sort on u rounded and on
 * what rounding left, (y - u) - theta x rounded once, which is the exact
 * order but where rounding ties or y - u is not exact; then the same
 * insertion, which only moves what that order got wrong.
 */
static void
sort_run(Selector *sel, double theta, uint64 *run, int64 len, uint64 *tmp)
{
	uint64		mask = ((uint64) 1 << sel->pos_bits) - 1;

	(void) tmp;
	if (len > 16)
	{
		RunKey	   *k = palloc(sizeof(RunKey) * len),
				   *t = palloc(sizeof(RunKey) * len);

		for (int64 i = 0; i < len; i++)
		{
			Pos			p = (Pos) (run[i] & mask);
			double		u = fma(-theta, sel->x[p], sel->y[p]);

			k[i].u = u;
			k[i].rest = fma(-theta, sel->x[p], sel->y[p] - u);
			k[i].packed = run[i];
		}
		for (int64 width = 1; width < len; width *= 2)
		{
			RunKey	   *swap;

			CHECK_FOR_INTERRUPTS();
			for (int64 lo = 0; lo < len; lo += 2 * width)
			{
				int64		mid = Min(lo + width, len),
							hi = Min(lo + 2 * width, len),
							i = lo,
							j = mid,
							o = lo;

				while (i < mid && j < hi)
					t[o++] = run_key_before(&k[j], &k[i]) ? k[j++] : k[i++];
				while (i < mid)
					t[o++] = k[i++];
				while (j < hi)
					t[o++] = k[j++];
			}
			swap = k;
			k = t;
			t = swap;
		}
		for (int64 i = 0; i < len; i++)
			run[i] = k[i].packed;
		pfree(k);
		pfree(t);
	}
	for (int64 i = 1; i < len; i++)
	{
		uint64		v = run[i];
		int64		j = i;

		while (j > 0 && compare_at(sel, theta, (Pos) (run[j - 1] & mask), (Pos) (v & mask)) > 0)
		{
			run[j] = run[j - 1];
			j--;
		}
		run[j] = v;
	}
}

/*
 * The points' exact order at a finite theta, into order: u rounded once
 * (keeping order), its high bits over the point's position, radix-sorted;
 * runs of equal high bits (u equal, or close, when rounded) sorted exactly
 */
static void
order_at(Selector *sel, double theta, Pos *order)
{
	const double *x = sel->x,
			   *y = sel->y;
	int64		n = sel->n;
	int			low = sel->pos_bits;
	uint64		mask = ((uint64) 1 << low) - 1;
	uint64	   *a = sel->keys,
			   *s,
			   *other;

	for (int64 i = 0; i < n; i++)
	{
		Pos			p = sel->by_x_desc[i];

		a[i] = (u_key(fma(-theta, x[p], y[p])) & ~mask) | p;
	}
	s = radix_sort_packed(a, sel->keys_tmp, n, low);
	other = (s == a) ? sel->keys_tmp : a;
	for (int64 i = 0; i < n;)
	{
		int64		j = i + 1;

		while (j < n && (s[j] >> low) == (s[i] >> low))
			j++;
		if (j - i > 1)
			sort_run(sel, theta, s + i, j - i, other);
		i = j;
	}
	for (int64 i = 0; i < n; i++)
		order[i] = (Pos) (s[i] & mask);
}

/*
 * The inversions of a[0..n-1] (a permutation): runs of 16 by insertion,
 * then a bottom-up merge sort alternating between a and tmp, branch-free
 */
static int64
count_inversions(Pos *a, Pos *tmp, int64 n)
{
	int64		count = 0;
	Pos		   *src = a,
			   *dst = tmp;

	for (int64 lo = 0; lo < n; lo += 16)
	{
		int64		hi = Min(lo + 16, n);

		for (int64 i = lo + 1; i < hi; i++)
		{
			Pos			v = a[i];
			int64		j = i;

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
		Pos		   *t;

		CHECK_FOR_INTERRUPTS();
		for (int64 lo = 0; lo < n; lo += 2 * width)
		{
			const Pos  *i = src + lo,
					   *mid = src + Min(lo + width, n),
					   *j = mid,
					   *hi = src + Min(lo + 2 * width, n);
			Pos		   *k = dst + lo;

			if (i < mid && j < hi)
			{
				Pos			l = *i,
							r = *j;

				for (;;)
				{
					int64		right = r < l;

					*k++ = right ? r : l;
					count += (mid - i) & -right;
					i += 1 - right;
					j += right;
					if (i == mid || j == hi)
						break;
					l = *i;
					r = *j;
				}
			}
			while (i < mid)
				*k++ = *i++;
			while (j < hi)
				*k++ = *j++;
		}
		t = src;
		src = dst;
		dst = t;
	}
	return count;
}

/*
 * What a merge sort of one order against another hands out: pairs of
 * points (their positions, packed in 64 bits), every one or at sampled
 * ranks, later made slopes by pairs_to_slopes
 */
typedef struct Emit
{
	const Pos  *map;			/* a value of the sequence: the point map[value] */
	uint64	   *out;
	int64		nout;
	int64		capacity;
	int64		dropped;		/* pairs beyond the capacity */
	bool		all;			/* every inversion, or those at sampled ranks: */
	int64		next;			/* the next rank to hand out */
	int64		stratum;		/* one rank drawn in each stratum of width */
	double		width;
	int64		total;			/* the inversions, when known (else -1) */
	pg_prng_state *prng;
} Emit;

static inline void
emit_pair(Emit *e, Pos a, Pos b)
{
	if (e->nout < e->capacity)
		e->out[e->nout++] = ((uint64) e->map[a] << 32) | e->map[b];
	else
		e->dropped++;
}

/* A number in 0..n-1 from the generator (n below 2^53) */
static inline int64
random_below(pg_prng_state *prng, int64 n)
{
	return (int64) ((double) (pg_prng_uint64(prng) >> 11) * (double) n / 9007199254740992.0);
}

/*
 * The next sampled rank: one drawn uniformly in each stratum (of the
 * inversions, when their number is known; else as far as they go)
 */
static void
emit_next_rank(Emit *e)
{
	for (;;)
	{
		int64		start = (int64) ((double) e->stratum * e->width),
					end = (int64) ((double) (e->stratum + 1) * e->width);

		if (e->total >= 0 && start >= e->total)
		{
			e->next = PG_INT64_MAX;
			return;
		}
		e->stratum++;
		if (e->total >= 0)
			end = Min(end, e->total);
		if (end > start && start >= e->next)
		{
			e->next = start + random_below(e->prng, end - start);
			return;
		}
	}
}

/* The inversions of a[0..n-1] handed to e, and counted: as count_inversions */
static int64
merge_emit(Pos *a, Pos *tmp, int64 n, Emit *e)
{
	int64		count = 0;
	Pos		   *src = a,
			   *dst = tmp;

	for (int64 lo = 0; lo < n; lo += 16)
	{
		int64		hi = Min(lo + 16, n);

		for (int64 i = lo + 1; i < hi; i++)
		{
			Pos			v = a[i];
			int64		j = i;

			while (j > lo && a[j - 1] > v)
			{
				if (e->all)
					emit_pair(e, a[j - 1], v);
				else if (count == e->next)
				{
					emit_pair(e, a[j - 1], v);
					emit_next_rank(e);
				}
				count++;
				a[j] = a[j - 1];
				j--;
			}
			a[j] = v;
		}
	}
	for (int64 width = 16; width < n; width *= 2)
	{
		Pos		   *t;

		CHECK_FOR_INTERRUPTS();
		for (int64 lo = 0; lo < n; lo += 2 * width)
		{
			int64		mid = Min(lo + width, n),
						hi = Min(lo + 2 * width, n),
						i = lo,
						j = mid,
						k = lo;

			if (e->all)
				while (i < mid && j < hi)
				{
					if (src[j] < src[i])
					{
						/* src[j] is below each of src[i..mid-1] */
						for (int64 q = i; q < mid; q++)
							emit_pair(e, src[q], src[j]);
						count += mid - i;
						dst[k++] = src[j++];
					}
					else
						dst[k++] = src[i++];
				}
			else
				while (i < mid && j < hi)
				{
					Pos			l = src[i],
								r = src[j];
					int64		right = r < l;
					/* r is below each of src[i..mid-1]: so many inversions */
					int64		run = (mid - i) & -right;

					/* the next rank is never below count: only when right */
					if (unlikely(count + run > e->next))
						while (e->next < count + run)
						{
							emit_pair(e, src[i + (e->next - count)], r);
							emit_next_rank(e);
						}
					count += run;
					dst[k++] = right ? r : l;
					i += 1 - right;
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
	return count;
}

/*
 * The pairs v[0..m-1] (positions packed by emit_pair) made their slopes,
 * in place, +0 (not -0) when flat; the points fetched ahead
 */
static void
pairs_to_slopes(const Selector *sel, double *v, int64 m)
{
	const double *x = sel->x,
			   *y = sel->y;

	for (int64 i = 0; i < m; i++)
	{
		uint64		pq;
		Pos			p,
					q;

		if (i + 16 < m)
		{
			memcpy(&pq, &v[i + 16], sizeof(pq));
			__builtin_prefetch(&x[pq >> 32]);
			__builtin_prefetch(&y[pq >> 32]);
			__builtin_prefetch(&x[pq & 0xFFFFFFFF]);
			__builtin_prefetch(&y[pq & 0xFFFFFFFF]);
		}
		memcpy(&pq, &v[i], sizeof(pq));
		p = (Pos) (pq >> 32);
		q = (Pos) (pq & 0xFFFFFFFF);
		v[i] = (y[q] - y[p]) / (x[q] - x[p]) + 0.0;
	}
}

/* An order array of n, from the pool or new */
static Pos *
order_get(Selector *sel)
{
	if (sel->npool > 0)
		return sel->pool[--sel->npool];
	return robust_alloc(sizeof(Pos) * sel->n);
}

/* A cut at theta with its count, its order not computed yet */
static Cut *
cut_new(double theta, int64 count)
{
	Cut		   *c = palloc(sizeof(Cut));

	c->theta = theta;
	c->count = count;
	c->order = NULL;
	c->own = false;
	c->refs = 1;
	return c;
}

static void
cut_release(Selector *sel, Cut *c)
{
	if (--c->refs == 0)
	{
		if (c->own)
		{
			if (sel->npool < ORDER_POOL)
				sel->pool[sel->npool++] = c->order;
			else
				pfree(c->order);
		}
		pfree(c);
	}
}

/* The cut's order, computed if it is not yet */
static Pos *
cut_order(Selector *sel, Cut *c)
{
	if (c->order == NULL)
	{
		if (c->theta == -INFINITY)
			c->order = sel->identity;
		else if (c->theta == INFINITY)
			c->order = sel->by_x_desc;
		else
		{
			c->order = order_get(sel);
			c->own = true;
			order_at(sel, c->theta, c->order);
		}
	}
	return c->order;
}

/* A cut at a finite theta: its order, and the slopes at or below it counted */
static Cut *
cut_count(Selector *sel, double theta)
{
	Cut		   *c = cut_new(theta, 0);

	cut_order(sel, c);
	memcpy(sel->seq, c->order, sizeof(Pos) * sel->n);
	c->count = count_inversions(sel->seq, sel->seq_tmp, sel->n);
	return c;
}

/*
 * The sequence whose inversions are the slopes in (lo, hi]: each point's
 * place in lo's order, read in hi's order, into sel->seq
 */
static void
bracket_sequence(Selector *sel, Cut *lo, Cut *hi)
{
	Pos		   *olo = cut_order(sel, lo),
			   *ohi = cut_order(sel, hi);

	for (int64 i = 0; i < sel->n; i++)
		sel->rank[olo[i]] = (Pos) i;
	for (int64 i = 0; i < sel->n; i++)
		sel->seq[i] = sel->rank[ohi[i]];
}

/* The generator seeded for a bracket and ranks: the same draws whatever came before */
static void
seed_for(Selector *sel, const Cut *lo, const Cut *hi, const int64 *ranks, int count)
{
	uint64		seed = UINT64CONST(0x27001) ^ (uint64) sel->n;

	seed = seed * UINT64CONST(0x9E3779B97F4A7C15) + (uint64) lo->count;
	seed = seed * UINT64CONST(0x9E3779B97F4A7C15) + (uint64) hi->count;
	for (int i = 0; i < count; i++)
		seed = seed * UINT64CONST(0x9E3779B97F4A7C15) + (uint64) ranks[i];
	pg_prng_seed(&sel->prng, seed);
}

/*
 * Up to m slopes drawn uniformly from the bracket (lo, hi], into sel->buf:
 * one in each of m equal parts of its pairs, or, for all pairs, each drawn
 * directly (equal x drawn again).  When hi is not counted yet, the merge
 * sort that samples counts it, the parts sized by the estimate of the
 * bracket's slopes given.
 */
static int64
sample_bracket(Selector *sel, Cut *lo, Cut *hi, int64 m, int64 estimate)
{
	Emit		e;
	int64		total;

	Assert(lo->count >= 0);
	if (lo->theta == -INFINITY && hi->theta == INFINITY &&
		sel->pairs >= sel->n * (sel->n - 1) / 4)
	{
		const double *x = sel->x,
				   *y = sel->y;

		m = Min(Min(m, sel->pairs), sel->buf_size);
		for (int64 t = 0; t < m; t++)
		{
			int64		i = random_below(&sel->prng, sel->n),
						j = random_below(&sel->prng, sel->n);
			uint64		pq = ((uint64) i << 32) | (uint64) j;

			memcpy(&sel->buf[t], &pq, sizeof(pq));
		}
		pairs_to_slopes(sel, sel->buf, m);
		for (int64 t = 0; t < m; t++)
			if (!isfinite(sel->buf[t]))
			{
				/* equal x (a slope of 0 / 0 or infinite): drawn again */
				int64		i,
							j;

				do
				{
					i = random_below(&sel->prng, sel->n);
					j = random_below(&sel->prng, sel->n);
				} while (x[i] == x[j]);
				sel->buf[t] = (y[j] - y[i]) / (x[j] - x[i]) + 0.0;
			}
		return m;
	}
	total = hi->count >= 0 ? hi->count - lo->count : Max(estimate, 1);
	m = Max(Min(Min(m, total), sel->buf_size), 1);
	bracket_sequence(sel, lo, hi);
	e.map = lo->order;
	e.out = (uint64 *) sel->buf;
	e.nout = 0;
	e.capacity = hi->count >= 0 ? m : sel->buf_size;
	e.dropped = 0;
	e.all = false;
	e.next = 0;
	e.stratum = 0;
	e.width = (double) total / (double) m;
	e.total = hi->count >= 0 ? total : -1;
	e.prng = &sel->prng;
	emit_next_rank(&e);
	total = merge_emit(sel->seq, sel->seq_tmp, sel->n, &e);
	if (hi->count < 0)
	{
		hi->count = lo->count + total;
		if (e.dropped > 0)
			return sample_bracket(sel, lo, hi, m, 0);	/* the estimate was far out */
	}
	pairs_to_slopes(sel, sel->buf, e.nout);
	return e.nout;
}

/*
 * Every slope of the bracket (lo, hi], then the ranks among them.  When hi
 * is not counted yet, the merge sort counts it; false (and no value) when
 * the bracket holds more slopes than sel->buf or misses a rank.
 */
static bool
list_bracket(Selector *sel, Cut *lo, Cut *hi, const int64 *ranks, double *values, int count)
{
	int64		slopes = hi->count - lo->count;
	int64		local[MAX_RANKS];
	double	   *v = sel->buf;
	Emit		e;

	Assert(lo->count >= 0);
	if (hi->count >= 0 && slopes > sel->buf_size)
		v = robust_alloc(sizeof(double) * slopes);
	bracket_sequence(sel, lo, hi);
	e.map = lo->order;
	e.out = (uint64 *) v;
	e.nout = 0;
	e.capacity = hi->count >= 0 ? Max(slopes, 0) : sel->buf_size;
	e.dropped = 0;
	e.all = true;
	slopes = merge_emit(sel->seq, sel->seq_tmp, sel->n, &e);
	if (hi->count < 0)
		hi->count = lo->count + slopes;
	if (e.dropped > 0 || lo->count > ranks[0] || hi->count <= ranks[count - 1])
	{
		Assert(v == sel->buf);
		return false;
	}
	pairs_to_slopes(sel, v, e.nout);
	for (int i = 0; i < count; i++)
		local[i] = ranks[i] - lo->count;
	if (e.nout > 0)
		select_ranks_of(v, e.nout, local, values, count);
	else
		for (int i = 0; i < count; i++)
			values[i] = hi->theta;	/* cannot be: the bracket holds the ranks */
	if (v != sel->buf)
		pfree(v);
	return true;
}

/* theta moved by steps units in the last place (down for steps < 0) */
static double
ulps_from(double theta, int steps)
{
	for (int i = 0; i < abs(steps); i++)
		theta = nextafter(theta, steps < 0 ? -INFINITY : INFINITY);
	return theta;
}

/* The inverse of u_key */
static inline double
from_u_key(uint64 key)
{
	uint64		bits = (key >> 63) ? key & ~((uint64) 1 << 63) : ~key;
	double		d;

	memcpy(&d, &bits, sizeof(d));
	return d;
}

/* The double halfway between two in their order (the ends taken as +-DBL_MAX) */
static double
midpoint_key(double lo, double hi)
{
	uint64		a = u_key(Max(lo, -DBL_MAX)),
				b = u_key(Min(hi, DBL_MAX));

	return from_u_key(a + (b - a) / 2);
}

/* cuts sorted by count, then theta: qsort order */
static int
cut_cmp(const void *a, const void *b)
{
	const Cut  *p = *(Cut *const *) a,
			   *q = *(Cut *const *) b;

	if (p->count != q->count)
		return p->count < q->count ? -1 : 1;
	if (p->theta != q->theta)
		return p->theta < q->theta ? -1 : 1;
	return 0;
}

/* The ranks that share a bracket: cuts[a] and cuts[a + 1], ranks first..last-1 */
typedef struct RankGroup
{
	int			a;
	int			first;
	int			last;
} RankGroup;

/*
 * Each rank between the nearest cuts (cuts[0..ncuts-1] sorted, the first
 * at or below every rank, the last above): the last cut whose count is at
 * most the rank and the next one.  Ranks with the same two go together.
 */
static int
group_ranks(Cut **cuts, int ncuts, const int64 *ranks, int count, RankGroup *groups)
{
	int			ngroups = 0;

	for (int first = 0; first < count;)
	{
		int			a = 0,
					last = first + 1;

		while (a + 2 < ncuts && cuts[a + 1]->count <= ranks[first])
			a++;
		while (last < count && ranks[last] < cuts[a + 1]->count)
			last++;
		groups[ngroups].a = a;
		groups[ngroups].first = first;
		groups[ngroups].last = last;
		ngroups++;
		first = last;
	}
	return ngroups;
}

/* No double between two cuts' slopes */
static bool
cuts_adjacent(const Cut *lo, const Cut *hi)
{
	return isfinite(lo->theta) && isfinite(hi->theta) && nextafter(lo->theta, INFINITY) >= hi->theta;
}

/*
 * Sample positions around each rank of a bracket holding slopes slopes,
 * for a sample of m: want[3i] and want[3i + 2] a few standard deviations
 * below and above rank i, want[3i + 1] where it is expected
 */
static void
sample_positions(const int64 *ranks, int count, int64 base, int64 slopes, int64 m, int64 *want)
{
	for (int i = 0; i < count; i++)
	{
		double		q = ((double) (ranks[i] - base) + 0.5) / (double) slopes,
					e = q * (double) m,
					h = SAMPLE_MARGIN * sqrt((double) m * q * (1 - q)) + 1;

		want[3 * i] = (int64) floor(e - h);
		want[3 * i + 1] = Min((int64) e, m - 1);
		want[3 * i + 2] = (int64) ceil(e + h);
	}
}

/* The sampled slopes at positions want[0..nwant-1] (any order; outside 0..m-1 clipped) */
static void
sample_values(Selector *sel, int64 m, const int64 *want, int nwant, double *got)
{
	int64		sorted[3 * MAX_RANKS];
	double		values[3 * MAX_RANKS];

	memcpy(sorted, want, sizeof(int64) * nwant);
	for (int i = 1; i < nwant; i++)
		for (int j = i; j > 0 && sorted[j - 1] > sorted[j]; j--)
		{
			int64		t = sorted[j];

			sorted[j] = sorted[j - 1];
			sorted[j - 1] = t;
		}
	select_ranks_of(sel->buf, m, sorted, values, nwant);
	for (int i = 0; i < nwant; i++)
		for (int j = 0; j < nwant; j++)
			if (sorted[j] == want[i])
			{
				got[i] = values[j];
				break;
			}
}

/*
 * The order statistics ranks[0..count-1] (ascending, count <= MAX_RANKS)
 * of the slopes, which lie in the bracket (lo, hi].  A loop of rounds that
 * narrow the bracket; ranks that part go on in calls of their own.  hi
 * may not be counted yet: listing the bracket counts it, and false (no
 * value) means that the bracket does not hold the ranks after all.
 */
static bool
select_in(Selector *sel, Cut *lo, Cut *hi, const int64 *ranks, double *values, int count,
		  bool bisect)
{
	int			poor = 0;

	if (lo->count > ranks[0])
		return false;
	if (hi->count < 0 && list_bracket(sel, lo, hi, ranks, values, count))
		return true;
	if (hi->count <= ranks[count - 1])
		return false;
	lo->refs++;
	hi->refs++;
	for (;;)
	{
		int64		slopes = hi->count - lo->count;
		Cut		   *cuts[4 + 2 * MAX_RANKS];
		RankGroup	groups[MAX_RANKS];
		double		center[MAX_RANKS];
		int			ncuts = 0,
					ngroups;
		Cut		   *nlo,
				   *nhi;
		bool		progress;

		CHECK_FOR_INTERRUPTS();
		if (slopes <= sel->list_limit)
		{
			(void) list_bracket(sel, lo, hi, ranks, values, count);
			break;
		}
		seed_for(sel, lo, hi, ranks, count);
		cuts[ncuts++] = lo;
		cuts[ncuts++] = hi;
		if (bisect || poor >= POOR_ROUNDS)
		{
			bisect = true;
			if (cuts_adjacent(lo, hi))
			{
				/*
				 * No double left between: more slopes than can be listed,
				 * all within a unit in the last place (a line, say).  The
				 * sampled slope at each rank (their computed slopes round
				 * one way or the other); the bracket is the only one of
				 * adjacent doubles around the rank, and the sample's seed
				 * is of it and the rank.
				 */
				for (int i = 0; i < count; i++)
				{
					int64		m,
								at;

					seed_for(sel, lo, hi, ranks + i, 1);
					m = sample_bracket(sel, lo, hi, sel->sample_size, 0);
					at = (int64) (((double) (ranks[i] - lo->count) + 0.5) / (double) slopes * (double) m);
					select_ranks_of(sel->buf, m, &at, &values[i], 1);
				}
				break;
			}
			/* halve the bracket's values */
			cuts[ncuts++] = cut_count(sel, midpoint_key(lo->theta, hi->theta));
		}
		else
		{
			/* a sample of the bracket, and its slopes either side of each rank */
			int64		m = sample_bracket(sel, lo, hi, sel->sample_size, 0);
			int64		want[3 * MAX_RANKS];
			double		got[3 * MAX_RANKS];

			sample_positions(ranks, count, lo->count, slopes, m, want);
			sample_values(sel, m, want, 3 * count, got);
			for (int i = 0; i < 3 * count; i++)
			{
				double		v = got[i];
				/* the outer ends of overlapping ranges only */
				bool		inner = (i % 3 == 0 && i > 0 && want[i] <= want[i - 1]) ||
					(i % 3 == 2 && i + 1 < 3 * count && want[i] >= want[i + 1]);
				bool		known = false;

				if (i % 3 == 1)
				{
					center[i / 3] = v;
					continue;
				}
				if (inner || want[i] < 0 || want[i] >= m || !(v > lo->theta && v < hi->theta))
					continue;
				for (int c = 2; c < ncuts; c++)
					known |= cuts[c]->theta == v;
				if (!known)
					cuts[ncuts++] = cut_count(sel, v);
			}
		}
		qsort(cuts, ncuts, sizeof(Cut *), cut_cmp);
		ngroups = group_ranks(cuts, ncuts, ranks, count, groups);
		if (ngroups > 1)
		{
			for (int g = 0; g < ngroups; g++)
				(void) select_in(sel, cuts[groups[g].a], cuts[groups[g].a + 1],
								 ranks + groups[g].first, values + groups[g].first,
								 groups[g].last - groups[g].first, bisect);
			for (int i = 0; i < ncuts; i++)
				if (cuts[i] != lo && cuts[i] != hi)
					cut_release(sel, cuts[i]);
			break;
		}
		nlo = cuts[groups[0].a];
		nhi = cuts[groups[0].a + 1];
		progress = bisect ? (nlo->theta > lo->theta || nhi->theta < hi->theta) :
			(nlo->count > lo->count || nhi->count < hi->count);
		if (!progress && count > 1)
		{
			/* the ranks sit in a run of equal or all but equal slopes: one at a time */
			for (int i = 0; i < count; i++)
				(void) select_in(sel, lo, hi, ranks + i, values + i, 1, false);
			for (int i = 0; i < ncuts; i++)
				if (cuts[i] != lo && cuts[i] != hi)
					cut_release(sel, cuts[i]);
			break;
		}
		if (!progress)
		{
			/*
			 * The rank sits in a run of equal or all but equal slopes.  The
			 * sampled slope at the rank is within rounding of a slope of
			 * the bracket, so cuts a few units in the last place either
			 * side of it bracket the rank or move a bound; bisection
			 * follows.
			 */
			double		below = ulps_from(center[0], -SLOPE_ULPS),
						above = ulps_from(center[0], SLOPE_ULPS);

			if (below > lo->theta && below < hi->theta)
				cuts[ncuts++] = cut_count(sel, below);
			if (above > lo->theta && above < hi->theta)
				cuts[ncuts++] = cut_count(sel, above);
			qsort(cuts, ncuts, sizeof(Cut *), cut_cmp);
			(void) group_ranks(cuts, ncuts, ranks, count, groups);
			nlo = cuts[groups[0].a];
			nhi = cuts[groups[0].a + 1];
			bisect = true;
		}
		if (!bisect)
			poor = (nhi->count - nlo->count > slopes / 2) ? poor + 1 : 0;
		nlo->refs++;
		nhi->refs++;
		for (int i = 0; i < ncuts; i++)
			if (cuts[i] != lo && cuts[i] != hi)
				cut_release(sel, cuts[i]);
		cut_release(sel, lo);
		cut_release(sel, hi);
		lo = nlo;
		hi = nhi;
	}
	cut_release(sel, lo);
	cut_release(sel, hi);
	return true;
}

/* The points in x descending: groups of equal x from the largest, each in (x, y) order */
static void
order_x_desc(const double *x, int64 n, Pos *out)
{
	int64		k = 0;

	for (int64 end = n; end > 0;)
	{
		int64		start = end - 1;

		while (start > 0 && x[start - 1] == x[end - 1])
			start--;
		for (int64 q = start; q < end; q++)
			out[k++] = (Pos) q;
		end = start;
	}
}

/* A selector over a state's points, its arrays allocated */
static void
selector_init(Selector *sel, const TrendRobust *r)
{
	int64		n = r->n;
	Size		area;

	sel->x = ROBUST_X(r);
	sel->y = ROBUST_Y(r);
	sel->n = n;
	sel->pairs = sen_pairs(r);
	sel->sample_size = SAMPLE_SIZE(n);
	sel->first_sample_size = FIRST_SAMPLE_SIZE(n);
	sel->list_limit = LIST_LIMIT(n);
	sel->buf_size = Max(Max(sel->sample_size, sel->first_sample_size), sel->list_limit);
	area = Max(sizeof(double) * sel->buf_size, 2 * sizeof(uint64) * n);
	sel->buf = robust_alloc(area);
	sel->keys = (uint64 *) sel->buf;
	sel->keys_tmp = sel->keys + n;
	sel->pos_bits = 1;
	while (((int64) 1 << sel->pos_bits) < n)
		sel->pos_bits++;
	sel->by_x_desc = robust_alloc(sizeof(Pos) * n);
	sel->seq = robust_alloc(sizeof(Pos) * n);
	sel->seq_tmp = robust_alloc(sizeof(Pos) * n);
	sel->rank = robust_alloc(sizeof(Pos) * n);
	sel->identity = robust_alloc(sizeof(Pos) * n);
	sel->npool = 0;
	order_x_desc(ROBUST_X(r), n, sel->by_x_desc);
	for (int64 i = 0; i < n; i++)
		sel->identity[i] = (Pos) i;
}

static void
selector_free(Selector *sel)
{
	pfree(sel->buf);
	pfree(sel->by_x_desc);
	pfree(sel->seq);
	pfree(sel->seq_tmp);
	pfree(sel->rank);
	pfree(sel->identity);
	while (sel->npool > 0)
		pfree(sel->pool[--sel->npool]);
}

/*
 * The cuts every selection of a state's Sen's slope and 95 % bounds starts
 * from, computed once and kept with the state's results (see sen_plan)
 */
typedef struct SenPlan
{
	/* round 1: a bracket around all the targets, counted (-inf, +inf: none) */
	double		a1;
	double		b1;
	int64		count_a1;
	int64		count_b1;
	/* round 2: a bracket of slopes for each group of targets, not counted */
	int			ngroups;
	int64		first[MAX_RANKS];	/* the group's ranks, first..last */
	int64		last[MAX_RANKS];
	double		a[MAX_RANKS];
	double		b[MAX_RANKS];
} SenPlan;

/*
 * The plan of the target ranks[0..count-1] (Sen's slope and its 95 %
 * bounds): two rounds of the selection made once for all of them, so that
 * slope, slope_lower and slope_upper, each in a call of its own (verdict,
 * trend_report), share them.  Round 1 draws pairs at random and cuts at the
 * sampled slopes below the lowest target and above the highest; round 2
 * samples that bracket (its merge sort counting the upper cut), and keeps
 * for each group of nearby targets the sampled slopes either side of it,
 * which a selection counts when it needs them.  A pure function of the
 * points (seeds of the points' count and the ranks).
 */
static void
sen_plan(Selector *sel, const int64 *ranks, int count, SenPlan *plan)
{
	Cut		   *lo = cut_new(-INFINITY, 0),
			   *hi = cut_new(INFINITY, sel->pairs),
			   *a,
			   *b;
	int64		want[3 * MAX_RANKS],
				ends[2],
				m,
				estimate;
	double		got[3 * MAX_RANKS];
	int			g;

	/* round 1: a direct sample, and its slopes below and above the targets */
	seed_for(sel, lo, hi, ranks, count);
	m = sample_bracket(sel, lo, hi, sel->first_sample_size, 0);
	sample_positions(ranks, count, 0, sel->pairs, m, want);
	ends[0] = want[0];
	ends[1] = want[3 * count - 1];
	sample_values(sel, m, ends, 2, got);
	a = (ends[0] >= 0 && isfinite(got[0])) ? cut_count(sel, got[0]) : lo;
	b = NULL;
	if (a != lo && a->count > ranks[0])
	{
		/* the sample missed (a run of equal slopes, say): above every target? */
		if (a->count > ranks[count - 1])
			b = a;
		else
			cut_release(sel, a);
		a = lo;
	}
	if (b == NULL)
		b = (ends[1] < m && isfinite(got[1]) && got[1] > a->theta) ? cut_new(got[1], -1) : hi;
	/* the bracket's slopes estimated from the sample's in it */
	estimate = 0;
	for (int64 i = 0; i < m; i++)
		estimate += sel->buf[i] > a->theta && sel->buf[i] <= b->theta;
	estimate = (int64) ((double) (estimate + 1) / (double) m * (double) sel->pairs);

	/* round 2: one sample of the bracket, which counts b */
	seed_for(sel, a, hi, ranks, count);
	m = sample_bracket(sel, a, b, sel->sample_size, estimate);
	if (b->count <= ranks[count - 1])
	{
		cut_release(sel, b);	/* the sample missed: no upper cut */
		b = hi;
		m = sample_bracket(sel, a, b, sel->sample_size, 0);
	}
	plan->a1 = a->theta;
	plan->b1 = b->theta;
	plan->count_a1 = a->count;
	plan->count_b1 = b->count;
	plan->ngroups = 0;
	if (b->count - a->count > sel->list_limit)
	{
		sample_positions(ranks, count, a->count, b->count - a->count, m, want);
		sample_values(sel, m, want, 3 * count, got);
	}
	for (int i = 0; i < count; i = g)
	{
		int			k = plan->ngroups++;

		/* targets whose ranges overlap go together */
		for (g = i + 1; g < count && b->count - a->count > sel->list_limit &&
			 want[3 * g] <= want[3 * g - 1]; g++)
			;
		plan->first[k] = ranks[i];
		plan->last[k] = ranks[g - 1];
		plan->a[k] = plan->a1;
		plan->b[k] = plan->b1;
		if (b->count - a->count > sel->list_limit)
		{
			double		va = got[3 * i],
						vb = got[3 * (g - 1) + 2];

			if (want[3 * i] >= 0 && va > a->theta && va < b->theta)
				plan->a[k] = va;
			if (want[3 * (g - 1) + 2] < m && vb > a->theta && vb < b->theta && vb > plan->a[k])
				plan->b[k] = vb;
		}
	}
	if (a != lo)
		cut_release(sel, a);
	if (b != hi)
		cut_release(sel, b);
	cut_release(sel, lo);
	cut_release(sel, hi);
}

/*
 * The order statistics ranks[0..count-1] (0-based, ascending, count <=
 * MAX_RANKS) of the slopes: every slope listed up to PAIR_LIMIT pairs,
 * selected beyond, starting from the plan's cuts when one is given: for
 * each group of its targets that holds ranks, its lower cut counted and
 * its upper one counted by listing the bracket; any rank that bracket
 * does not hold, from the nearest cuts counted.  The path taken depends on
 * the points, the ranks and the plan (itself a function of the points)
 * only.
 */
static void
select_slopes(const TrendRobust *r, Selector *sel, const SenPlan *plan, const int64 *ranks,
			  double *values, int count)
{
	Cut		   *cuts[4 + 2 * MAX_RANKS];
	int			ncuts = 0,
				ngroups,
				nleft = 0;
	RankGroup	groups[MAX_RANKS];
	int64		left[MAX_RANKS];
	int			left_at[MAX_RANKS];
	double		found[MAX_RANKS];

	if (sen_pairs(r) <= PAIR_LIMIT)
	{
		int64		m;
		double	   *slopes = all_slopes(r, &m);

		select_ranks_of(slopes, m, ranks, values, count);
		pfree(slopes);
		return;
	}
	cuts[ncuts++] = cut_new(-INFINITY, 0);
	cuts[ncuts++] = cut_new(INFINITY, sel->pairs);
	if (plan == NULL)
	{
		for (int i = 0; i < count; i++)
		{
			left_at[nleft] = i;
			left[nleft++] = ranks[i];
		}
	}
	else
	{
		Cut		   *a1 = NULL,
				   *b1 = NULL;

		if (isfinite(plan->a1))
			cuts[ncuts++] = a1 = cut_new(plan->a1, plan->count_a1);
		if (isfinite(plan->b1))
			cuts[ncuts++] = b1 = cut_new(plan->b1, plan->count_b1);
		for (int i = 0; i < count;)
		{
			int			k = 0,
						j = i + 1;
			Cut		   *lo,
					   *hi;

			/* the plan's group of rank i, and the ranks in it */
			while (k < plan->ngroups && ranks[i] > plan->last[k])
				k++;
			if (k == plan->ngroups || ranks[i] < plan->first[k])
			{
				/* not a target: from the round 1 cuts */
				left_at[nleft] = i;
				left[nleft++] = ranks[i];
				i++;
				continue;
			}
			while (j < count && ranks[j] <= plan->last[k])
				j++;
			lo = plan->a[k] == plan->a1 ? (a1 != NULL ? a1 : cuts[0]) :
				(cuts[ncuts++] = cut_count(sel, plan->a[k]));
			hi = plan->b[k] == plan->b1 ? (b1 != NULL ? b1 : cuts[1]) :
				(cuts[ncuts++] = cut_new(plan->b[k], -1));
			if (!select_in(sel, lo, hi, ranks + i, values + i, j - i, false))
				for (int q = i; q < j; q++)
				{
					left_at[nleft] = q;
					left[nleft++] = ranks[q];
				}
			i = j;
		}
	}
	if (nleft > 0)
	{
		/* between the nearest of the cuts counted */
		int			counted = 0;

		for (int i = 0; i < ncuts; i++)
			if (cuts[i]->count >= 0)
				cuts[counted++] = cuts[i];
			else
				cut_release(sel, cuts[i]);
		ncuts = counted;
		qsort(cuts, ncuts, sizeof(Cut *), cut_cmp);
		ngroups = group_ranks(cuts, ncuts, left, nleft, groups);
		for (int g = 0; g < ngroups; g++)
			(void) select_in(sel, cuts[groups[g].a], cuts[groups[g].a + 1], left + groups[g].first,
							 found + groups[g].first, groups[g].last - groups[g].first, false);
		for (int i = 0; i < nleft; i++)
			values[left_at[i]] = found[i];
	}
	for (int i = 0; i < ncuts; i++)
		cut_release(sel, cuts[i]);
}

/* ---- The accessors of Sen's slope, and their cache ---- */

/*
 * A state as an accessor's argument: detoasted, and freed by the accessor
 * when that made a copy (a stored state of 1,000,000 points is 16 MB)
 */
static TrendRobust *
robust_arg(FunctionCallInfo fcinfo, int argno, bool *copy)
{
	Datum		d = PG_GETARG_DATUM(argno);
	TrendRobust *r = (TrendRobust *) PG_DETOAST_DATUM(d);

	*copy = (Pointer) r != DatumGetPointer(d);
	return r;
}

#define ROBUST_ARG_FREE(r, copy) \
	do { if (copy) pfree(r); } while (0)

/*
 * verdict and trend_report read slope, slope_lower and slope_upper of one
 * state, each in a call of its own; evidence_pack and fitted_at again.
 * What is selected is kept for the backend's life, a few states' worth,
 * keyed by the state's content: its counts and a 128-bit hash of its
 * points (computed once per call, O(n)), so a stored state's accessors
 * find it whatever memory the state was detoasted into.  Kept are the
 * values of the ranks asked, the medians of x and y, and each state's
 * plan (sen_plan), the first two rounds of the selection shared by Sen's
 * slope and its bounds.  What is kept saves time only: every value is the
 * one the same call would compute without it.
 */
#define CACHE_ENTRIES		8
#define CACHE_SLOPES		1	/* order statistics of the slopes */
#define CACHE_MEDIANS		2	/* median x and median y */

typedef struct RobustKey
{
	TrendAxis	axis;
	int64		n;
	int64		s;
	int64		ties_x;
	int64		ties_y;
	int64		ties_xy;
	double		var_s;
	double		var_sen;
	uint64		hash[2];
} RobustKey;

typedef struct RobustCacheEntry
{
	uint64		used;			/* when last used; 0: empty */
	RobustKey	key;
	int			kind;
	int			count;
	int64		ranks[MAX_RANKS];
	double		values[MAX_RANKS];
} RobustCacheEntry;

typedef struct RobustPlanEntry
{
	uint64		used;
	RobustKey	key;
	SenPlan		plan;
} RobustPlanEntry;

static RobustCacheEntry robust_cache[CACHE_ENTRIES];
static RobustPlanEntry robust_plans[CACHE_ENTRIES / 2];
static uint64 robust_cache_clock = 0;

/* A state's key: its counts and two 64-bit hashes of its points */
static void
robust_key(const TrendRobust *r, RobustKey *key)
{
	const double *p = r->points;
	int64		words = 2 * r->n;
	uint64		a = UINT64CONST(0x2700127001270012) ^ (uint64) words,
				b = UINT64CONST(0x9E3779B97F4A7C15) + (uint64) words;

	memset(key, 0, sizeof(RobustKey));
	key->axis = r->axis;
	key->n = r->n;
	key->s = r->s;
	key->ties_x = r->ties_x;
	key->ties_y = r->ties_y;
	key->ties_xy = r->ties_xy;
	key->var_s = r->var_s;
	key->var_sen = r->var_sen;
	for (int64 i = 0; i < words; i++)
	{
		uint64		w;

		memcpy(&w, p + i, sizeof(w));
		a = (a ^ w) * UINT64CONST(0x9E3779B97F4A7C15);
		a ^= a >> 32;
		b = (b + w) * UINT64CONST(0xBF58476D1CE4E5B9);
		b ^= b >> 29;
	}
	/* finalizers of splitmix64 */
	a = (a ^ (a >> 30)) * UINT64CONST(0xBF58476D1CE4E5B9);
	a = (a ^ (a >> 27)) * UINT64CONST(0x94D049BB133111EB);
	b = (b ^ (b >> 31)) * UINT64CONST(0xD6E8FEB86659FD93);
	b = (b ^ (b >> 32)) * UINT64CONST(0xD6E8FEB86659FD93);
	key->hash[0] = a ^ (a >> 31);
	key->hash[1] = b ^ (b >> 32);
}

/* The values kept for a state, kind and ranks, or NULL */
static RobustCacheEntry *
cache_find(const RobustKey *key, int kind, const int64 *ranks, int count)
{
	for (int i = 0; i < CACHE_ENTRIES; i++)
	{
		RobustCacheEntry *e = &robust_cache[i];

		if (e->used != 0 && e->kind == kind && e->count == count &&
			memcmp(e->ranks, ranks, sizeof(int64) * count) == 0 &&
			memcmp(&e->key, key, sizeof(RobustKey)) == 0)
		{
			e->used = ++robust_cache_clock;
			return e;
		}
	}
	return NULL;
}

/* Keep values in place of the least recently used */
static void
cache_store(const RobustKey *key, int kind, const int64 *ranks, const double *values, int count)
{
	RobustCacheEntry *e = &robust_cache[0];

	for (int i = 1; i < CACHE_ENTRIES; i++)
		if (robust_cache[i].used < e->used)
			e = &robust_cache[i];
	e->used = 0;				/* empty while it is filled */
	e->key = *key;
	e->kind = kind;
	e->count = count;
	memcpy(e->ranks, ranks, sizeof(int64) * count);
	memcpy(e->values, values, sizeof(double) * count);
	e->used = ++robust_cache_clock;
}

/* round half to even, as R and numpy */
static double
round_even(double v)
{
	return nearbyint(v);
}

/*
 * The ranks (0-based) of Sen's (1968) bounds at a level: with C = z
 * sqrt(var), the lower bound is the slope of rank round((N - C) / 2), the
 * upper of rank round((N + C) / 2) + 1 (1-based, clipped to 1..N), as
 * scipy's theilslopes and R's trend::sens.slope.  False without them.
 */
static bool
sen_bound_ranks(const TrendRobust *r, double level, int64 *lower, int64 *upper)
{
	int64		m = sen_pairs(r);
	double		c;

	if (m < 1 || !(r->var_sen >= 0))
		return false;
	c = normal_critical(level) * sqrt(r->var_sen);
	*lower = (int64) Min(Max(round_even((m - c) / 2), 1.0), (double) m) - 1;
	*upper = (int64) Min(Max(round_even((m + c) / 2) + 1, 1.0), (double) m) - 1;
	return true;
}

/* The level of the bounds a state's plan is made for (verdict's and trend_report's default) */
#define SEN_LEVEL			0.95

/*
 * The order statistics ranks[0..count-1] (ascending) of the slopes: kept,
 * or selected and kept.  Beyond the listing, from the state's plan (kept,
 * or made and kept), whose targets are Sen's slope and its bounds at
 * SEN_LEVEL.
 */
static void
sen_values(const TrendRobust *r, const RobustKey *key, const int64 *ranks, double *values,
		   int count)
{
	RobustCacheEntry *e = cache_find(key, CACHE_SLOPES, ranks, count);
	Selector	sel;
	RobustPlanEntry *pe = NULL;

	if (e != NULL)
	{
		memcpy(values, e->values, sizeof(double) * count);
		return;
	}
	if (sen_pairs(r) <= PAIR_LIMIT)
	{
		select_slopes(r, NULL, NULL, ranks, values, count);
		cache_store(key, CACHE_SLOPES, ranks, values, count);
		return;
	}
	selector_init(&sel, r);
	if (sel.pairs > sel.list_limit)
	{
		for (int i = 0; i < CACHE_ENTRIES / 2; i++)
			if (robust_plans[i].used != 0 &&
				memcmp(&robust_plans[i].key, key, sizeof(RobustKey)) == 0)
				pe = &robust_plans[i];
		if (pe == NULL)
		{
			int64		targets[MAX_RANKS],
						lower,
						upper,
						m = sel.pairs;
			int			ntargets = 0;
			bool		bounds = sen_bound_ranks(r, SEN_LEVEL, &lower, &upper);
			SenPlan		plan;

			if (bounds)
				targets[ntargets++] = lower;
			targets[ntargets++] = (m - 1) / 2;
			targets[ntargets++] = m / 2;
			if (bounds)
				targets[ntargets++] = upper;
			sen_plan(&sel, targets, ntargets, &plan);
			pe = &robust_plans[0];
			for (int i = 1; i < CACHE_ENTRIES / 2; i++)
				if (robust_plans[i].used < pe->used)
					pe = &robust_plans[i];
			pe->used = 0;
			pe->key = *key;
			pe->plan = plan;
		}
		pe->used = ++robust_cache_clock;
	}
	select_slopes(r, &sel, pe != NULL ? &pe->plan : NULL, ranks, values, count);
	selector_free(&sel);
	cache_store(key, CACHE_SLOPES, ranks, values, count);
}

/* Sen's slope per unit x: the median slope, the mean of the middle two for even counts */
static bool
sen_slope(const TrendRobust *r, const RobustKey *key, double *slope)
{
	int64		m = sen_pairs(r),
				ranks[2];
	double		values[2];

	if (m < 1)
		return false;
	ranks[0] = (m - 1) / 2;
	ranks[1] = m / 2;
	sen_values(r, key, ranks, values, 2);
	*slope = values[0] + (values[1] - values[0]) / 2;
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
	RobustKey	key;
	bool		copy,
				found;
	double		scale,
				slope = 0;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	r = robust_arg(fcinfo, 0, &copy);
	scale = robust_scale(fcinfo, r);
	robust_key(r, &key);
	found = sen_slope(r, &key, &slope);
	ROBUST_ARG_FREE(r, copy);
	if (!found)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(slope * scale);
}

/*
 * A bound of Sen's (1968) confidence interval at a level (see
 * sen_bound_ranks).  Both bounds are selected together.
 */
static Datum
sen_bound(FunctionCallInfo fcinfo, bool upper)
{
	TrendRobust *r;
	RobustKey	key;
	bool		copy,
				found;
	double		scale,
				level,
				values[2] = {0, 0};
	int64		ranks[2];

	if (PG_ARGISNULL(0) || PG_ARGISNULL(2))
		PG_RETURN_NULL();
	r = robust_arg(fcinfo, 0, &copy);
	scale = robust_scale(fcinfo, r);
	level = trend_level_arg(fcinfo, 2);
	found = sen_bound_ranks(r, level, &ranks[0], &ranks[1]);
	if (found)
	{
		robust_key(r, &key);
		sen_values(r, &key, ranks, values, 2);
	}
	ROBUST_ARG_FREE(r, copy);
	if (!found)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(values[upper ? 1 : 0] * scale);
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

/* What sen_line reads: a state and its key */
typedef struct RobustKeyed
{
	const TrendRobust *r;
	RobustKey	key;
} RobustKeyed;

/*
 * Sen's line through the medians (Conover): median(y) + slope (x -
 * median(x)), x in microseconds over time; false without a slope.
 */
static bool
sen_line(const void *state, TrendLine *line)
{
	const RobustKeyed *k = state;
	const TrendRobust *r = k->r;
	int64		none[2] = {0, 1};
	double		medians[2];
	RobustCacheEntry *e;

	if (!sen_slope(r, &k->key, &line->slope))
		return false;
	e = cache_find(&k->key, CACHE_MEDIANS, none, 2);
	if (e != NULL)
		memcpy(medians, e->values, sizeof(medians));
	else
	{
		double	   *v = robust_alloc(sizeof(double) * r->n);
		const double *x = ROBUST_X(r);

		/* x is sorted */
		medians[0] = x[(r->n - 1) / 2] + (x[r->n / 2] - x[(r->n - 1) / 2]) / 2;
		memcpy(v, ROBUST_Y(r), sizeof(double) * r->n);
		medians[1] = median_of(v, r->n);
		pfree(v);
		cache_store(&k->key, CACHE_MEDIANS, none, medians, 2);
	}
	line->x0 = medians[0];
	line->y0 = medians[1];
	return true;
}

static const TrendFit sen_fit = {sen_line, TREND_X_USECS, true, NULL};

/* fitted_at on Sen's line, at a timestamp (time) or an x */
static Datum
sen_fitted_at(FunctionCallInfo fcinfo, bool time)
{
	RobustKeyed k;
	bool		copy;
	TrendRobust *r = robust_arg(fcinfo, 0, &copy);
	Datum		result;

	k.r = r;
	robust_key(r, &k.key);
	result = trend_fitted_at(fcinfo, &r->axis, &k, &sen_fit, time);
	ROBUST_ARG_FREE(r, copy);
	return result;
}

/* Sen's line through the medians at a timestamp; NULL at an infinite one or without a slope */
PG_FUNCTION_INFO_V1(trend_robust_fitted_at_t);
Datum
trend_robust_fitted_at_t(PG_FUNCTION_ARGS)
{
	return sen_fitted_at(fcinfo, true);
}

/* Sen's line through the medians at an x, or NULL without a slope */
PG_FUNCTION_INFO_V1(trend_robust_fitted_at_x);
Datum
trend_robust_fitted_at_x(PG_FUNCTION_ARGS)
{
	return sen_fitted_at(fcinfo, false);
}

/* ---- Mann-Kendall ---- */

/* n(trend_robust): the number of points */
PG_FUNCTION_INFO_V1(trend_robust_n);
Datum
trend_robust_n(PG_FUNCTION_ARGS)
{
	bool		copy;
	TrendRobust *r = robust_arg(fcinfo, 0, &copy);
	int64		n = r->n;

	ROBUST_ARG_FREE(r, copy);
	PG_RETURN_INT64(n);
}

/* The Mann-Kendall S, or NULL below two points */
PG_FUNCTION_INFO_V1(trend_robust_mk_s);
Datum
trend_robust_mk_s(PG_FUNCTION_ARGS)
{
	bool		copy;
	TrendRobust *r = robust_arg(fcinfo, 0, &copy);
	int64		n = r->n,
				s = r->s;

	ROBUST_ARG_FREE(r, copy);
	if (n < 2)
		PG_RETURN_NULL();
	PG_RETURN_INT64(s);
}

/* The variance of S, corrected for ties in x and y, or NULL below two points */
PG_FUNCTION_INFO_V1(trend_robust_mk_var_s);
Datum
trend_robust_mk_var_s(PG_FUNCTION_ARGS)
{
	bool		copy;
	TrendRobust *r = robust_arg(fcinfo, 0, &copy);
	int64		n = r->n;
	double		var_s = r->var_s;

	ROBUST_ARG_FREE(r, copy);
	if (n < 2)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(var_s);
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
	bool		copy,
				found;
	TrendRobust *r = robust_arg(fcinfo, 0, &copy);
	double		z = 0;

	found = mk_z(r, &z);
	ROBUST_ARG_FREE(r, copy);
	if (!found)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(z);
}

/* The Mann-Kendall two-sided p of the normal approximation, or NULL when var(S) is 0 */
PG_FUNCTION_INFO_V1(trend_robust_mk_p);
Datum
trend_robust_mk_p(PG_FUNCTION_ARGS)
{
	bool		copy,
				found;
	TrendRobust *r = robust_arg(fcinfo, 0, &copy);
	double		z = 0;

	found = mk_z(r, &z);
	ROBUST_ARG_FREE(r, copy);
	if (!found)
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
	bool		copy,
				found;
	TrendRobust *r = robust_arg(fcinfo, 0, &copy);
	double		p = 0;

	found = mk_p_exact(r, &p);
	ROBUST_ARG_FREE(r, copy);
	if (!found)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(p);
}

/* Kendall's tau-b: S / sqrt((N - ties in x)(N - ties in y)) */
PG_FUNCTION_INFO_V1(trend_robust_kendall_tau_b);
Datum
trend_robust_kendall_tau_b(PG_FUNCTION_ARGS)
{
	bool		copy;
	TrendRobust *r = robust_arg(fcinfo, 0, &copy);
	int64		n = r->n,
				s = r->s,
				pairs = n * (n - 1) / 2;
	double		d = (double) (pairs - r->ties_x) * (double) (pairs - r->ties_y);

	ROBUST_ARG_FREE(r, copy);
	if (n < 2 || !(d > 0))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8((double) s / sqrt(d));
}

/* The p-value an auditor reads: exact when there is one, else the normal one */
PG_FUNCTION_INFO_V1(trend_robust_p_value);
Datum
trend_robust_p_value(PG_FUNCTION_ARGS)
{
	bool		copy,
				exact,
				found;
	TrendRobust *r = robust_arg(fcinfo, 0, &copy);
	double		p = 0,
				z = 0;

	exact = mk_p_exact(r, &p);
	found = exact || mk_z(r, &z);
	ROBUST_ARG_FREE(r, copy);
	if (exact)
		PG_RETURN_FLOAT8(p);
	if (!found)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(normal_two_sided_p(z));
}

/* first_time(trend_robust): the time of the first point, NULL for a trend over x */
PG_FUNCTION_INFO_V1(trend_robust_first_time);
Datum
trend_robust_first_time(PG_FUNCTION_ARGS)
{
	bool		copy;
	TrendRobust *r = robust_arg(fcinfo, 0, &copy);
	TrendAxis	axis = r->axis;

	ROBUST_ARG_FREE(r, copy);
	return trend_time_end(fcinfo, &axis, false);
}

/* last_time(trend_robust): the time of the last point, NULL for a trend over x */
PG_FUNCTION_INFO_V1(trend_robust_last_time);
Datum
trend_robust_last_time(PG_FUNCTION_ARGS)
{
	bool		copy;
	TrendRobust *r = robust_arg(fcinfo, 0, &copy);
	TrendAxis	axis = r->axis;

	ROBUST_ARG_FREE(r, copy);
	return trend_time_end(fcinfo, &axis, true);
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
	int		   *owner;
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
	owner = palloc(sizeof(int) * Max(count, 1));
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
		owner[seasons] = i;
		states[seasons++] = r;
		n += r->n;
		s += r->s;
		var += r->var_s;
		pairs += sen_pairs(r);
	}
	if (pairs > SEASONAL_PAIR_LIMIT)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("the seasons hold " INT64_FORMAT " within-season pairs, more than " INT64_FORMAT,
						pairs, SEASONAL_PAIR_LIMIT)));
	slopes = palloc(sizeof(double) * Max(pairs, 1));
	for (int i = 0; i < seasons; i++)
	{
		int64		k;
		double	   *own = all_slopes(states[i], &k);

		memcpy(slopes + m, own, sizeof(double) * k);
		m += k;
		pfree(own);
		if ((Pointer) states[i] != DatumGetPointer(elems[owner[i]]))
			pfree(states[i]);	/* a detoasted copy */
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
