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

/*
 * One step of the modified Lentz method with the fraction's next
 * coefficient: updates c and d, and returns the factor of the convergent
 */
static inline double
lentz_step(double coef, double *c, double *d)
{
	*d = 1.0 + coef * *d;
	*c = 1.0 + coef / *c;
	if (fabs(*d) < CF_TINY)
		*d = CF_TINY;
	if (fabs(*c) < CF_TINY)
		*c = CF_TINY;
	*d = 1.0 / *d;
	return *d * *c;
}

/* The continued fraction of I_x(a, b) (DLMF 8.17.22), x < (a + 1) / (a + b + 2) */
static double
beta_fraction(double a, double b, double x)
{
	double		c = 1.0;
	double		d = 1.0 - (a + b) * x / (a + 1.0);
	double		h;

	if (fabs(d) < CF_TINY)
		d = CF_TINY;
	d = 1.0 / d;
	h = d;
	for (int m = 1; m <= CF_MAX_TERMS; m++)
	{
		double		delta;

		/* even step: d_{2m} = m (b - m) x / ((a + 2m - 1)(a + 2m)) */
		h *= lentz_step(m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)), &c, &d);

		/* odd step: d_{2m+1} = -(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1)) */
		delta = lentz_step(-(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)), &c, &d);
		h *= delta;
		if (fabs(delta - 1.0) < 1e-16)
			break;
	}
	return h;
}

/* The regularized incomplete beta function I_x(a, b), 0 <= x <= 1 */
static double
incomplete_beta(double a, double b, double x)
{
	double		front;

	if (x <= 0.0)
		return 0.0;
	if (x >= 1.0)
		return 1.0;
	front = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x));
	/* the fraction converges fast on the side of the mean */
	if (x < (a + 1.0) / (a + b + 2.0))
		return front * beta_fraction(a, b, x) / a;
	return 1.0 - front * beta_fraction(b, a, 1.0 - x) / b;
}

/* P(|T| >= |t|) for Student's t with df degrees of freedom (df > 0) */
double
t_two_sided_p(double t, double df)
{
	if (isnan(t) || isnan(df) || df <= 0)
		return NAN;
	if (isinf(t))
		return 0.0;
	if (isinf(df))
		return normal_two_sided_p(t);
	return incomplete_beta(df / 2.0, 0.5, df / (df + t * t));
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
