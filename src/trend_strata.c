/*-------------------------------------------------------------------------
 *
 * trend_strata.c
 *	  Student's t for SQL: the two-sided p-value and the critical value of
 *	  a two-sided confidence level, with any positive (also fractional)
 *	  degrees of freedom.  The stratified trend (sql/trend_strata.sql)
 *	  pools the slopes of several rate trends in SQL and tests the pooled
 *	  slope with them, on Satterthwaite's fractional degrees of freedom
 *	  (docs/trend_statistics.md §13.3); the same functions as the
 *	  aggregates' own tests (trend_stats.c).
 *
 * src/trend_strata.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "fmgr.h"

#include "trend_stats.h"

/* Degrees of freedom must be positive (infinity: the normal distribution) */
static void
check_df(double df)
{
	if (!(df > 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("degrees of freedom must be positive"),
				 errdetail("The value given was %g.", df)));
}

/* student_t_p(t, df): P(|T| >= |t|) for Student's t with df degrees of freedom */
PG_FUNCTION_INFO_V1(student_t_p);
Datum
student_t_p(PG_FUNCTION_ARGS)
{
	double		t = PG_GETARG_FLOAT8(0);
	double		df = PG_GETARG_FLOAT8(1);

	check_df(df);
	/* NaN in, NaN out, as for any float8 arithmetic */
	PG_RETURN_FLOAT8(t_two_sided_p(t, df));
}

/* student_t_critical(level, df): the t > 0 with P(|T| >= t) = 1 - level */
PG_FUNCTION_INFO_V1(student_t_critical);
Datum
student_t_critical(PG_FUNCTION_ARGS)
{
	double		level = PG_GETARG_FLOAT8(0);
	double		df = PG_GETARG_FLOAT8(1);

	if (!(level > 0 && level < 1))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("confidence level must be between 0 and 1 (exclusive)")));
	check_df(df);
	PG_RETURN_FLOAT8(t_critical(level, df));
}
