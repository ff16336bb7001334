/*-------------------------------------------------------------------------
 *
 * iso27001.c
 *	  Module magic of the iso27001 extension, and what its C functions
 *	  share.  The types and functions live in one file each (see README,
 *	  Layout).
 *
 * src/iso27001.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"
#include "funcapi.h"

#include "iso27001.h"

PG_MODULE_MAGIC;

/*
 * The blessed row descriptor of a function returning a row (OUT
 * parameters or RETURNS TABLE): its declaration guarantees one.
 */
TupleDesc
iso27001_result_desc(FunctionCallInfo fcinfo)
{
	TupleDesc	desc;

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	return BlessTupleDesc(desc);
}
