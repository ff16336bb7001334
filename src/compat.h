/*-------------------------------------------------------------------------
 *
 * compat.h
 *	  Differences between the PostgreSQL major versions the extension
 *	  builds against (14 to 17).  Every PG_VERSION_NUM test lives here.
 *
 * src/compat.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef ISO27001_COMPAT_H
#define ISO27001_COMPAT_H

/* include after postgres.h, which gives PG_VERSION_NUM and ereport() */

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
