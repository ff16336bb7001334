/*-------------------------------------------------------------------------
 *
 * iso27001.c
 *	  Module magic of the iso27001 extension.  The types and functions live
 *	  in one file each: iso_control.c (the Annex A control type), annex_a.c
 *	  (the shape of both editions, parser and formatter).
 *
 * src/iso27001.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"

PG_MODULE_MAGIC;
