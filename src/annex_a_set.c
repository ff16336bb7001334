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

/* The control a register key names: its canonical text, and nothing else */
bool
annex_a_key_control(const char *key, int len, IsoControl *control)
{
	char		buf[ANNEX_A_FORMAT_BUFSIZE];
	char		canonical[ANNEX_A_FORMAT_BUFSIZE];
	AnnexAParse parse;
	uint32		id;

	/* "A.18.2.3" is the longest; a register key is the canonical form */
	if (len < 5 || len >= ANNEX_A_FORMAT_BUFSIZE || key[0] != 'A')
		return false;
	memcpy(buf, key, len);
	buf[len] = '\0';
	id = annex_a_parse(buf, &parse);
	if (id == 0 || annex_a_format(id, canonical) != len || memcmp(canonical, key, len) != 0)
		return false;
	*control = id;
	return true;
}

/* Add a control to a set */
void
annex_a_set_add(AnnexASet *set, IsoControl control)
{
	int			i = annex_a_ordinal(control);

	set->bits[i / BITS_PER_BYTE] |= (uint8) (0x80 >> (i % BITS_PER_BYTE));
}

/* Is a control in a set? */
bool
annex_a_set_has(const AnnexASet *set, IsoControl control)
{
	int			i = annex_a_ordinal(control);

	return (set->bits[i / BITS_PER_BYTE] & (0x80 >> (i % BITS_PER_BYTE))) != 0;
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
	ArrayType  *keys = PG_GETARG_ARRAYTYPE_P(0);
	AnnexASet	set = {{0}};
	array_iter	it;
	int			n = ArrayGetNItems(ARR_NDIM(keys), ARR_DIMS(keys));

	if (ARR_ELEMTYPE(keys) != TEXTOID)
		elog(ERROR, "annex_a_bits expects text[]");	/* can't happen */
	array_iter_setup(&it, (AnyArrayType *) keys);
	for (int i = 0; i < n; i++)
	{
		bool		isnull;
		Datum		key = array_iter_next(&it, &isnull, i, -1, false, TYPALIGN_INT);
		IsoControl	control;

		if (!isnull && annex_a_key_control(VARDATA_ANY(DatumGetPointer(key)),
										   VARSIZE_ANY_EXHDR(DatumGetPointer(key)),
										   &control))
			annex_a_set_add(&set, control);
	}
	PG_RETURN_VARBIT_P(annex_a_set_varbit(&set));
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
	VarBit	   *bits = PG_GETARG_VARBIT_P(0);
	Datum		members[ANNEX_A_CONTROLS];
	int			n = 0;
	bits8	   *p = VARBITS(bits);

	if (VARBITLEN(bits) != ANNEX_A_CONTROLS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a set of Annex A controls has %d bits, not %d",
						ANNEX_A_CONTROLS, VARBITLEN(bits)),
				 errhint("Make it with annex_a_bits().")));
	for (int i = 0; i < ANNEX_A_CONTROLS; i++)
		if ((p[i / BITS_PER_BYTE] & (0x80 >> (i % BITS_PER_BYTE))) != 0)
			members[n++] = IsoControlGetDatum(annex_a_at_ordinal(i));
	PG_RETURN_ARRAYTYPE_P(construct_array(members, n, iso_control_oid(fcinfo),
										  sizeof(IsoControl), true, TYPALIGN_INT));
}
