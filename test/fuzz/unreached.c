/*
 * unreached.c
 *	  Backend functions the linked files name on paths no parser takes (set
 *	  results, arrays of results).  Kept apart from shim.c so that no
 *	  header declares them: reaching one aborts, which the harness reports.
 */
#include <stdlib.h>

/* Named by the linked files, never reached by a parser: stop if they are */
#define UNREACHED(name) void name(void); void name(void) { abort(); }
UNREACHED(ArrayGetNItems)
UNREACHED(DatumGetAnyArrayP)
UNREACHED(BlessTupleDesc)
UNREACHED(HeapTupleHeaderGetDatum)
UNREACHED(construct_array)
UNREACHED(DirectFunctionCall1Coll)
UNREACHED(DirectFunctionCall2Coll)
UNREACHED(date_pli)
UNREACHED(date_timestamptz)
UNREACHED(get_func_rettype)
UNREACHED(construct_empty_array)
UNREACHED(construct_md_array)
UNREACHED(deconstruct_array)
UNREACHED(get_call_result_type)
UNREACHED(get_element_type)
UNREACHED(get_typlenbyvalalign)
UNREACHED(heap_form_tuple)
UNREACHED(iso27001_result_desc)
