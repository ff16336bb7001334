/* shim.h: the fuzz harnesses' backend shim (see shim.c) */
#ifndef ISO27001_FUZZ_SHIM_H
#define ISO27001_FUZZ_SHIM_H

#include "fmgr.h"

#include "compat.h"				/* the varlena macros are in varatt.h from 16 */

extern void shim_reset(void);

/*
 * Call a V1 function with one argument; false if it raised an error.
 * The result is left in *result.
 */
static inline bool
shim_call(PGFunction fn, Datum arg, Datum *result)
{
	sigjmp_buf	jump;
	sigjmp_buf *saved = PG_exception_stack;
	LOCAL_FCINFO(fcinfo, 1);

	InitFunctionCallInfoData(*fcinfo, NULL, 1, InvalidOid, NULL, NULL);
	fcinfo->args[0].value = arg;
	fcinfo->args[0].isnull = false;
	if (sigsetjmp(jump, 0) != 0)
	{
		PG_exception_stack = saved;
		return false;
	}
	PG_exception_stack = &jump;
	*result = fn(fcinfo);
	PG_exception_stack = saved;
	return !fcinfo->isnull;
}

/*
 * Call a V1 function with two arguments (a combine function); false if it
 * raised an error.  The result is left in *result.
 */
static inline bool
shim_call2(PGFunction fn, Datum arg0, Datum arg1, Datum *result)
{
	sigjmp_buf	jump;
	sigjmp_buf *saved = PG_exception_stack;
	LOCAL_FCINFO(fcinfo, 2);

	InitFunctionCallInfoData(*fcinfo, NULL, 2, InvalidOid, NULL, NULL);
	fcinfo->args[0].value = arg0;
	fcinfo->args[0].isnull = false;
	fcinfo->args[1].value = arg1;
	fcinfo->args[1].isnull = false;
	if (sigsetjmp(jump, 0) != 0)
	{
		PG_exception_stack = saved;
		return false;
	}
	PG_exception_stack = &jump;
	*result = fn(fcinfo);
	PG_exception_stack = saved;
	return !fcinfo->isnull;
}

#endif
