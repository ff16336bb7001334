/*-------------------------------------------------------------------------
 *
 * evidence_census.c
 *	  The validator's one pass over the evidence records.
 *	  evidence_census_agg, grouped by scope, reads each record once and
 *	  keeps, for each control it names, whether a record collected by the
 *	  day validated is valid on it and the latest expiry of those that are
 *	  not; the scope's requirements of current evidence come in the same
 *	  pass, as rows marked required.  Its result lists only the stale
 *	  controls: named by a record collected by then, or required, and with
 *	  no record valid on the day, with the latest expiry (NULL when none)
 *	  and whether current evidence is required.  The rule EVIDENCE_STALE
 *	  reports those of them that the register says are implemented.
 *
 *	  Annex A controls are a byte each, one per place of the catalogue
 *	  (annex_a_ordinal), with the latest expiry of the expired ones in a
 *	  short list beside (about 600 bytes a scope in all, so that a hashed
 *	  grouping of 10,000 scopes fits in the default work_mem);
 *	  organization-defined keys are kept as a list, one item per key and
 *	  row, sorted and folded into one item per key whenever it fills up and
 *	  by the final function, so the state grows with a scope's keys, never
 *	  with its records.  Combine
 *	  merges the slots and appends the lists; serialize and deserialize
 *	  carry the state between parallel workers.
 *
 * src/evidence_census.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "datatype/timestamp.h"
#include "fmgr.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/array.h"
#include "utils/arrayaccess.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/timestamp.h"

#include "iso_control_parse.h"
#include "iso27001.h"

/* Arguments of the transition function (0 is the state) */
#define ARG_CONTROL_KEYS	1
#define ARG_COLLECTED_AT	2
#define ARG_VALID_UNTIL		3
#define ARG_REQUIRED		4
#define ARG_AS_OF			5

/* What is known of a control: bits, and the latest expiry when EXPIRED */
#define KNOWN_VALID			1	/* a record collected by as_of, valid on it */
#define KNOWN_EXPIRED		2	/* a record collected by as_of, expired on it */
#define KNOWN_REQUIRED		4	/* current evidence required */
#define KNOWN_MASK			7

/* One control's knowledge */
typedef struct Known
{
	DateADT		last_valid;		/* the latest expiry, when KNOWN_EXPIRED */
	uint8		known;
} Known;

/* What one row said of an organization-defined key */
typedef struct OrgKnown
{
	text	   *key;
	Known		k;
} OrgKnown;

/* The state */
typedef struct EvidenceCensus
{
	MemoryContext cxt;
	bool		has_as_of;
	DateADT		as_of;
	bool		has_collected_by;
	TimestampTz collected_by;	/* records collected before it count */
	uint8		known[ANNEX_A_CONTROLS];	/* KNOWN_ bits of each control */
	uint8		expiry[ANNEX_A_CONTROLS];	/* 1 + its place in expiries, 0 if none */
	int			nexpiries;
	int			expiries_size;
	DateADT    *expiries;		/* latest expiry of the expired controls */
	int			n;
	int			size;
	OrgKnown   *org;
} EvidenceCensus;

/* Columns of the evidence_census row */
#define RESULT_NCOLUMNS		3	/* control_key[], last_valid[], required[] */

/* A new, empty state in the given memory */
static EvidenceCensus *
census_new(MemoryContext cxt)
{
	EvidenceCensus *census = MemoryContextAllocZero(cxt, sizeof(EvidenceCensus));

	census->cxt = cxt;
	return census;
}

/* The day validated: the same for every row, finite */
static void
census_set_as_of(EvidenceCensus *census, DateADT as_of)
{
	if (census->has_as_of)
	{
		if (as_of != census->as_of)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("as_of of evidence_census_agg must be the same for every row")));
		return;
	}
	if (DATE_NOT_FINITE(as_of))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_FIELD_OVERFLOW),
				 errmsg("as_of must be a finite date")));
	census->as_of = as_of;
	census->has_as_of = true;
}

/*
 * The end of as_of in the session's time zone: records collected before it
 * count.  Worked out on the first record (combine and deserialize need
 * only the date).
 */
static TimestampTz
census_collected_by(EvidenceCensus *census)
{
	if (!census->has_collected_by)
	{
		census->collected_by = DatumGetTimestampTz(
			DirectFunctionCall1(date_timestamptz,
								DirectFunctionCall2(date_pli, DateADTGetDatum(census->as_of),
													Int32GetDatum(1))));
		census->has_collected_by = true;
	}
	return census->collected_by;
}

/* Fold one row's knowledge of a control into what is known of it */
static inline void
known_add(Known *to, const Known *from)
{
	if ((from->known & KNOWN_EXPIRED) != 0 &&
		((to->known & KNOWN_EXPIRED) == 0 || from->last_valid > to->last_valid))
		to->last_valid = from->last_valid;
	to->known |= from->known;
}

/* What is known of the Annex A control at a place of the catalogue */
static Known
annex_known(const EvidenceCensus *census, int i)
{
	Known		k;

	k.known = census->known[i];
	k.last_valid = census->expiry[i] == 0 ? 0 : census->expiries[census->expiry[i] - 1];
	return k;
}

/* Fold knowledge into the Annex A control at a place of the catalogue */
static void
annex_add(EvidenceCensus *census, int i, const Known *k)
{
	Known		now = annex_known(census, i);

	known_add(&now, k);
	census->known[i] = now.known;
	if ((now.known & KNOWN_EXPIRED) == 0)
		return;
	if (census->expiry[i] == 0)
	{
		/* at most one a control of the catalogue: the index fits a byte */
		if (census->nexpiries == census->expiries_size)
		{
			census->expiries_size = census->expiries_size == 0 ? 8 :
				Min(census->expiries_size * 2, ANNEX_A_CONTROLS);
			census->expiries = census->expiries == NULL ?
				MemoryContextAlloc(census->cxt, census->expiries_size * sizeof(DateADT)) :
				repalloc(census->expiries, census->expiries_size * sizeof(DateADT));
		}
		census->expiry[i] = (uint8) (++census->nexpiries);
	}
	census->expiries[census->expiry[i] - 1] = now.last_valid;
}

/* Order of organization-defined items: by key, bytewise */
static int
org_cmp(const void *a, const void *b)
{
	const text *x = ((const OrgKnown *) a)->key;
	const text *y = ((const OrgKnown *) b)->key;
	int			lx = VARSIZE(x) - VARHDRSZ;
	int			ly = VARSIZE(y) - VARHDRSZ;
	int			c = memcmp(VARDATA(x), VARDATA(y), Min(lx, ly));

	return c != 0 ? c : (lx > ly) - (lx < ly);
}

/*
 * Sort the organization-defined items by key and fold each key's into one,
 * so that the list holds a scope's keys, not its records
 */
static void
org_fold(EvidenceCensus *census)
{
	int			n = 0;

	if (census->n < 2)
		return;
	qsort(census->org, census->n, sizeof(OrgKnown), org_cmp);
	for (int i = 0; i < census->n; i++)
	{
		if (n > 0 && org_cmp(&census->org[n - 1], &census->org[i]) == 0)
		{
			known_add(&census->org[n - 1].k, &census->org[i].k);
			pfree(census->org[i].key);
		}
		else
			census->org[n++] = census->org[i];
	}
	census->n = n;
}

/* Room for at least n organization-defined items in all */
static void
org_reserve(EvidenceCensus *census, int n)
{
	if (n > (int) MaxArraySize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("a scope with more than %d evidence keys of organization-defined controls is too large to validate",
						(int) MaxArraySize)));
	if (n <= census->size)
		return;
	if (census->org == NULL)
		census->org = MemoryContextAllocHuge(census->cxt, n * sizeof(OrgKnown));
	else
		census->org = repalloc_huge(census->org, n * sizeof(OrgKnown));
	census->size = n;
}

/*
 * Record what a row says of one key.  When the list of organization-defined
 * items is full it is folded first, and grows only if that frees less than
 * half of it: its memory follows the scope's keys, not its records.
 */
static void
census_key(EvidenceCensus *census, const char *key, int len, const Known *k)
{
	IsoControl	control;
	OrgKnown   *o;

	if (annex_a_key_control(key, len, &control))
	{
		annex_add(census, annex_a_ordinal(control), k);
		return;
	}
	if (census->n == census->size)
	{
		org_fold(census);
		if (census->size == 0 || census->n > census->size / 2)
			org_reserve(census, census->size == 0 ? 16 :
						(int) Min((Size) census->size * 2, (Size) MaxArraySize + 1));
	}
	o = &census->org[census->n++];
	o->key = MemoryContextAlloc(census->cxt, VARHDRSZ + len);
	SET_VARSIZE(o->key, VARHDRSZ + len);
	memcpy(VARDATA(o->key), key, len);
	o->k = *k;
}

/* The aggregate's state, made on the first row */
static EvidenceCensus *
census_state(FunctionCallInfo fcinfo)
{
	MemoryContext aggcxt;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "evidence_census_agg transition called in non-aggregate context");
	if (!PG_ARGISNULL(0))
		return (EvidenceCensus *) PG_GETARG_POINTER(0);
	return census_new(aggcxt);
}

/*
 * evidence_census_agg(control_keys, collected_at, valid_until, required,
 * as_of) transition: one evidence record (required false), or one
 * requirement of current evidence (required true: the dates are not
 * read).  A record not collected by as_of, or without valid_until, says
 * nothing; NULL keys are skipped.
 */
PG_FUNCTION_INFO_V1(evidence_census_accum);
Datum
evidence_census_accum(PG_FUNCTION_ARGS)
{
	EvidenceCensus *census = census_state(fcinfo);
	ArrayType  *keys;
	array_iter	it;
	int			n;
	Known		k = {0};

	if (PG_ARGISNULL(ARG_AS_OF))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("as_of of evidence_census_agg must not be null")));
	census_set_as_of(census, PG_GETARG_DATEADT(ARG_AS_OF));
	if (PG_ARGISNULL(ARG_CONTROL_KEYS))
		PG_RETURN_POINTER(census);

	if (!PG_ARGISNULL(ARG_REQUIRED) && PG_GETARG_BOOL(ARG_REQUIRED))
		k.known = KNOWN_REQUIRED;
	else if (PG_ARGISNULL(ARG_COLLECTED_AT) || PG_ARGISNULL(ARG_VALID_UNTIL) ||
			 PG_GETARG_TIMESTAMPTZ(ARG_COLLECTED_AT) >= census_collected_by(census))
		PG_RETURN_POINTER(census);
	else if (PG_GETARG_DATEADT(ARG_VALID_UNTIL) >= census->as_of)
		k.known = KNOWN_VALID;
	else
	{
		k.known = KNOWN_EXPIRED;
		k.last_valid = PG_GETARG_DATEADT(ARG_VALID_UNTIL);
	}

	keys = PG_GETARG_ARRAYTYPE_P(ARG_CONTROL_KEYS);
	if (ARR_ELEMTYPE(keys) != TEXTOID)
		elog(ERROR, "evidence_census_agg expects text[]");	/* can't happen */
	n = ArrayGetNItems(ARR_NDIM(keys), ARR_DIMS(keys));
	array_iter_setup(&it, (AnyArrayType *) keys);
	for (int i = 0; i < n; i++)
	{
		bool		isnull;
		Datum		key = array_iter_next(&it, &isnull, i, -1, false, TYPALIGN_INT);

		if (!isnull)
			census_key(census, VARDATA_ANY(DatumGetPointer(key)),
					   VARSIZE_ANY_EXHDR(DatumGetPointer(key)), &k);
	}
	PG_RETURN_POINTER(census);
}

/* Combine: b's slots folded into a's, b's organization-defined keys appended */
PG_FUNCTION_INFO_V1(evidence_census_combine);
Datum
evidence_census_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	EvidenceCensus *a,
			   *b;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "evidence_census_combine called in non-aggregate context");
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	b = (EvidenceCensus *) PG_GETARG_POINTER(1);
	a = PG_ARGISNULL(0) ? census_new(aggcxt) : (EvidenceCensus *) PG_GETARG_POINTER(0);

	if (b->has_as_of)
		census_set_as_of(a, b->as_of);
	for (int i = 0; i < ANNEX_A_CONTROLS; i++)
		if (b->known[i] != 0)
		{
			Known		k = annex_known(b, i);

			annex_add(a, i, &k);
		}
	for (int i = 0; i < b->n; i++)
		census_key(a, VARDATA(b->org[i].key), VARSIZE(b->org[i].key) - VARHDRSZ, &b->org[i].k);
	PG_RETURN_POINTER(a);
}

/* Send one control's knowledge: its bits, then the expiry if any */
static void
send_known(StringInfo buf, const Known *k)
{
	pq_sendbyte(buf, k->known);
	if ((k->known & KNOWN_EXPIRED) != 0)
		pq_sendint32(buf, k->last_valid);
}

/*
 * Serialize for parallel workers: as_of (a flag, then the date), the
 * slots, the number of organization-defined items, then each as its key
 * (length, bytes) and knowledge.
 */
PG_FUNCTION_INFO_V1(evidence_census_serialize);
Datum
evidence_census_serialize(PG_FUNCTION_ARGS)
{
	EvidenceCensus *census = (EvidenceCensus *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, census->has_as_of ? 1 : 0);
	if (census->has_as_of)
		pq_sendint32(&buf, census->as_of);
	for (int i = 0; i < ANNEX_A_CONTROLS; i++)
	{
		Known		k = annex_known(census, i);

		send_known(&buf, &k);
	}
	pq_sendint32(&buf, census->n);
	for (int i = 0; i < census->n; i++)
	{
		pq_sendint32(&buf, VARSIZE(census->org[i].key) - VARHDRSZ);
		pq_sendbytes(&buf, VARDATA(census->org[i].key), VARSIZE(census->org[i].key) - VARHDRSZ);
		send_known(&buf, &census->org[i].k);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* A reader of serialized bytes that stops at their end */
typedef struct WireReader
{
	const unsigned char *p;
	const unsigned char *end;
} WireReader;

/* Read a big-endian unsigned integer of 1 to 4 bytes; false past the end */
static bool
read_uint(WireReader *r, int bytes, uint32 *value)
{
	if (r->end - r->p < bytes)
		return false;
	*value = 0;
	for (int i = 0; i < bytes; i++)
		*value = (*value << 8) | *r->p++;
	return true;
}

/* Read one control's knowledge; false past the end or with a bad value */
static bool
read_known(WireReader *r, Known *k)
{
	uint32		value;

	if (!read_uint(r, 1, &value) || (value & ~KNOWN_MASK) != 0)
		return false;
	k->known = (uint8) value;
	k->last_valid = 0;
	if ((k->known & KNOWN_EXPIRED) != 0)
	{
		if (!read_uint(r, 4, &value) || DATE_NOT_FINITE((DateADT) value))
			return false;
		k->last_valid = (DateADT) value;
	}
	return true;
}

/*
 * Deserialize, checking every size and value: known bits only, finite
 * dates, keys of valid text, nothing left over.  A bad state is an error.
 */
PG_FUNCTION_INFO_V1(evidence_census_deserialize);
Datum
evidence_census_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *data = PG_GETARG_BYTEA_PP(0);
	WireReader	r;
	EvidenceCensus *census;
	uint32		value,
				n;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "evidence_census_deserialize called in non-aggregate context");
	r.p = (const unsigned char *) VARDATA_ANY(data);
	r.end = r.p + VARSIZE_ANY_EXHDR(data);
	census = census_new(CurrentMemoryContext);

	if (!read_uint(&r, 1, &value) || value > 1)
		goto bad;
	if (value == 1)
	{
		if (!read_uint(&r, 4, &value) || DATE_NOT_FINITE((DateADT) value))
			goto bad;
		census_set_as_of(census, (DateADT) value);
	}
	for (int i = 0; i < ANNEX_A_CONTROLS; i++)
	{
		Known		k;

		if (!read_known(&r, &k))
			goto bad;
		if (k.known != 0)
			annex_add(census, i, &k);
	}
	/* an item takes 5 bytes or more */
	if (!read_uint(&r, 4, &n) || n > (uint32) (r.end - r.p) / 5)
		goto bad;
	/* room for them all: the items are kept as sent, not folded */
	org_reserve(census, census->n + (int) n);
	for (uint32 i = 0; i < n; i++)
	{
		uint32		len;
		Known		k;
		const char *key;

		if (!read_uint(&r, 4, &len) || len > (uint32) (r.end - r.p) ||
			!pg_verifymbstr((const char *) r.p, (int) len, true))
			goto bad;
		key = (const char *) r.p;
		r.p += len;
		if (!read_known(&r, &k))
			goto bad;
		census_key(census, key, (int) len, &k);
	}
	if (r.p != r.end)
		goto bad;
	PG_RETURN_POINTER(census);

bad:
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid serialized evidence_census_agg state")));
	PG_RETURN_NULL();			/* keep the compiler quiet */
}


/* Is a control stale: named or required, and with no record valid? */
static inline bool
is_stale(const Known *k)
{
	return (k->known & KNOWN_VALID) == 0 && (k->known & (KNOWN_EXPIRED | KNOWN_REQUIRED)) != 0;
}

/* Append a stale control to the result's arrays */
static void
put_stale(Datum *keys, Datum *last, bool *last_null, Datum *required, int *n,
		  text *key, const Known *k)
{
	keys[*n] = PointerGetDatum(key);
	last[*n] = DateADTGetDatum(k->last_valid);
	last_null[*n] = (k->known & KNOWN_EXPIRED) == 0;
	required[*n] = BoolGetDatum((k->known & KNOWN_REQUIRED) != 0);
	(*n)++;
}

/* A one-dimensional array of a built-in type (empty when n is 0) */
static Datum
make_array(Datum *values, bool *nulls, int n, Oid type, int16 len, bool byval, char align)
{
	int			dims[1] = {n};
	int			lbs[1] = {1};

	if (n == 0)
		return PointerGetDatum(construct_empty_array(type));
	return PointerGetDatum(construct_md_array(values, nulls, 1, dims, lbs, type, len, byval, align));
}

/*
 * Final: the evidence_census row (control_key[], last_valid[],
 * required[]) of the scope's stale controls, Annex A in catalogue order,
 * then the organization-defined keys.  Folds the state's list of those
 * (its meaning unchanged); the rows are the same whatever the order they
 * came in.
 */
PG_FUNCTION_INFO_V1(evidence_census_final);
Datum
evidence_census_final(PG_FUNCTION_ARGS)
{
	EvidenceCensus *census = PG_ARGISNULL(0) ? NULL : (EvidenceCensus *) PG_GETARG_POINTER(0);
	TupleDesc	desc;
	int			most = census == NULL ? 1 : ANNEX_A_CONTROLS + census->n;
	Datum	   *keys = palloc(sizeof(Datum) * most);
	Datum	   *last = palloc(sizeof(Datum) * most);
	bool	   *last_null = palloc(sizeof(bool) * most);
	Datum	   *required = palloc(sizeof(Datum) * most);
	int			n = 0;
	Datum		columns[RESULT_NCOLUMNS];
	bool		column_nulls[RESULT_NCOLUMNS] = {false};

	desc = fcinfo->flinfo->fn_extra;
	if (desc == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);

		desc = iso27001_result_desc(fcinfo);
		if (desc->natts != RESULT_NCOLUMNS)
			elog(ERROR, "evidence_census has %d columns, not %d", desc->natts, RESULT_NCOLUMNS);
		MemoryContextSwitchTo(old);
		fcinfo->flinfo->fn_extra = desc;
	}

	if (census != NULL)
	{
		for (int i = 0; i < ANNEX_A_CONTROLS; i++)
		{
			Known		k = annex_known(census, i);

			if (is_stale(&k))
			{
				char		buf[ANNEX_A_FORMAT_BUFSIZE];

				annex_a_format(annex_a_at_ordinal(i), buf);
				put_stale(keys, last, last_null, required, &n, cstring_to_text(buf), &k);
			}
		}
		org_fold(census);
		for (int i = 0; i < census->n; i++)
			if (is_stale(&census->org[i].k))
				put_stale(keys, last, last_null, required, &n, census->org[i].key,
						  &census->org[i].k);
	}

	columns[0] = make_array(keys, NULL, n, TEXTOID, -1, false, TYPALIGN_INT);
	columns[1] = make_array(last, last_null, n, DATEOID, sizeof(DateADT), true, TYPALIGN_INT);
	columns[2] = make_array(required, NULL, n, BOOLOID, 1, true, TYPALIGN_CHAR);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, columns, column_nulls)));
}
