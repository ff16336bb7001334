/*-------------------------------------------------------------------------
 *
 * oscal.c
 *	  Name-based (version 5) UUIDs, so that the OSCAL documents the
 *	  extension exports carry the same identifiers for the same content and
 *	  diff cleanly from one export to the next (RFC 9562, section 5.5).
 *
 * src/oscal.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "common/cryptohash.h"
#include "common/sha1.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/uuid.h"

#include "compat.h"

/* The SHA-1 of namespace || name, or a can't-happen error */
static void
uuid_v5_digest(const pg_uuid_t *ns, const char *name, int len,
			   uint8 *digest)
{
	pg_cryptohash_ctx *ctx = pg_cryptohash_create(PG_SHA1);

	if (ctx == NULL ||
		pg_cryptohash_init(ctx) < 0 ||
		pg_cryptohash_update(ctx, ns->data, UUID_LEN) < 0 ||
		pg_cryptohash_update(ctx, (const uint8 *) name, len) < 0 ||
		pg_cryptohash_final(ctx, digest, SHA1_DIGEST_LENGTH) < 0)
	{
		pg_cryptohash_free(ctx);
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("could not compute a SHA-1 digest")));
	}
	pg_cryptohash_free(ctx);
}

/* uuid_v5(namespace, name): the version 5 UUID of a name (UTF-8 bytes as stored) */
PG_FUNCTION_INFO_V1(uuid_v5);
Datum
uuid_v5(PG_FUNCTION_ARGS)
{
	pg_uuid_t  *ns = PG_GETARG_UUID_P(0);
	text	   *name = PG_GETARG_TEXT_PP(1);
	uint8		digest[SHA1_DIGEST_LENGTH];
	pg_uuid_t  *result = palloc(sizeof(pg_uuid_t));

	uuid_v5_digest(ns, VARDATA_ANY(name), VARSIZE_ANY_EXHDR(name), digest);
	memcpy(result->data, digest, UUID_LEN);
	result->data[6] = (result->data[6] & 0x0f) | 0x50;	/* version 5 */
	result->data[8] = (result->data[8] & 0x3f) | 0x80;	/* RFC 4122 variant */
	PG_RETURN_UUID_P(result);
}
