/*-------------------------------------------------------------------------
 *
 * compat.h
 *	  Differences between the PostgreSQL major versions the extension
 *	  builds against.  Tested on 15 and 18 (tools/test.sh builds and runs
 *	  every suite on both); the branches for 14, 16 and 17 follow the
 *	  release notes and compile, but no suite runs on them.  Every
 *	  PG_VERSION_NUM test lives here.
 *
 * src/compat.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef ISO27001_COMPAT_H
#define ISO27001_COMPAT_H

/* include after postgres.h, which gives PG_VERSION_NUM and ereport() */

/*
 * PostgreSQL 16 moved the varlena macros (VARDATA_ANY, VARSIZE_ANY_EXHDR,
 * VARATT_IS_EXTERNAL, ...) out of postgres.h into varatt.h.
 */
#if PG_VERSION_NUM >= 160000
#include "varatt.h"
#endif

/*
 * PostgreSQL 18 gave index_beginscan() a place for instrumentation (EXPLAIN
 * ANALYZE's index search counts); a scan outside the executor has none.
 */
#if PG_VERSION_NUM >= 180000
#define compat_index_beginscan(heap, index, snapshot, nkeys, norderbys) \
	index_beginscan((heap), (index), (snapshot), NULL, (nkeys), (norderbys))
#else
#define compat_index_beginscan(heap, index, snapshot, nkeys, norderbys) \
	index_beginscan((heap), (index), (snapshot), (nkeys), (norderbys))
#endif

/*
 * PostgreSQL 16 added soft input errors: an input function reports through
 * errsave(), which throws unless the caller (pg_input_is_valid, say) passed
 * an ErrorSaveContext.  Before 16 there is no such context: throw.
 */
#if PG_VERSION_NUM < 160000
#define errsave(context, ...) \
	do { (void) (context); ereport(ERROR, __VA_ARGS__); } while (0)
#endif

/*
 * PostgreSQL 15 gave pg_cryptohash_final() the length of the destination;
 * 14 trusts the caller.
 */
#if PG_VERSION_NUM < 150000
#define pg_cryptohash_final(ctx, dest, len) pg_cryptohash_final((ctx), (dest))
#endif

#endif							/* ISO27001_COMPAT_H */
