/*-------------------------------------------------------------------------
 *
 * iso27001.h
 *	  Declarations shared by the C files of the iso27001 extension.
 *
 * src/iso27001.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef ISO27001_H
#define ISO27001_H

#include "fmgr.h"
#include "access/tupdesc.h"
#include "utils/varbit.h"

/*
 * iso_control: an Annex A control of either edition, the packed 32-bit
 * identifier of iso_control_parse.h, passed by value like an int4.
 */
typedef uint32 IsoControl;

#define DatumGetIsoControl(X)		((IsoControl) DatumGetUInt32(X))
#define IsoControlGetDatum(X)		UInt32GetDatum(X)
#define PG_GETARG_ISO_CONTROL(n)	DatumGetIsoControl(PG_GETARG_DATUM(n))
#define PG_RETURN_ISO_CONTROL(x)	return IsoControlGetDatum(x)

/*
 * soa_entry: one control's decision in a Statement of Applicability, the
 * packed 16-bit entry of soa.h, passed by value like an int2.
 */
typedef uint16 SoaEntry;

#define DatumGetSoaEntry(X)			((SoaEntry) DatumGetUInt16(X))
#define SoaEntryGetDatum(X)			UInt16GetDatum(X)
#define PG_GETARG_SOA_ENTRY(n)		DatumGetSoaEntry(PG_GETARG_DATUM(n))
#define PG_RETURN_SOA_ENTRY(x)		return SoaEntryGetDatum(x)

/*
 * What can be wrong with one register entry (soa_entry_problems), and what
 * else makes the validator look at it (soa_census_agg), as bits.
 */
#define SOA_PROBLEM_UNDECIDED			1	/* no decision (NULL entry) */
#define SOA_PROBLEM_NO_JUSTIFICATION	2	/* decided, justification blank */
#define SOA_PROBLEM_NO_EVIDENCE			4	/* (partially) implemented, no evidence */
#define SOA_PROBLEM_NEEDS_REVIEW		8	/* flagged for review */
#define SOA_PROBLEM_ORGANIZATION		16	/* organization-defined control */
#define SOA_PROBLEM_MASK				31

/*
 * A set of Annex A controls of both editions, one bit per place of
 * annex_a_ordinal (annex_a_set.c); a bit string of ANNEX_A_CONTROLS bits
 * in SQL.
 */
#define ANNEX_A_SET_BYTES			26	/* (ANNEX_A_CONTROLS + 7) / 8 */

typedef struct AnnexASet
{
	uint8		bits[ANNEX_A_SET_BYTES];
} AnnexASet;

/* annex_a_set.c */
extern bool annex_a_key_control(const char *key, int len, IsoControl *control);
extern void annex_a_set_add(AnnexASet *set, IsoControl control);
extern VarBit *annex_a_set_varbit(const AnnexASet *set);

/* soa_entry.c */
extern int	soa_entry_problems_at(FunctionCallInfo fcinfo, int argno);

/* iso27001.c */
extern TupleDesc iso27001_result_desc(FunctionCallInfo fcinfo);

#endif							/* ISO27001_H */
