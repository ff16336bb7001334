/*-------------------------------------------------------------------------
 *
 * soa_register.c
 *	  C support of the SoA register (sql/soa_register.sql): the look-ups
 *	  of a scope and of an approved version by name, which raise the
 *	  register's errors for SQL and C callers alike, and a test the
 *	  triggers use.
 *
 *	  The look-ups are queries run as the caller, so that privileges and
 *	  row-level security apply to them as to any query of the tables: a
 *	  scope hidden by a policy does not exist for the role it is hidden
 *	  from.
 *
 * src/soa_register.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "iso27001.h"
#include "soa_register.h"

#define SCOPE_QUERY \
	"SELECT s.scope_id FROM " SOA_SCOPE_TABLE " s" \
	" WHERE s.name OPERATOR(pg_catalog.=) $1"

#define VERSION_QUERY \
	"SELECT v.approved_at FROM " SOA_VERSION_TABLE " v" \
	" WHERE v.scope_id OPERATOR(pg_catalog.=) $1" \
	"   AND v.version OPERATOR(pg_catalog.=) $2"

/* A plan kept for the session, prepared on first use (inside SPI) */
SPIPlanPtr
soa_saved_plan(SPIPlanPtr *plan, const char *query, int nargs, Oid *types)
{
	if (*plan == NULL)
	{
		SPIPlanPtr	p = SPI_prepare(query, nargs, types);

		if (p == NULL || SPI_keepplan(p) != 0)
			elog(ERROR, "SPI_prepare failed for \"%s\": %s", query,
				 SPI_result_code_string(SPI_result));
		*plan = p;
	}
	return *plan;
}

/*
 * The first column of the one row a saved query returns, as a by-value
 * datum (bigint, timestamptz); false when it returns no row
 */
static bool
query_value(SPIPlanPtr *plan, const char *query, int nargs, Oid *types,
			Datum *args, Datum *value)
{
	bool		found;
	bool		isnull;
	int			rc;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	rc = SPI_execute_plan(soa_saved_plan(plan, query, nargs, types), args, NULL, true, 1);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute_plan failed for \"%s\": %s", query,
			 SPI_result_code_string(rc));
	found = SPI_processed > 0;
	if (found)
	{
		*value = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
		found = !isnull;
	}
	SPI_finish();
	return found;
}

/* The scope_id of a scope name; an unknown name raises 22023 */
int64
soa_scope_lookup(text *scope)
{
	static SPIPlanPtr plan = NULL;
	Oid			types[1] = {TEXTOID};
	Datum		args[1] = {PointerGetDatum(scope)};
	Datum		id;

	if (!query_value(&plan, SCOPE_QUERY, 1, types, args, &id))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("ISMS scope \"%s\" does not exist", text_to_cstring(scope)),
				 errhint("Create it with iso27001.create_scope().")));
	return DatumGetInt64(id);
}

/* When a version of a scope was approved; an unknown version raises 22023 */
TimestampTz
soa_version_lookup(text *scope, int64 scope_id, int32 version)
{
	static SPIPlanPtr plan = NULL;
	Oid			types[2] = {INT8OID, INT4OID};
	Datum		args[2] = {Int64GetDatum(scope_id), Int32GetDatum(version)};
	Datum		at;

	if (!query_value(&plan, VERSION_QUERY, 2, types, args, &at))
	{
		char	   *name = text_to_cstring(scope);

		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("scope \"%s\" has no approved version %d", name, version),
				 errhint("SELECT version, approved_at FROM iso27001.soa_versions WHERE scope = %s lists them.",
						 quote_literal_cstr(name))));
	}
	return DatumGetTimestampTz(at);
}

/* soa_scope_id(scope text): the scope_id of a scope name, or 22023 */
PG_FUNCTION_INFO_V1(soa_scope_id);
Datum
soa_scope_id(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(soa_scope_lookup(PG_GETARG_TEXT_PP(0)));
}

/* soa_version_time(scope text, version integer): when it was approved, or 22023 */
PG_FUNCTION_INFO_V1(soa_version_time);
Datum
soa_version_time(PG_FUNCTION_ARGS)
{
	text	   *scope = PG_GETARG_TEXT_PP(0);

	PG_RETURN_TIMESTAMPTZ(soa_version_lookup(scope, soa_scope_lookup(scope),
											 PG_GETARG_INT32(1)));
}

/*
 * soa_written_by_current_transaction(xid): was a row with this xmin written
 * by the current transaction (or one of its subtransactions)?  The triggers
 * use it to accept the entries of an SoA version only while that version
 * is being approved.
 */
PG_FUNCTION_INFO_V1(soa_written_by_current_transaction);
Datum
soa_written_by_current_transaction(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(TransactionIdIsCurrentTransactionId(PG_GETARG_TRANSACTIONID(0)));
}
