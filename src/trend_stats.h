/*-------------------------------------------------------------------------
 *
 * trend_stats.h
 *	  The distributions the trend aggregates test with: Student's t and
 *	  the normal distribution, two-sided p-values and the critical values
 *	  of a two-sided confidence level.  No backend dependency.
 *
 * src/trend_stats.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef ISO27001_TREND_STATS_H
#define ISO27001_TREND_STATS_H

/* Seconds in the units whose length is a convention (see README) */
#define TREND_SECONDS_PER_DAY		86400.0
#define TREND_DAYS_PER_MONTH		30.436875	/* Gregorian mean: 365.2425 / 12 */

extern double t_two_sided_p(double t, double df);
extern double t_critical(double level, double df);
extern double normal_two_sided_p(double z);
extern double normal_critical(double level);

#endif							/* ISO27001_TREND_STATS_H */
