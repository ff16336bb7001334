/*-------------------------------------------------------------------------
 *
 * trend_stats.c
 *	  Student's t and normal distributions for the trend aggregates.
 *
 *	  The t distribution's two-sided tail is a regularized incomplete beta
 *	  function, P(|T| > t) = I_x(df/2, 1/2) with x = df / (df + t^2),
 *	  evaluated by its continued fraction (DLMF 8.17.22) with the modified
 *	  Lentz method; critical values invert it by bisection, which is slow
 *	  only by final-function standards and exact to the last bits.
 *
 * src/trend_stats.c
 *
 *-------------------------------------------------------------------------
 */
#include "c.h"

#include <float.h>
#include <math.h>

#include "trend_stats.h"

#define CF_MAX_TERMS	1000
#define CF_TINY			1e-300

/* Keep a Lentz denominator away from zero */
static inline double
not_tiny(double v)
{
	return fabs(v) < CF_TINY ? CF_TINY : v;
}

/*
 * The continued fraction of I_x(a, b) (DLMF 8.17.22), x < (a + 1) / (a +
 * b + 2), by the modified Lentz method, given x and y = 1 - x.  Near the
 * mean with large a, x is near 1 and the odd steps' 1 + d_{2m+1} D, with
 * d_{2m+1} = -x q_m and q_m just below 1, lost digits to cancellation (1e-10
 * at 2,000,000 degrees of freedom).  So after each even step D and C are
 * kept as 1 + eD and 1 + eC, and where x > 1/2, 1 - x q_m is taken as
 * (1 - q_m) + q_m y, with 1 - q_m in closed form:
 *	  1 - q_m = (a (2m + 1 - b) + 3 m^2 + (2 - b) m) / ((a + 2m)(a + 2m + 1))
 * Where x <= 1/2 the plain forms have nothing to cancel.
 */
static double
beta_fraction(double a, double b, double x, double y)
{
	bool		near_one = x > 0.5;
	double		c = 1.0;
	double		d;
	double		h;

	d = near_one ? ((1.0 - b) + (a + b) * y) / (a + 1.0) : 1.0 - (a + b) * x / (a + 1.0);
	d = 1.0 / not_tiny(d);
	h = d;
	for (int m = 1; m <= CF_MAX_TERMS; m++)
	{
		double		coef,
					q,
					one_plus,
					dd,
					ed,
					ec,
					delta;

		/* even step: d_{2m} = m (b - m) x / ((a + 2m - 1)(a + 2m)) */
		coef = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m));
		dd = not_tiny(1.0 + coef * d);
		ed = -coef * d / dd;	/* the new D - 1 */
		d = 1.0 / dd;
		ec = coef / c;			/* the new C - 1 */
		c = not_tiny(1.0 + ec);
		h *= d * c;

		/* odd step: d_{2m+1} = -x q_m, q_m = (a + m)(a + b + m) / ((a + 2m)(a + 2m + 1)) */
		q = (a + m) * (a + b + m) / ((a + 2 * m) * (a + 2 * m + 1));
		one_plus = near_one ?
			(a * (2 * m + 1 - b) + 3.0 * m * m + (2 - b) * m) / ((a + 2 * m) * (a + 2 * m + 1)) + q * y :
			1.0 - x * q;
		d = 1.0 / not_tiny(one_plus - x * q * ed);
		c = not_tiny((one_plus + ec) / c);
		delta = d * c;
		h *= delta;
		if (fabs(delta - 1.0) < 1e-16)
			break;
	}
	return h;
}

/*
 * ln Gamma(a + b) - ln Gamma(a), for a, b > 0.  lgamma's difference
 * cancels when a is large: at a = 100,000 both values are about 1e6 and
 * the difference keeps only 1e-10 of absolute accuracy.  From a = 15 on,
 * Stirling's series for both, arranged so that nothing large cancels:
 *	  (a - 1/2) log1p(b / a) + b ln(a + b) - b + S(a + b) - S(a)
 * with S(z) = 1/(12 z) - 1/(360 z^3) + 1/(1260 z^5) - 1/(1680 z^7)
 *			   + 1/(1188 z^9) (DLMF 5.11.1), whose next term is below 1e-16
 * of the result there.
 */
static double
lgamma_ratio(double a, double b)
{
	double		s[2];

	if (a < 15.0)
		return lgamma(a + b) - lgamma(a);
	for (int i = 0; i < 2; i++)
	{
		double		z = i == 0 ? a + b : a;
		double		r = 1.0 / (z * z);

		s[i] = (1.0 / 12.0 - r * (1.0 / 360.0 - r * (1.0 / 1260.0 - r * (1.0 / 1680.0 - r / 1188.0)))) / z;
	}
	return (a - 0.5) * log1p(b / a) + b * log(a + b) - b + (s[0] - s[1]);
}

/*
 * The regularized incomplete beta function I_x(a, b), given x, y = 1 - x
 * and their logarithms, each computed by the caller without the
 * cancellation of 1 - x near 0 or 1
 */
static double
incomplete_beta(double a, double b, double x, double y, double log_x, double log_y)
{
	double		front;

	if (x <= 0.0)
		return 0.0;
	if (y <= 0.0)
		return 1.0;
	front = exp(lgamma_ratio(a, b) - lgamma(b) + a * log_x + b * log_y);
	/* the fraction converges fast on the side of the mean */
	if (x < (a + 1.0) / (a + b + 2.0))
		return front * beta_fraction(a, b, x, y) / a;
	return 1.0 - front * beta_fraction(b, a, y, x) / b;
}

/*
 * P(|T| >= |t|) for Student's t with df degrees of freedom (df > 0): the
 * incomplete beta I_x(df/2, 1/2) at x = df / (df + t^2), with 1 - x taken
 * as t^2 / (df + t^2), ln x as -log1p(t^2 / df) and ln(1 - x) as
 * -log1p(df / t^2) where t^2 > df: never by a subtraction from 1 or of
 * nearly equal logarithms (with large df or small t, x is near 1, and
 * 1 - x lost digits)
 */
double
t_two_sided_p(double t, double df)
{
	double		t2;

	if (isnan(t) || isnan(df) || df <= 0)
		return NAN;
	if (isinf(t))
		return 0.0;
	if (isinf(df))
		return normal_two_sided_p(t);
	t2 = t * t;
	if (isinf(t2))
		return 0.0;
	if (t2 == 0.0)
		return 1.0;
	return incomplete_beta(df / 2.0, 0.5, df / (df + t2), t2 / (df + t2),
						   -log1p(t2 / df),
						   t2 > df ? -log1p(df / t2) : log(t2) - log(df + t2));
}

/*
 * The t in [lo, hi] where the two-sided tail falls to alpha, for Student's
 * t with df degrees of freedom, or for the normal distribution when df is
 * infinite.  The tail falls as t grows: bisect until the bracket cannot
 * shrink.
 */
static double
bisect_tail(double lo, double hi, double alpha, double df)
{
	for (int i = 0; i < 2000; i++)
	{
		double		mid = lo + (hi - lo) / 2.0;

		if (mid <= lo || mid >= hi)
			break;
		if ((isinf(df) ? normal_two_sided_p(mid) : t_two_sided_p(mid, df)) > alpha)
			lo = mid;
		else
			hi = mid;
	}
	return lo + (hi - lo) / 2.0;
}

/* The t > 0 with P(|T| >= t) = 1 - level, for 0 < level < 1 */
double
t_critical(double level, double df)
{
	double		alpha = 1.0 - level;
	double		lo = 0.0,
				hi = 1.0;

	if (!(level > 0.0 && level < 1.0) || isnan(df) || df <= 0)
		return NAN;
	if (isinf(df))
		return normal_critical(level);
	while (t_two_sided_p(hi, df) > alpha)
	{
		lo = hi;
		hi *= 2.0;
		if (isinf(hi))
			return INFINITY;
	}
	return bisect_tail(lo, hi, alpha, df);
}

/* P(|Z| >= |z|) for the standard normal distribution */
double
normal_two_sided_p(double z)
{
	return erfc(fabs(z) / M_SQRT2);
}

/* The z > 0 with P(|Z| >= z) = 1 - level, for 0 < level < 1 */
double
normal_critical(double level)
{
	if (!(level > 0.0 && level < 1.0))
		return NAN;
	return bisect_tail(0.0, 40.0, 1.0 - level, INFINITY);
}
