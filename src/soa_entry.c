/*-------------------------------------------------------------------------
 *
 * soa_entry.c
 *	  The soa_entry type: one control's decision in a Statement of
 *	  Applicability (ISO/IEC 27001:2022 clause 6.1.3 d), two bytes passed by
 *	  value, and the soa_summary aggregate over entries.
 *
 * Input, binary receive and the constructor all end in soa_is_valid()'s
 * rule: an excluded entry has no implementation state or reasons, an
 * applicable entry has at least one reason.  Comparison and hashing are
 * the int2 support functions, declared LANGUAGE internal in the install
 * script: the packed value's integer order is excluded first, then
 * applicable entries by implementation progress.
 *
 * src/soa_entry.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "common/int.h"
#include "fmgr.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "compat.h"
#include "iso27001.h"
#include "soa_entry_parse.h"

#define SOA_TEXT_FORM_DETAIL \
	"An SoA entry is \"excluded\" or \"applicable, <implementation> (<reasons>)\", as in \"applicable, implemented (risk treatment, contractual)\"."
#define SOA_STATES_DETAIL \
	"Implementation is one of: not implemented, planned, partially implemented, implemented."
#define SOA_REASONS_DETAIL \
	"Reasons for inclusion are: risk treatment, legal, regulatory, contractual, business requirement, best practice."

/*
 * The state of an entry, checked: a value that no input path can make
 * (a binary-coercible cast from a corrupted int2, say) is an error rather
 * than an index past the vocabulary.
 */
static SoaState
entry_state(SoaEntry entry)
{
	if (!soa_is_valid(entry))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("invalid soa_entry value 0x%04X", entry)));
	return SOA_STATE(entry);
}

/* Raise (or save, for a soft-error caller) an input syntax error */
#define invalid_entry(escontext, str, ...) \
	errsave(escontext, \
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION), \
			 errmsg("invalid input syntax for type %s: \"%s\"", \
					"soa_entry", str), \
			 __VA_ARGS__))

/* Report why str, which soa_parse() rejected, is not an entry */
static void
report_invalid_entry(const char *str, const SoaParse *parse, Node *escontext)
{
	switch (parse->status)
	{
		case SOA_EXCLUDED_WITH_MORE:
			invalid_entry(escontext, str,
						  errdetail("An excluded entry has no implementation state or reasons."));
			break;
		case SOA_BAD_IMPLEMENTATION:
			invalid_entry(escontext, str, errdetail(SOA_STATES_DETAIL));
			break;
		case SOA_BAD_REASON:
			invalid_entry(escontext, str, errdetail(SOA_REASONS_DETAIL));
			break;
		case SOA_NO_REASON:
			invalid_entry(escontext, str,
						  errdetail("An applicable entry has at least one reason for inclusion."),
						  errhint(SOA_REASONS_DETAIL));
			break;
		case SOA_DUPLICATE_REASON:
			invalid_entry(escontext, str,
						  errdetail("Reason \"%s\" is listed twice.",
									soa_reason_names[parse->reason]));
			break;
		case SOA_BAD_SYNTAX:
		case SOA_OK:
			invalid_entry(escontext, str, errdetail(SOA_TEXT_FORM_DETAIL));
			break;
	}
}

/* Convert the text form of an entry to its packed value */
PG_FUNCTION_INFO_V1(soa_entry_in);
Datum
soa_entry_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	SoaParse	parse;
	SoaEntry	entry = soa_parse(str, &parse);

	if (parse.status != SOA_OK)
	{
		report_invalid_entry(str, &parse, fcinfo->context);
		PG_RETURN_NULL();
	}
	PG_RETURN_SOA_ENTRY(entry);
}

/* Convert an entry to its canonical text form */
PG_FUNCTION_INFO_V1(soa_entry_out);
Datum
soa_entry_out(PG_FUNCTION_ARGS)
{
	SoaEntry	entry = PG_GETARG_SOA_ENTRY(0);
	char		buf[SOA_FORMAT_BUFSIZE];

	entry_state(entry);
	soa_format(entry, buf);
	PG_RETURN_CSTRING(pstrdup(buf));
}

/* Convert the binary form (the packed value, 2 bytes) to an entry */
PG_FUNCTION_INFO_V1(soa_entry_recv);
Datum
soa_entry_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	SoaEntry	entry;

	if (buf->len - buf->cursor != sizeof(SoaEntry))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid external \"%s\" value", "soa_entry"),
				 errdetail("The binary form of an SoA entry is %d bytes, not %d.",
						   (int) sizeof(SoaEntry), buf->len - buf->cursor)));

	entry = (SoaEntry) pq_getmsgint(buf, sizeof(SoaEntry));
	if (!soa_is_valid(entry))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid external \"%s\" value", "soa_entry"),
				 errdetail("0x%04X is not a valid SoA entry.", entry)));
	PG_RETURN_SOA_ENTRY(entry);
}

/* Convert an entry to its binary form */
PG_FUNCTION_INFO_V1(soa_entry_send);
Datum
soa_entry_send(PG_FUNCTION_ARGS)
{
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendint16(&buf, PG_GETARG_SOA_ENTRY(0));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* The reason bit named by a constructor argument, or an error */
static int
reason_argument(text *word)
{
	char		phrase[SOA_PHRASE_BUFSIZE];
	char	   *str = text_to_cstring(word);
	int			reason = -1;

	if (*soa_read_phrase(str, phrase) == '\0')
		reason = soa_lookup_reason(phrase);
	if (reason < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("\"%s\" is not a reason for inclusion", str),
				 errdetail(SOA_REASONS_DETAIL)));
	return reason;
}

/*
 * Build an entry from its parts, for GRC code:
 * make_soa_entry(applicable, implementation, reasons).  Not STRICT: an
 * excluded entry is made with NULL implementation and reasons; NULL
 * applicability (undecided) gives NULL.
 */
PG_FUNCTION_INFO_V1(make_soa_entry);
Datum
make_soa_entry(PG_FUNCTION_ARGS)
{
	bool		has_state = !PG_ARGISNULL(1);
	ArrayType  *reasons = PG_ARGISNULL(2) ? NULL : PG_GETARG_ARRAYTYPE_P(2);
	int			nreasons = reasons ? ArrayGetNItems(ARR_NDIM(reasons), ARR_DIMS(reasons)) : 0;
	int			state;
	int			mask = 0;
	Datum	   *words;
	bool	   *nulls;
	int			nwords;

	if (PG_ARGISNULL(0))
	{
		if (has_state || nreasons > 0)
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("applicability of an SoA entry with an implementation state or reasons must not be null")));
		PG_RETURN_NULL();
	}

	if (!PG_GETARG_BOOL(0))
	{
		if (has_state || nreasons > 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("an excluded SoA entry has no implementation state or reasons")));
		PG_RETURN_SOA_ENTRY(SOA_PACK(SOA_EXCLUDED, 0));
	}

	if (!has_state)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("an applicable SoA entry needs an implementation state"),
				 errdetail(SOA_STATES_DETAIL)));
	else
	{
		char	   *str = text_to_cstring(PG_GETARG_TEXT_PP(1));
		char		phrase[SOA_PHRASE_BUFSIZE];

		state = -1;
		if (*soa_read_phrase(str, phrase) == '\0')
			state = soa_lookup_state(phrase);
		if (state < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("\"%s\" is not an implementation state", str),
					 errdetail(SOA_STATES_DETAIL)));
	}

	if (nreasons == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("an applicable SoA entry needs at least one reason for inclusion"),
				 errdetail(SOA_REASONS_DETAIL)));

	deconstruct_array(reasons, TEXTOID, -1, false, TYPALIGN_INT,
					  &words, &nulls, &nwords);
	for (int i = 0; i < nwords; i++)
	{
		int			reason;

		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("reasons for inclusion must not contain nulls")));
		reason = reason_argument(DatumGetTextPP(words[i]));
		if (mask & (1 << reason))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("reason \"%s\" is listed twice", soa_reason_names[reason])));
		mask |= 1 << reason;
	}
	PG_RETURN_SOA_ENTRY(SOA_PACK(state, mask));
}

/* Is the control applicable (included)? */
PG_FUNCTION_INFO_V1(soa_entry_is_applicable);
Datum
soa_entry_is_applicable(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(entry_state(PG_GETARG_SOA_ENTRY(0)) != SOA_EXCLUDED);
}

/* Implementation state as text; NULL for an excluded entry */
PG_FUNCTION_INFO_V1(soa_entry_implementation);
Datum
soa_entry_implementation(PG_FUNCTION_ARGS)
{
	SoaState	state = entry_state(PG_GETARG_SOA_ENTRY(0));

	if (state == SOA_EXCLUDED)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(soa_state_names[state]));
}

/* Clause 6.1.3 d): is the control implemented?  NULL when excluded */
PG_FUNCTION_INFO_V1(soa_entry_is_implemented);
Datum
soa_entry_is_implemented(PG_FUNCTION_ARGS)
{
	SoaState	state = entry_state(PG_GETARG_SOA_ENTRY(0));

	if (state == SOA_EXCLUDED)
		PG_RETURN_NULL();
	PG_RETURN_BOOL(state == SOA_IMPLEMENTED);
}

/* Reasons for inclusion as text[], in vocabulary order; empty if excluded */
PG_FUNCTION_INFO_V1(soa_entry_reasons);
Datum
soa_entry_reasons(PG_FUNCTION_ARGS)
{
	int			mask = SOA_REASONS(PG_GETARG_SOA_ENTRY(0));
	Datum		words[SOA_NREASONS];
	int			n = 0;

	for (int i = 0; i < SOA_NREASONS; i++)
		if (mask & (1 << i))
			words[n++] = PointerGetDatum(cstring_to_text(soa_reason_names[i]));
	PG_RETURN_ARRAYTYPE_P(construct_array(words, n, TEXTOID, -1, false,
										  TYPALIGN_INT));
}

/*
 * NIST OSCAL implementation-status state: implemented, partial, planned
 * (also for "not implemented": an applicable control not yet implemented
 * is pending risk treatment), not-applicable (excluded).
 */
PG_FUNCTION_INFO_V1(soa_entry_oscal_status);
Datum
soa_entry_oscal_status(PG_FUNCTION_ARGS)
{
	static const char *const oscal[SOA_NSTATES] = {
		"not-applicable", "planned", "planned", "partial", "implemented"
	};

	PG_RETURN_TEXT_P(cstring_to_text(oscal[entry_state(PG_GETARG_SOA_ENTRY(0))]));
}

/* Is a text argument NULL, empty or only blanks? */
static bool
text_is_blank(FunctionCallInfo fcinfo, int argno)
{
	text	   *t;
	const char *p;
	int			len;

	if (PG_ARGISNULL(argno))
		return true;
	t = PG_GETARG_TEXT_PP(argno);
	p = VARDATA_ANY(t);
	len = VARSIZE_ANY_EXHDR(t);
	for (int i = 0; i < len; i++)
		if (!(p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r' ||
			  p[i] == '\v' || p[i] == '\f'))
			return false;
	return true;
}

/* Has an array (possibly out of line, compressed or expanded) no elements? */
static bool
array_is_empty(Datum value)
{
	AnyArrayType *array = DatumGetAnyArrayP(value);

	return ArrayGetNItems(AARR_NDIM(array), AARR_DIMS(array)) == 0;
}

/*
 * What is wrong with one register entry whose entry, justification and
 * evidence are the arguments argno, argno + 1 and argno + 2: the
 * SOA_PROBLEM_ bits of iso27001.h.  Shared by soa_entry_problems() and the
 * validator's census aggregate, so that both apply the same rules.
 */
int
soa_entry_problems_at(FunctionCallInfo fcinfo, int argno)
{
	int			problems = 0;
	SoaState	state;

	if (PG_ARGISNULL(argno))
		return SOA_PROBLEM_UNDECIDED;
	state = entry_state(PG_GETARG_SOA_ENTRY(argno));

	if (text_is_blank(fcinfo, argno + 1))
		problems |= SOA_PROBLEM_NO_JUSTIFICATION;
	if (state >= SOA_PARTIALLY_IMPLEMENTED &&
		(PG_ARGISNULL(argno + 2) || array_is_empty(PG_GETARG_DATUM(argno + 2))))
		problems |= SOA_PROBLEM_NO_EVIDENCE;
	return problems;
}

/*
 * What is wrong with one register entry, as a bit set: 1 undecided (NULL
 * entry), 2 decided without a justification (NULL or only blanks), 4
 * partially implemented or implemented without evidence.  Not STRICT: a
 * NULL entry is itself the first problem.  The register's trigger checks
 * justifications with it.
 */
PG_FUNCTION_INFO_V1(soa_entry_problems);
Datum
soa_entry_problems(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(soa_entry_problems_at(fcinfo, 0));
}

/*
 * The soa_summary aggregate.  Its state is a concrete int8[] (so that it
 * can be combined anywhere, Citus included) of SUMMARY_SLOTS counters:
 * total, undecided (NULL entries), then one per SoaState.
 */
#define SUMMARY_TOTAL		0
#define SUMMARY_UNDECIDED	1
#define SUMMARY_STATE(s)	(2 + (s))
#define SUMMARY_SLOTS		(2 + SOA_NSTATES)

/*
 * The counters can arise from entries: none negative, and the total the
 * undecided plus those of each state (every entry counts in one of them)
 */
static bool
summary_counts_valid(const int64 *count)
{
	int64		sum = count[SUMMARY_UNDECIDED];

	for (int i = 0; i < SUMMARY_SLOTS; i++)
		if (count[i] < 0)
			return false;
	/* the parts of a total that is not negative cannot overflow it unnoticed */
	for (int s = 0; s < SOA_NSTATES; s++)
		if (pg_add_s64_overflow(sum, count[SUMMARY_STATE(s)], &sum))
			return false;
	return sum == count[SUMMARY_TOTAL];
}

/* A counter plus another; 22003 when the sum does not fit */
static int64
summary_add(int64 a, int64 b)
{
	int64		sum;

	if (pg_add_s64_overflow(a, b, &sum))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("soa_summary count out of range for bigint")));
	return sum;
}

/* Check that an array is a summary state; returns its counters */
static int64 *
summary_counters(ArrayType *state)
{
	if (ARR_NDIM(state) != 1 || ARR_DIMS(state)[0] != SUMMARY_SLOTS ||
		ARR_HASNULL(state) || ARR_ELEMTYPE(state) != INT8OID ||
		!summary_counts_valid((int64 *) ARR_DATA_PTR(state)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid soa_summary state"),
				 errdetail("The state is an array of %d non-negative, non-null bigint counters, the first the sum of the others.",
						   SUMMARY_SLOTS)));
	return (int64 *) ARR_DATA_PTR(state);
}

/*
 * Transition: count one entry.  Not STRICT, because a NULL entry is an
 * undecided control and is counted.  Updates the state in place when
 * called as an aggregate, as int8_avg_accum does.
 */
PG_FUNCTION_INFO_V1(soa_summary_accum);
Datum
soa_summary_accum(PG_FUNCTION_ARGS)
{
	ArrayType  *state;
	int64	   *count;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("soa_summary state must not be null")));
	state = AggCheckCallContext(fcinfo, NULL) ?
		PG_GETARG_ARRAYTYPE_P(0) : PG_GETARG_ARRAYTYPE_P_COPY(0);
	count = summary_counters(state);

	/* the total bounds each part: once it fits, so do they */
	count[SUMMARY_TOTAL] = summary_add(count[SUMMARY_TOTAL], 1);
	if (PG_ARGISNULL(1))
		count[SUMMARY_UNDECIDED]++;
	else
		count[SUMMARY_STATE(entry_state(PG_GETARG_SOA_ENTRY(1)))]++;
	PG_RETURN_ARRAYTYPE_P(state);
}

/* Combine: add two states */
PG_FUNCTION_INFO_V1(soa_summary_combine);
Datum
soa_summary_combine(PG_FUNCTION_ARGS)
{
	ArrayType  *state = AggCheckCallContext(fcinfo, NULL) ?
		PG_GETARG_ARRAYTYPE_P(0) : PG_GETARG_ARRAYTYPE_P_COPY(0);
	int64	   *count = summary_counters(state);
	int64	   *other = summary_counters(PG_GETARG_ARRAYTYPE_P(1));

	/* the totals first: once they fit, so do the parts, and state is unchanged on error */
	count[SUMMARY_TOTAL] = summary_add(count[SUMMARY_TOTAL], other[SUMMARY_TOTAL]);
	for (int i = SUMMARY_UNDECIDED; i < SUMMARY_SLOTS; i++)
		count[i] += other[i];
	PG_RETURN_ARRAYTYPE_P(state);
}

/* Final: the counters as an iso27001.soa_summary row */
PG_FUNCTION_INFO_V1(soa_summary_final);
Datum
soa_summary_final(PG_FUNCTION_ARGS)
{
	int64	   *count = summary_counters(PG_GETARG_ARRAYTYPE_P(0));
	TupleDesc	desc;
	Datum		values[8];
	bool		nulls[8] = {false};
	int64		applicable = 0;

	/* can't happen: the install script declares it to return soa_counts */
	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "soa_summary_final must return a composite type");
	desc = BlessTupleDesc(desc);
	if (desc->natts != lengthof(values))
		elog(ERROR, "soa_summary has %d columns, expected %d",
			 desc->natts, (int) lengthof(values));

	for (int s = SOA_NOT_IMPLEMENTED; s < SOA_NSTATES; s++)
		applicable = summary_add(applicable, count[SUMMARY_STATE(s)]);

	values[0] = Int64GetDatum(count[SUMMARY_TOTAL]);
	values[1] = Int64GetDatum(count[SUMMARY_UNDECIDED]);
	values[2] = Int64GetDatum(count[SUMMARY_STATE(SOA_EXCLUDED)]);
	values[3] = Int64GetDatum(applicable);
	values[4] = Int64GetDatum(count[SUMMARY_STATE(SOA_NOT_IMPLEMENTED)]);
	values[5] = Int64GetDatum(count[SUMMARY_STATE(SOA_PLANNED)]);
	values[6] = Int64GetDatum(count[SUMMARY_STATE(SOA_PARTIALLY_IMPLEMENTED)]);
	values[7] = Int64GetDatum(count[SUMMARY_STATE(SOA_IMPLEMENTED)]);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, values, nulls)));
}
