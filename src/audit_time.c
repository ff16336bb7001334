/*-------------------------------------------------------------------------
 *
 * audit_time.c
 *	  ISMS audit time: the ISO/IEC 27006:2015 Table B.1 bands, the
 *	  adjustment, the stage split, surveillance and recertification days
 *	  (isms_audit_time); the IAF MD 1 multi-site sample (ms_site_sample);
 *	  the ISO/IEC 27006-1:2024 C.3.4 square-root reduction
 *	  (isms_effective_persons).  See docs/certification_cycle.md §7.
 *
 *	  The bands are compiled in, so the functions are IMMUTABLE; the same
 *	  rows are the reference table isms_audit_time_band, and a test checks
 *	  that the two agree.
 *
 * src/audit_time.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "certification_cycle_rules.h"
#include "iso27001.h"

#define TABLE_B1		"ISO/IEC 27006:2015 Table B.1"
#define TABLE_B1_MAX	10700

/* ISO/IEC 27006:2015 Table B.1: persons -> initial audit auditor-days */
typedef struct Band
{
	int			persons_min;
	int			persons_max;
	double		days;
} Band;

static const Band table_b1[] = {
	{1, 10, 5}, {11, 15, 6}, {16, 25, 7}, {26, 45, 8.5}, {46, 65, 10},
	{66, 85, 11}, {86, 125, 12}, {126, 175, 13}, {176, 275, 14},
	{276, 425, 15}, {426, 625, 16.5}, {626, 875, 17.5}, {876, 1175, 18.5},
	{1176, 1550, 19.5}, {1551, 2025, 21}, {2026, 2675, 22}, {2676, 3450, 23},
	{3451, 4350, 24}, {4351, 5450, 25}, {5451, 6800, 26}, {6801, 8500, 27},
	{8501, 10700, 28}
};

static const char *const roundings[] = {"nearest_half", "ceil_half", NULL};
static const char *const transitions[] = {"with_recertification", "with_surveillance", "separate", NULL};
static const char *const table_editions[] = {TABLE_B1, NULL};

/* Round auditor-days to a half day, to the nearest or up */
static double
round_half(double days, bool up)
{
	/* the small margin absorbs binary error: 5.5 / 3 * 2 is not 3.666.. */
	if (up)
		return ceil(days * 2 - 1e-9) / 2;
	return floor(days * 2 + 0.5 + 1e-9) / 2;
}

/* Auditor-days as a numeric Datum */
static Datum
days_datum(double days)
{
	return DirectFunctionCall1(float8_numeric, Float8GetDatum(days));
}

/*
 * isms_audit_time(): the initial audit time of Table B.1 for a number of
 * persons, adjusted by a percentage (limited by a guard), split into
 * stage 1 and stage 2, and the surveillance and recertification time.
 * Above 10,700 persons the table gives no value: manual determination.
 */
PG_FUNCTION_INFO_V1(isms_audit_time);
Datum
isms_audit_time(PG_FUNCTION_ARGS)
{
	int			persons;
	double		adjustment,
				guard,
				stage1_share,
				surveillance_fraction,
				recert_fraction;
	bool		up;
	int			transition = -1;
	TupleDesc	desc;
	Datum		values[11];
	bool		nulls[11] = {false};
	Datum		notes[5];
	int			nnotes = 0;
	const Band *band = NULL;

	cycle_arg_not_null(fcinfo, 0, "persons");
	persons = PG_GETARG_INT32(0);
	if (persons < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("persons must be at least 1, not %d", persons),
				 errdetail("The number of persons doing work under the organization's control within the ISMS scope.")));
	adjustment = cycle_float_arg(fcinfo, 1, "adjustment_percent", -100, 100);
	guard = cycle_float_arg(fcinfo, 2, "min_adjustment_percent", -100, 0);
	stage1_share = cycle_float_arg(fcinfo, 3, "stage1_share", 0, 1);
	surveillance_fraction = cycle_float_arg(fcinfo, 4, "surveillance_fraction", 0, 1);
	recert_fraction = cycle_float_arg(fcinfo, 5, "recertification_fraction", 0, 1);
	up = cycle_option(fcinfo, 6, "rounding", roundings) == 1;
	if (!PG_ARGISNULL(7))
		transition = cycle_option(fcinfo, 7, "transition", transitions);
	(void) cycle_option(fcinfo, 8, "table_edition", table_editions);

	desc = iso27001_result_desc(fcinfo);

	for (size_t i = 0; i < lengthof(table_b1); i++)
		if (persons >= table_b1[i].persons_min && persons <= table_b1[i].persons_max)
			band = &table_b1[i];

	notes[nnotes++] = CStringGetTextDatum("stage split, surveillance and recertification fractions and rounding are certification-body practice (IAF MD 5 analogy), not ISO/IEC 27006 text");
	notes[nnotes++] = CStringGetTextDatum("the days are those of ISO/IEC 27006:2015 Table B.1; whether ISO/IEC 27006-1:2024 Table C.1 changed them is unverified");
	if (band == NULL)
	{
		/* more than 10,700: the standard gives no formula */
		values[0] = Int32GetDatum(TABLE_B1_MAX + 1);
		nulls[1] = true;
		for (int i = 2; i <= 7; i++)
			nulls[i] = true;
		notes[nnotes++] = CStringGetTextDatum("more than 10,700 persons: Table B.1 says to follow the progression without a formula; the audit time must be determined manually");
	}
	else
	{
		double		applied = Max(adjustment, guard);
		double		adjusted = round_half(band->days * (1 + applied / 100), up);
		double		stage1 = round_half(adjusted * stage1_share, up);

		if (stage1 > adjusted)
			stage1 = adjusted;
		values[0] = Int32GetDatum(band->persons_min);
		values[1] = Int32GetDatum(band->persons_max);
		values[2] = days_datum(band->days);
		values[3] = days_datum(adjusted);
		values[4] = days_datum(stage1);
		values[5] = days_datum(adjusted - stage1);
		values[6] = days_datum(round_half(adjusted * surveillance_fraction, up));
		values[7] = days_datum(round_half(adjusted * recert_fraction, up));
		notes[nnotes++] = CStringGetTextDatum("the adjustment guard (min_adjustment_percent) is unverified for ISO/IEC 27006: it follows IAF MD 5 and ISO/IEC 20000-6");
		if (adjustment < guard)
			notes[nnotes++] = CStringGetTextDatum(psprintf("adjustment_percent %g limited to the guard %g",
														   adjustment, guard));
	}
	if (transition < 0)
		values[8] = days_datum(0);
	else
		values[8] = days_datum(transition == 0 ? 0.5 : 1.0);	/* IAF MD 26 minimums */
	values[9] = BoolGetDatum(band == NULL);
	values[10] = PointerGetDatum(construct_array(notes, nnotes, TEXTOID, -1, false, TYPALIGN_INT));

	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, values, nulls)));
}

/* The least m >= 0 with 100 m^2 >= scale * n: ceil(sqrt(scale / 100 * n)) */
static int
ceil_scaled_sqrt(int64 n, int64 scale)
{
	int64		m = (int64) ceil(sqrt((double) scale * n / 100.0));

	/* correct the floating-point guess exactly */
	while (m > 0 && 100 * (m - 1) * (m - 1) >= scale * n)
		m--;
	while (100 * m * m < scale * n)
		m++;
	return (int) m;
}

/*
 * ms_site_sample(): the IAF MD 1 sample of sites (besides the central
 * function) for n sites: sqrt(n), 0.6 sqrt(n) and 0.8 sqrt(n), rounded up,
 * in exact integer arithmetic.
 */
PG_FUNCTION_INFO_V1(ms_site_sample);
Datum
ms_site_sample(PG_FUNCTION_ARGS)
{
	int32		sites = PG_GETARG_INT32(0);
	TupleDesc	desc;
	Datum		values[3];
	bool		nulls[3] = {false};

	if (sites < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sites must be at least 1, not %d", sites)));
	desc = iso27001_result_desc(fcinfo);
	values[0] = Int32GetDatum(ceil_scaled_sqrt(sites, 100));
	values[1] = Int32GetDatum(ceil_scaled_sqrt(sites, 36));
	values[2] = Int32GetDatum(ceil_scaled_sqrt(sites, 64));
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, values, nulls)));
}

/*
 * isms_effective_persons(): the least number of persons ISO/IEC
 * 27006-1:2024 C.3.4 allows when each group does identical activities:
 * the sum of ceil(sqrt(group size)).  The maximum reduction; the
 * certification body justifies the count it actually uses.
 */
PG_FUNCTION_INFO_V1(isms_effective_persons);
Datum
isms_effective_persons(PG_FUNCTION_ARGS)
{
	ArrayType  *groups = cycle_array_arg(fcinfo, 0, "group_sizes");
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	int64		total = 0;

	deconstruct_array(groups, INT4OID, sizeof(int32), true, TYPALIGN_INT,
					  &elems, &nulls, &n);
	if (n == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("group_sizes must not be empty")));
	for (int i = 0; i < n; i++)
	{
		int32		size;

		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("group_sizes[%d] must not be null", i + 1)));
		size = DatumGetInt32(elems[i]);
		if (size < 1)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("group_sizes[%d] must be at least 1, not %d", i + 1, size)));
		total += ceil_scaled_sqrt(size, 100);
		if (total > PG_INT32_MAX)
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("isms_effective_persons result out of range for integer")));
	}
	PG_RETURN_INT32((int32) total);
}
