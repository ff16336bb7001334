/*-------------------------------------------------------------------------
 *
 * certification_cycle_rules.c
 *	  Date arithmetic of the certification cycle (ISO/IEC 17021-1:2015
 *	  9.1.3), shared by the functions of certification_cycle.c, and the
 *	  argument checks that they and the audit time functions of
 *	  audit_time.c share.  See certification_cycle_rules.h.
 *
 * src/certification_cycle_rules.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "lib/stringinfo.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"

#include "certification_cycle_rules.h"

/* A date from its year, month and day; the caller passes a valid day */
DateADT
cycle_date(int year, int month, int day)
{
	if (!IS_VALID_JULIAN(year, month, day))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("date out of range for the certification cycle")));
	return date2j(year, month, day) - POSTGRES_EPOCH_JDATE;
}

/*
 * date + months, clamped to the last day of the target month as
 * PostgreSQL's date + interval does: 2024-01-31 + 1 month = 2024-02-29.
 */
DateADT
cycle_add_months(DateADT date, int months)
{
	int			year,
				month,
				day;
	int64		total;
	DateADT		result;

	j2date(date + POSTGRES_EPOCH_JDATE, &year, &month, &day);
	total = (int64) year * MONTHS_PER_YEAR + (month - 1) + months;
	/* floor division: the year of a negative month count goes down */
	year = (int) (total >= 0 ? total / MONTHS_PER_YEAR
				  : -((-total + MONTHS_PER_YEAR - 1) / MONTHS_PER_YEAR));
	month = (int) (total - (int64) year * MONTHS_PER_YEAR) + 1;
	day = Min(day, day_tab[isleap(year)][month - 1]);
	result = cycle_date(year, month, day);
	if (!IS_VALID_DATE(result))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("date out of range for the certification cycle")));
	return result;
}

/* The calendar year of a date */
int
cycle_year(DateADT date)
{
	int			year,
				month,
				day;

	j2date(date + POSTGRES_EPOCH_JDATE, &year, &month, &day);
	return year;
}

/* A date as YYYY-MM-DD whatever DateStyle says, for notes and details */
char *
cycle_date_text(DateADT date)
{
	int			year,
				month,
				day;

	j2date(date + POSTGRES_EPOCH_JDATE, &year, &month, &day);
	if (year > 0)
		return psprintf("%04d-%02d-%02d", year, month, day);
	return psprintf("%04d-%02d-%02d BC", 1 - year, month, day);
}

/* Nominal start of cycle k: D + 36 (k - 1) months */
DateADT
cycle_start(const CycleRules *rules, int cycle)
{
	return cycle_add_months(rules->decision, 36 * (cycle - 1));
}

/*
 * Last valid day of the certificate of cycle k, computed from D directly.
 * With the day-before convention it is the day before the anniversary
 * D + 36k months, where the anniversary of 29 February in a common year
 * is 1 March: the later of (D - 1 day) + 36k months (which keeps
 * 2027-02-28 for 2024-02-29) and D + 36k months - 1 day (which keeps
 * 2028-02-29 for 2025-03-01, where the first formula loses a day); see
 * docs/certification_cycle.md §2.3.  With the same-day convention,
 * D + 36k months.  Plus the IAF ID 3 extension of that one cycle.
 */
DateADT
cycle_expiry(const CycleRules *rules, int cycle)
{
	DateADT		expiry;

	if (rules->expiry_rule == EXPIRY_DAY_BEFORE)
	{
		DateADT		from_eve = cycle_add_months(rules->decision - 1, 36 * cycle);

		expiry = cycle_add_months(rules->decision, 36 * cycle) - 1;
		if (from_eve > expiry)
			expiry = from_eve;
	}
	else
		expiry = cycle_add_months(rules->decision, 36 * cycle);
	if (cycle == rules->extension_cycle)
		expiry += rules->extension_days;
	return expiry;
}

/* An error "<name> must not be null" when the argument is NULL */
void
cycle_arg_not_null(FunctionCallInfo fcinfo, int argno, const char *name)
{
	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s must not be null", name)));
}

/*
 * A date argument: finite, and present when required.  Returns the date;
 * *isnull tells an absent optional one.
 */
DateADT
cycle_date_arg(FunctionCallInfo fcinfo, int argno, const char *name,
			   bool required, bool *isnull)
{
	DateADT		date;

	if (required)
		cycle_arg_not_null(fcinfo, argno, name);
	*isnull = PG_ARGISNULL(argno);
	if (*isnull)
		return 0;
	date = PG_GETARG_DATEADT(argno);
	if (DATE_NOT_FINITE(date))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("%s must be a finite date", name)));
	return date;
}

/* An integer argument within [lo, hi] */
int
cycle_int_arg(FunctionCallInfo fcinfo, int argno, const char *name, int lo, int hi)
{
	int32		value;

	cycle_arg_not_null(fcinfo, argno, name);
	value = PG_GETARG_INT32(argno);
	if (value < lo || value > hi)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be between %d and %d, not %d", name, lo, hi, value)));
	return value;
}

/* A float8 argument within [lo, hi], not NULL, not NaN */
double
cycle_float_arg(FunctionCallInfo fcinfo, int argno, const char *name, double lo, double hi)
{
	double		value;

	cycle_arg_not_null(fcinfo, argno, name);
	value = PG_GETARG_FLOAT8(argno);
	if (isnan(value) || value < lo || value > hi)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be between %g and %g", name, lo, hi)));
	return value;
}

/* A boolean argument, not NULL */
bool
cycle_bool_arg(FunctionCallInfo fcinfo, int argno, const char *name)
{
	cycle_arg_not_null(fcinfo, argno, name);
	return PG_GETARG_BOOL(argno);
}

/* An array argument (NULL checked by the caller) of one dimension at most */
ArrayType *
cycle_array_arg(FunctionCallInfo fcinfo, int argno, const char *name)
{
	ArrayType  *array = PG_GETARG_ARRAYTYPE_P(argno);

	if (ARR_NDIM(array) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a one-dimensional array", name)));
	return array;
}

/* The words of a NULL-terminated list, joined with commas */
char *
cycle_word_list(const char *const *words)
{
	StringInfoData list;

	initStringInfo(&list);
	for (int i = 0; words[i] != NULL; i++)
		appendStringInfo(&list, "%s%s", i > 0 ? ", " : "", words[i]);
	return list.data;
}

/*
 * A text option: its index in the NULL-terminated list of accepted values
 * (compared without regard to case).
 */
int
cycle_option(FunctionCallInfo fcinfo, int argno, const char *name,
			 const char *const *accepted)
{
	char	   *value;

	cycle_arg_not_null(fcinfo, argno, name);
	value = text_to_cstring(PG_GETARG_TEXT_PP(argno));
	for (int i = 0; accepted[i] != NULL; i++)
		if (pg_strcasecmp(value, accepted[i]) == 0)
			return i;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid value for %s: \"%s\"", name, value),
			 errdetail("Accepted values: %s.", cycle_word_list(accepted))));
	return -1;					/* keep the compiler quiet */
}

/*
 * Check and fill the rules every cycle function shares.  extension_cycle
 * must lie within the cycles asked for, and the extension must not reach
 * past 6 months after that cycle's expiry (IAF ID 3).
 */
void
cycle_rules_init(CycleRules *rules, DateADT decision, int edition,
				 ExpiryRule expiry_rule, int extension_days,
				 int extension_cycle, int cycles)
{
	rules->decision = decision;
	rules->md26_last_audit = cycle_date(2024, 4, 30);
	rules->md26_end = cycle_date(2025, 10, 31);

	if (edition != 2013 && edition != 2022)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid value for edition: %d", edition),
				 errdetail("Accepted values: 2013, 2022 (the ISO/IEC 27001 edition of the certificate).")));
	rules->edition = edition;
	rules->expiry_rule = expiry_rule;

	if (extension_cycle < 1 || extension_cycle > cycles)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("extension_cycle must be between 1 and %d, not %d",
						cycles, extension_cycle)));
	rules->extension_cycle = extension_cycle;
	rules->extension_days = 0;
	if (extension_days > 0)
	{
		DateADT		expiry = cycle_expiry(rules, extension_cycle);
		DateADT		limit = cycle_add_months(expiry, 6);

		if (expiry + (int64) extension_days > limit)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("extension_days must not exceed 6 months"),
					 errdetail("The certificate of cycle %d expires on %s; an IAF ID 3 extension reaches %s at most (%d days).",
							   extension_cycle, cycle_date_text(expiry),
							   cycle_date_text(limit), limit - expiry)));
	}
	rules->extension_days = extension_days;
}
