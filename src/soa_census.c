/*-------------------------------------------------------------------------
 *
 * soa_census.c
 *	  The validator's one pass over the SoA register.  soa_census_agg,
 *	  grouped by scope, counts the scope's Annex A entries of each edition
 *	  and keeps the few entries that the validator reports on: a per-entry
 *	  rule broken (soa_entry_problems), flagged for review, or
 *	  organization-defined (the duplicate rule looks at those), with what
 *	  the findings' messages need.  One function call a row, where the
 *	  rules in SQL took two passes over the register.
 *
 *	  The same pass marks each scope's Annex A controls included for risk
 *	  treatment, excluded, implemented and partially implemented, as sets
 *	  (annex_a_set.c), which the validator compares with the controls its
 *	  risks name and its stale evidence, without reading the register again.
 *
 *	  The state is internal, a growing list in the aggregate's memory;
 *	  combine appends, and serialize/deserialize carry it between parallel
 *	  workers.  The result is a soa_census row: the two counts and parallel
 *	  arrays of the kept entries, for unnest() in soa_validate().
 *
 * src/soa_census.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "common/int.h"
#include "fmgr.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/array.h"
#include "utils/lsyscache.h"

#include "iso_control_parse.h"
#include "soa_entry_parse.h"
#include "iso27001.h"

/* Arguments of the transition function (0 is the state) */
#define ARG_CONTROL_KEY		1
#define ARG_CONTROL			2
#define ARG_TITLE			3
#define ARG_ENTRY			4	/* then justification and evidence */
#define ARG_NEEDS_REVIEW	7

/* One entry kept for the validator */
typedef struct CensusEntry
{
	text	   *control_key;
	text	   *title;			/* NULL when the row has none */
	IsoControl	control;		/* when has_control */
	SoaEntry	entry;			/* when has_entry */
	bool		has_control;
	bool		has_entry;
	int			problems;		/* SOA_PROBLEM_ bits, never 0 */
} CensusEntry;

/* The sets of Annex A controls a census marks, in the result's order */
#define SET_RISK_TREATMENT	0	/* applicable, for risk treatment among its reasons */
#define SET_EXCLUDED		1
#define SET_IMPLEMENTED		2
#define SET_PARTIAL			3	/* partially implemented */
#define CENSUS_NSETS		4

/* The state: counts, sets, and the entries kept */
typedef struct Census
{
	MemoryContext cxt;
	int64		annex_2022;
	int64		annex_2013;
	AnnexASet	sets[CENSUS_NSETS];
	int			n;
	int			size;
	CensusEntry *entries;
} Census;

/* Columns of the soa_census row */
#define CENSUS_NCOLUMNS		11
#define CENSUS_NCOLUMNS_021	7	/* without the sets: 0.2.1's type, before its update */
#define CENSUS_NARRAYS		5	/* control_key, control, title, entry, problems */

/* Flags of a serialized entry */
#define WIRE_CONTROL		1
#define WIRE_ENTRY			2
#define WIRE_TITLE			4

/* A new, empty state in the given memory */
static Census *
census_new(MemoryContext cxt)
{
	Census	   *census = MemoryContextAllocZero(cxt, sizeof(Census));

	census->cxt = cxt;
	return census;
}

/* Room for one more entry */
static CensusEntry *
census_next(Census *census)
{
	if (census->n == census->size)
	{
		int			size = census->size == 0 ? 16 : census->size * 2;

		if (census->n >= (int) MaxArraySize)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("a scope with more than %d entries to report is too large to validate",
							(int) MaxArraySize)));
		size = Min(size, (int) MaxArraySize);
		if (census->entries == NULL)
			census->entries = MemoryContextAllocHuge(census->cxt, size * sizeof(CensusEntry));
		else
			census->entries = repalloc_huge(census->entries, size * sizeof(CensusEntry));
		census->size = size;
	}
	return &census->entries[census->n++];
}

/* A copy of a text value in the state's memory */
static text *
census_text(Census *census, const char *data, int len)
{
	text	   *t = MemoryContextAlloc(census->cxt, VARHDRSZ + len);

	SET_VARSIZE(t, VARHDRSZ + len);
	memcpy(VARDATA(t), data, len);
	return t;
}

/* Add to one of a state's counts; 22003 when the sum does not fit */
static void
census_count(int64 *count, int64 more)
{
	int64		sum;

	if (pg_add_s64_overflow(*count, more, &sum))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("soa_census_agg count out of range")));
	*count = sum;
}

/* Mark an Annex A control in the sets its entry puts it in */
static void
census_mark(Census *census, IsoControl control, SoaEntry entry)
{
	switch (SOA_STATE(entry))
	{
		case SOA_EXCLUDED:
			annex_a_set_add(&census->sets[SET_EXCLUDED], control);
			return;
		case SOA_IMPLEMENTED:
			annex_a_set_add(&census->sets[SET_IMPLEMENTED], control);
			break;
		case SOA_PARTIALLY_IMPLEMENTED:
			annex_a_set_add(&census->sets[SET_PARTIAL], control);
			break;
		default:
			break;
	}
	/* risk treatment is the first reason */
	if ((SOA_REASONS(entry) & 1) != 0)
		annex_a_set_add(&census->sets[SET_RISK_TREATMENT], control);
}

/* The aggregate's state, made on the first row */
static Census *
census_state(FunctionCallInfo fcinfo)
{
	MemoryContext aggcxt;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "soa_census_agg transition called in non-aggregate context");
	if (!PG_ARGISNULL(0))
		return (Census *) PG_GETARG_POINTER(0);
	return census_new(aggcxt);
}

/*
 * soa_census_agg(control_key, control, title, entry, justification,
 * evidence, needs_review) transition: count one register row, and keep it
 * if the validator reports on it.  Not STRICT: NULL entries, controls and
 * titles are what the rules look for.
 */
PG_FUNCTION_INFO_V1(soa_census_accum);
Datum
soa_census_accum(PG_FUNCTION_ARGS)
{
	Census	   *census = census_state(fcinfo);
	int			problems;

	if (PG_ARGISNULL(ARG_CONTROL_KEY))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("control_key of soa_census_agg must not be null")));

	problems = soa_entry_problems_at(fcinfo, ARG_ENTRY);
	if (PG_ARGISNULL(ARG_CONTROL))
		problems |= SOA_PROBLEM_ORGANIZATION;
	else
	{
		IsoControl	control = PG_GETARG_ISO_CONTROL(ARG_CONTROL);

		if (annex_a_edition(control) == 2022)
			census_count(&census->annex_2022, 1);
		else
			census_count(&census->annex_2013, 1);
		if (!PG_ARGISNULL(ARG_ENTRY))
			census_mark(census, control, PG_GETARG_SOA_ENTRY(ARG_ENTRY));
	}
	if (!PG_ARGISNULL(ARG_NEEDS_REVIEW) && PG_GETARG_BOOL(ARG_NEEDS_REVIEW))
		problems |= SOA_PROBLEM_NEEDS_REVIEW;

	if (problems != 0)
	{
		text	   *key = PG_GETARG_TEXT_PP(ARG_CONTROL_KEY);
		CensusEntry *e = census_next(census);

		e->problems = problems;
		e->control_key = census_text(census, VARDATA_ANY(key), VARSIZE_ANY_EXHDR(key));
		e->title = NULL;
		if (!PG_ARGISNULL(ARG_TITLE))
		{
			text	   *title = PG_GETARG_TEXT_PP(ARG_TITLE);

			e->title = census_text(census, VARDATA_ANY(title), VARSIZE_ANY_EXHDR(title));
		}
		e->has_control = !PG_ARGISNULL(ARG_CONTROL);
		e->control = e->has_control ? PG_GETARG_ISO_CONTROL(ARG_CONTROL) : 0;
		e->has_entry = !PG_ARGISNULL(ARG_ENTRY);
		e->entry = e->has_entry ? PG_GETARG_SOA_ENTRY(ARG_ENTRY) : 0;
	}
	PG_RETURN_POINTER(census);
}

/* Combine: b's counts added to a's, b's entries appended */
PG_FUNCTION_INFO_V1(soa_census_combine);
Datum
soa_census_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	Census	   *a,
			   *b;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "soa_census_combine called in non-aggregate context");
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	b = (Census *) PG_GETARG_POINTER(1);
	a = PG_ARGISNULL(0) ? census_new(aggcxt) : (Census *) PG_GETARG_POINTER(0);

	census_count(&a->annex_2022, b->annex_2022);
	census_count(&a->annex_2013, b->annex_2013);
	for (int k = 0; k < CENSUS_NSETS; k++)
		for (int i = 0; i < ANNEX_A_SET_BYTES; i++)
			a->sets[k].bits[i] |= b->sets[k].bits[i];
	for (int i = 0; i < b->n; i++)
	{
		CensusEntry *from = &b->entries[i];
		CensusEntry *to = census_next(a);

		*to = *from;
		to->control_key = census_text(a, VARDATA(from->control_key),
									  VARSIZE(from->control_key) - VARHDRSZ);
		if (from->title != NULL)
			to->title = census_text(a, VARDATA(from->title),
									VARSIZE(from->title) - VARHDRSZ);
	}
	PG_RETURN_POINTER(a);
}

/* Send one text value: its length, then its bytes */
static void
send_text(StringInfo buf, const text *t)
{
	pq_sendint32(buf, VARSIZE(t) - VARHDRSZ);
	pq_sendbytes(buf, VARDATA(t), VARSIZE(t) - VARHDRSZ);
}

/*
 * Serialize for parallel workers: the two counts, the sets' bytes, the number of entries,
 * then each entry as problems (1 byte), flags (1 byte), the control and the
 * entry when present, the key and the title when present.
 */
PG_FUNCTION_INFO_V1(soa_census_serialize);
Datum
soa_census_serialize(PG_FUNCTION_ARGS)
{
	Census	   *census = (Census *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendint64(&buf, census->annex_2022);
	pq_sendint64(&buf, census->annex_2013);
	for (int k = 0; k < CENSUS_NSETS; k++)
		pq_sendbytes(&buf, (const char *) census->sets[k].bits, ANNEX_A_SET_BYTES);
	pq_sendint32(&buf, census->n);
	for (int i = 0; i < census->n; i++)
	{
		CensusEntry *e = &census->entries[i];

		pq_sendbyte(&buf, e->problems);
		pq_sendbyte(&buf, (e->has_control ? WIRE_CONTROL : 0) |
					(e->has_entry ? WIRE_ENTRY : 0) |
					(e->title != NULL ? WIRE_TITLE : 0));
		if (e->has_control)
			pq_sendint32(&buf, e->control);
		if (e->has_entry)
			pq_sendint16(&buf, e->entry);
		send_text(&buf, e->control_key);
		if (e->title != NULL)
			send_text(&buf, e->title);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* A reader of serialized bytes that stops at their end */
typedef struct WireReader
{
	const unsigned char *p;
	const unsigned char *end;
} WireReader;

/* Read a big-endian unsigned integer of 1 to 8 bytes; false past the end */
static bool
read_uint(WireReader *r, int bytes, uint64 *value)
{
	if (r->end - r->p < bytes)
		return false;
	*value = 0;
	for (int i = 0; i < bytes; i++)
		*value = (*value << 8) | *r->p++;
	return true;
}

/* Read a length-prefixed text into the state; false if it does not fit or is not valid text */
static bool
read_text(WireReader *r, Census *census, text **t)
{
	uint64		len;

	if (!read_uint(r, 4, &len) || len > (uint64) (r->end - r->p) ||
		!pg_verifymbstr((const char *) r->p, (int) len, true))
		return false;
	*t = census_text(census, (const char *) r->p, (int) len);
	r->p += len;
	return true;
}

/* Read the sets; false past the end or with a bit beyond the catalogue */
static bool
read_sets(WireReader *r, Census *census)
{
	/* the bits of the last byte past the catalogue's end */
	uint8		beyond = (uint8) (0xFF >> (ANNEX_A_CONTROLS % BITS_PER_BYTE));

	for (int k = 0; k < CENSUS_NSETS; k++)
	{
		if (r->end - r->p < ANNEX_A_SET_BYTES ||
			(r->p[ANNEX_A_SET_BYTES - 1] & beyond) != 0)
			return false;
		memcpy(census->sets[k].bits, r->p, ANNEX_A_SET_BYTES);
		r->p += ANNEX_A_SET_BYTES;
	}
	return true;
}

/*
 * Deserialize, checking every size and value: counts not negative, every
 * entry with a problem, a control and entry of the catalogue present
 * exactly when its problems say so, key and title valid text, nothing left
 * over.  A bad state is an error.
 */
PG_FUNCTION_INFO_V1(soa_census_deserialize);
Datum
soa_census_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *data = PG_GETARG_BYTEA_PP(0);
	WireReader	r;
	Census	   *census;
	uint64		annex_2022,
				annex_2013,
				n;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "soa_census_deserialize called in non-aggregate context");
	r.p = (const unsigned char *) VARDATA_ANY(data);
	r.end = r.p + VARSIZE_ANY_EXHDR(data);
	/* in the call's memory, freed after combine has copied what it keeps */
	census = census_new(CurrentMemoryContext);

	if (!read_uint(&r, 8, &annex_2022) || !read_uint(&r, 8, &annex_2013) ||
		!read_sets(&r, census) || !read_uint(&r, 4, &n) ||
		annex_2022 > PG_INT64_MAX || annex_2013 > PG_INT64_MAX ||
		n > (uint64) (r.end - r.p) / 6)		/* an entry takes 6 bytes or more */
		goto bad;
	census->annex_2022 = (int64) annex_2022;
	census->annex_2013 = (int64) annex_2013;
	for (uint64 i = 0; i < n; i++)
	{
		CensusEntry *e = census_next(census);
		uint64		problems,
					flags,
					value;

		if (!read_uint(&r, 1, &problems) || !read_uint(&r, 1, &flags) ||
			problems == 0 || (problems & ~SOA_PROBLEM_MASK) != 0 ||
			(flags & ~(WIRE_CONTROL | WIRE_ENTRY | WIRE_TITLE)) != 0 ||
			((flags & WIRE_CONTROL) != 0) == ((problems & SOA_PROBLEM_ORGANIZATION) != 0) ||
			((flags & WIRE_ENTRY) != 0) == ((problems & SOA_PROBLEM_UNDECIDED) != 0))
			goto bad;
		e->problems = (int) problems;
		e->has_control = (flags & WIRE_CONTROL) != 0;
		e->has_entry = (flags & WIRE_ENTRY) != 0;
		e->control = 0;
		e->entry = 0;
		e->title = NULL;
		if (e->has_control)
		{
			if (!read_uint(&r, 4, &value) || !annex_a_is_valid((uint32) value))
				goto bad;
			e->control = (IsoControl) value;
		}
		if (e->has_entry)
		{
			if (!read_uint(&r, 2, &value) || !soa_is_valid((uint16) value))
				goto bad;
			e->entry = (SoaEntry) value;
		}
		if (!read_text(&r, census, &e->control_key))
			goto bad;
		if ((flags & WIRE_TITLE) != 0 && !read_text(&r, census, &e->title))
			goto bad;
	}
	if (r.p != r.end)
		goto bad;
	PG_RETURN_POINTER(census);

bad:
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid serialized soa_census_agg state")));
	PG_RETURN_NULL();			/* keep the compiler quiet */
}

/* What the final function needs of an array column's element type */
typedef struct ElementType
{
	Oid			type;
	int16		len;
	bool		byval;
	char		align;
} ElementType;

/* The result's row descriptor and element types, looked up once a query */
typedef struct CensusResult
{
	TupleDesc	desc;
	ElementType elements[CENSUS_NARRAYS];
} CensusResult;

/* The result's description, cached in the function's memory */
static CensusResult *
census_result(FunctionCallInfo fcinfo)
{
	CensusResult *result = fcinfo->flinfo->fn_extra;

	if (result == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
		TupleDesc	desc = iso27001_result_desc(fcinfo);

		if (desc->natts != CENSUS_NCOLUMNS && desc->natts != CENSUS_NCOLUMNS_021)
			elog(ERROR, "soa_census has %d columns, not %d", desc->natts, CENSUS_NCOLUMNS);
		result = palloc(sizeof(CensusResult));
		result->desc = desc;
		for (int i = 0; i < CENSUS_NARRAYS; i++)
		{
			ElementType *el = &result->elements[i];

			el->type = get_element_type(TupleDescAttr(desc, 2 + i)->atttypid);
			if (!OidIsValid(el->type))
				elog(ERROR, "column %d of soa_census is not an array", 3 + i);
			get_typlenbyvalalign(el->type, &el->len, &el->byval, &el->align);
		}
		MemoryContextSwitchTo(old);
		fcinfo->flinfo->fn_extra = result;
	}
	return result;
}

/* A one-dimensional array of n values (empty when n is 0) */
static Datum
make_array(Datum *values, bool *nulls, int n, const ElementType *el)
{
	int			dims[1] = {n};
	int			lbs[1] = {1};

	if (n == 0)
		return PointerGetDatum(construct_empty_array(el->type));
	return PointerGetDatum(construct_md_array(values, nulls, 1, dims, lbs,
											  el->type, el->len, el->byval, el->align));
}

/*
 * Final: the soa_census row (annex_2022, annex_2013, control_key[],
 * control[], title[], entry[], problems[], risk_treatment, excluded,
 * implemented, partially_implemented).  A group of no rows counts 0
 * and keeps nothing.  Reads the state without changing it.
 */
PG_FUNCTION_INFO_V1(soa_census_final);
Datum
soa_census_final(PG_FUNCTION_ARGS)
{
	Census	   *census = PG_ARGISNULL(0) ? NULL : (Census *) PG_GETARG_POINTER(0);
	CensusResult *result = census_result(fcinfo);
	int			n = census == NULL ? 0 : census->n;
	Datum		columns[CENSUS_NCOLUMNS];
	bool		column_nulls[CENSUS_NCOLUMNS] = {false};
	Datum	   *values[CENSUS_NARRAYS];
	bool	   *nulls[CENSUS_NARRAYS];

	for (int a = 0; a < CENSUS_NARRAYS; a++)
	{
		values[a] = palloc(sizeof(Datum) * Max(n, 1));
		nulls[a] = palloc(sizeof(bool) * Max(n, 1));
	}
	for (int i = 0; i < n; i++)
	{
		CensusEntry *e = &census->entries[i];

		values[0][i] = PointerGetDatum(e->control_key);
		nulls[0][i] = false;
		values[1][i] = IsoControlGetDatum(e->control);
		nulls[1][i] = !e->has_control;
		values[2][i] = PointerGetDatum(e->title);
		nulls[2][i] = e->title == NULL;
		values[3][i] = SoaEntryGetDatum(e->entry);
		nulls[3][i] = !e->has_entry;
		values[4][i] = Int32GetDatum(e->problems);
		nulls[4][i] = false;
	}

	columns[0] = Int64GetDatum(census == NULL ? 0 : census->annex_2022);
	columns[1] = Int64GetDatum(census == NULL ? 0 : census->annex_2013);
	for (int a = 0; a < CENSUS_NARRAYS; a++)
		columns[2 + a] = make_array(values[a], nulls[a], n, &result->elements[a]);
	/* the sets, unless the database still has 0.2.1's type */
	for (int k = 0; k < CENSUS_NSETS && result->desc->natts == CENSUS_NCOLUMNS; k++)
	{
		AnnexASet	empty = {{0}};

		columns[2 + CENSUS_NARRAYS + k] =
			VarBitPGetDatum(annex_a_set_varbit(census == NULL ? &empty : &census->sets[k]));
	}
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(result->desc, columns, column_nulls)));
}
