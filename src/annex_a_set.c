/*-------------------------------------------------------------------------
 *
 * annex_a_set.c
 *	  Sets of Annex A controls as bit strings: one bit per control of the
 *	  catalogue of both editions, in the order of annex_a_ordinal (the 93
 *	  of 2022, then the 114 of 2013).  The validator compares a scope's
 *	  controls included for risk treatment, excluded or implemented (from
 *	  soa_census_agg) with the controls its risks name (bit_or over
 *	  annex_a_bits) using PostgreSQL's own bit string operators, and
 *	  unnests what is left with annex_a_members.
 *
 * src/annex_a_set.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "utils/array.h"
#include "utils/arrayaccess.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/varbit.h"

#include "iso_control_parse.h"
#include "iso27001.h"

StaticAssertDecl(ANNEX_A_SET_BYTES == (ANNEX_A_CONTROLS + BITS_PER_BYTE - 1) / BITS_PER_BYTE,
				 "ANNEX_A_SET_BYTES holds the catalogue");

/*
 * The control a register key names: its canonical text ("A.5.7",
 * "A.12.6.1": "A.", then two or three numbers without leading zeros), and
 * nothing else.  Called for every key of every evidence record and risk:
 * it reads the key once, in place.
 */
bool
annex_a_key_control(const char *key, int len, IsoControl *control)
{
	int			part[3] = {0, 0, 0};
	int			nparts = 0;
	int			i = 2;
	uint32		id;

	if (len < 5 || len > 8 || key[0] != 'A' || key[1] != '.')
		return false;
	while (nparts < 3)
	{
		/* one or two digits, the first not a zero */
		if (i >= len || key[i] < '1' || key[i] > '9')
			return false;
		part[nparts] = key[i++] - '0';
		if (i < len && key[i] >= '0' && key[i] <= '9')
			part[nparts] = part[nparts] * 10 + (key[i++] - '0');
		nparts++;
		if (i == len)
			break;
		if (key[i++] != '.')
			return false;
	}
	if (i != len || nparts < 2)
		return false;
	id = nparts == 2 ? ANNEX_A_PACK(ANNEX_A_EDITION_2022, part[0], part[1], 0) :
		ANNEX_A_PACK(ANNEX_A_EDITION_2013, part[0], part[1], part[2]);
	if (!annex_a_is_valid(id))
		return false;
	*control = id;
	return true;
}

/* Set a control's bit in the bytes of a set */
static inline void
set_bit(bits8 *bits, IsoControl control)
{
	int			i = annex_a_ordinal(control);

	bits[i / BITS_PER_BYTE] |= (bits8) (0x80 >> (i % BITS_PER_BYTE));
}

/* Add the Annex A controls among an array's keys to a set */
static void
annex_a_set_add_keys(bits8 *bits, ArrayType *keys)
{
	array_iter	it;
	int			n = ArrayGetNItems(ARR_NDIM(keys), ARR_DIMS(keys));

	if (ARR_ELEMTYPE(keys) != TEXTOID)
		elog(ERROR, "a set of Annex A controls is made of text[]");	/* can't happen */
	array_iter_setup(&it, (AnyArrayType *) keys);
	for (int i = 0; i < n; i++)
	{
		bool		isnull;
		Datum		key = array_iter_next(&it, &isnull, i, -1, false, TYPALIGN_INT);
		IsoControl	control;

		if (!isnull && annex_a_key_control(VARDATA_ANY(DatumGetPointer(key)),
										   VARSIZE_ANY_EXHDR(DatumGetPointer(key)),
										   &control))
			set_bit(bits, control);
	}
}

/* Add a control to a set */
void
annex_a_set_add(AnnexASet *set, IsoControl control)
{
	set_bit(set->bits, control);
}

/* A set as a bit string of ANNEX_A_CONTROLS bits */
VarBit *
annex_a_set_varbit(const AnnexASet *set)
{
	VarBit	   *result = palloc0(VARBITTOTALLEN(ANNEX_A_CONTROLS));

	SET_VARSIZE(result, VARBITTOTALLEN(ANNEX_A_CONTROLS));
	VARBITLEN(result) = ANNEX_A_CONTROLS;
	memcpy(VARBITS(result), set->bits, ANNEX_A_SET_BYTES);
	return result;
}

/*
 * annex_a_bits(keys text[]) -> bit varying: the set of the Annex A controls
 * among register keys (their canonical text, "A.5.7"); organization-defined
 * keys and NULL elements are not in it.
 */
PG_FUNCTION_INFO_V1(annex_a_bits);
Datum
annex_a_bits(PG_FUNCTION_ARGS)
{
	AnnexASet	set = {{0}};

	annex_a_set_add_keys(set.bits, PG_GETARG_ARRAYTYPE_P(0));
	PG_RETURN_VARBIT_P(annex_a_set_varbit(&set));
}

/* A set given as an argument: 22023 when it is a bit string of another length */
static VarBit *
set_argument(FunctionCallInfo fcinfo, int argno, bool copy)
{
	VarBit	   *bits = copy ? PG_GETARG_VARBIT_P_COPY(argno) : PG_GETARG_VARBIT_P(argno);

	if (VARBITLEN(bits) != ANNEX_A_CONTROLS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a set of Annex A controls has %d bits, not %d",
						ANNEX_A_CONTROLS, VARBITLEN(bits)),
				 errhint("Make it with annex_a_bits().")));
	return bits;
}

/*
 * annex_a_set_agg(keys text[]) transition: the union of the rows' sets,
 * kept in one bit string of the aggregate's memory and updated in place
 * (called outside an aggregate, on a copy).  NULL arrays add nothing.
 */
PG_FUNCTION_INFO_V1(annex_a_set_accum);
Datum
annex_a_set_accum(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	bool		in_aggregate = AggCheckCallContext(fcinfo, &aggcxt) != 0;
	VarBit	   *state;

	if (PG_ARGISNULL(0))
	{
		AnnexASet	empty = {{0}};
		MemoryContext old = MemoryContextSwitchTo(in_aggregate ? aggcxt : CurrentMemoryContext);

		state = annex_a_set_varbit(&empty);
		MemoryContextSwitchTo(old);
	}
	else
		state = set_argument(fcinfo, 0, !in_aggregate);
	if (!PG_ARGISNULL(1))
		annex_a_set_add_keys(VARBITS(state), PG_GETARG_ARRAYTYPE_P(1));
	PG_RETURN_VARBIT_P(state);
}

/* The type iso_control, looked up from the function's iso_control[] result once a query */
static Oid
iso_control_oid(FunctionCallInfo fcinfo)
{
	if (fcinfo->flinfo->fn_extra == NULL)
	{
		Oid		   *type = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(Oid));

		*type = get_element_type(get_func_rettype(fcinfo->flinfo->fn_oid));
		if (!OidIsValid(*type))
			elog(ERROR, "annex_a_members does not return an array");	/* can't happen */
		fcinfo->flinfo->fn_extra = type;
	}
	return *(Oid *) fcinfo->flinfo->fn_extra;
}

/*
 * annex_a_members(bits bit varying) -> iso_control[]: the controls of a set,
 * in catalogue order (2022, then 2013).  A bit string of another length is
 * not a set (22023).
 */
PG_FUNCTION_INFO_V1(annex_a_members);
Datum
annex_a_members(PG_FUNCTION_ARGS)
{
	VarBit	   *bits = set_argument(fcinfo, 0, false);
	Datum		members[ANNEX_A_CONTROLS];
	int			n = 0;
	bits8	   *p = VARBITS(bits);

	for (int i = 0; i < ANNEX_A_CONTROLS; i++)
		if ((p[i / BITS_PER_BYTE] & (0x80 >> (i % BITS_PER_BYTE))) != 0)
			members[n++] = IsoControlGetDatum(annex_a_at_ordinal(i));
	PG_RETURN_ARRAYTYPE_P(construct_array(members, n, iso_control_oid(fcinfo),
										  sizeof(IsoControl), true, TYPALIGN_INT));
}

/*
 * annex_a_set_agg combine: the union of two partial sets, into the first
 * (the aggregate's own memory; outside an aggregate, into a copy).
 * Strict: a NULL side is the other.
 */
PG_FUNCTION_INFO_V1(annex_a_set_combine);
Datum
annex_a_set_combine(PG_FUNCTION_ARGS)
{
	VarBit	   *a = set_argument(fcinfo, 0, !AggCheckCallContext(fcinfo, NULL));
	VarBit	   *b = set_argument(fcinfo, 1, false);

	for (int i = 0; i < ANNEX_A_SET_BYTES; i++)
		VARBITS(a)[i] |= VARBITS(b)[i];
	PG_RETURN_VARBIT_P(a);
}
