/*-------------------------------------------------------------------------
 *
 * soa_register.c
 *	  C support of the SoA register (sql/soa_register.sql): the look-ups
 *	  of a scope and of an approved version by name, which raise the
 *	  register's errors for SQL and C callers alike; the checks that let C
 *	  read the register's tables directly; a test the triggers use; and
 *	  the event trigger that keeps DROP EXTENSION from deleting the
 *	  register's data unless the DBA allows it.
 *
 *	  A look-up sees what a query as the caller would see: privileges and
 *	  row-level security apply, so that a scope hidden by a policy does not
 *	  exist for the role it is hidden from.  Where no policy, privilege or
 *	  permission hook stands between the caller and soa_scope, the scope is
 *	  read by its unique index on name directly (the hot path of
 *	  soa_as_of_version); otherwise by a query.
 *
 * src/soa_register.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/relation.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/dependency.h"
#include "catalog/namespace.h"
#include "catalog/pg_am.h"
#include "catalog/pg_operator.h"
#include "catalog/pg_proc.h"
#include "catalog/pg_type.h"
#include "commands/defrem.h"
#include "commands/event_trigger.h"
#include "commands/extension.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/guc.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/rls.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"
#include "utils/typcache.h"

#include "compat.h"

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

/* A column of a relation by name: its number and type; 0 if there is none */
AttrNumber
soa_column_of(Relation rel, const char *name, Oid *type)
{
	TupleDesc	desc = RelationGetDescr(rel);

	for (int i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);

		if (!att->attisdropped && strcmp(NameStr(att->attname), name) == 0)
		{
			*type = att->atttypid;
			return att->attnum;
		}
	}
	*type = InvalidOid;
	return InvalidAttrNumber;
}

/*
 * Is an index a valid plain B-tree on a table whose leading keys are these
 * columns, ascending, with their types' default operator classes and
 * deterministic collations (so that its order is ORDER BY's and its
 * equality is =)?
 */
bool
soa_index_leads_with(Relation index, Relation rel, const AttrNumber *atts, int natts)
{
	Form_pg_index ix = index->rd_index;

	if (index->rd_rel->relkind != RELKIND_INDEX || index->rd_rel->relam != BTREE_AM_OID ||
		ix->indrelid != RelationGetRelid(rel) || !ix->indisvalid ||
		ix->indnkeyatts < natts ||
		RelationGetIndexExpressions(index) != NIL || RelationGetIndexPredicate(index) != NIL)
		return false;
	for (int i = 0; i < natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(RelationGetDescr(rel), atts[i] - 1);
		Oid			opclass = GetDefaultOpClass(att->atttypid, BTREE_AM_OID);

		if (ix->indkey.values[i] != atts[i] || index->rd_indoption[i] != 0 ||
			!OidIsValid(opclass) || index->rd_opfamily[i] != get_opclass_family(opclass) ||
			index->rd_indcollation[i] != att->attcollation ||
			(OidIsValid(att->attcollation) && !get_collation_isdeterministic(att->attcollation)))
			return false;
	}
	return true;
}

/*
 * Would a query read every row of this relation, unfiltered and unwatched?
 * The caller may SELECT it, no row-level security policy applies (owners
 * and BYPASSRLS roles bypass them), and no security module or audit
 * extension checks the executor's permissions (ExecutorCheckPerms_hook).
 */
bool
soa_reads_all_rows(Relation rel)
{
	return ExecutorCheckPerms_hook == NULL &&
		pg_class_aclcheck(RelationGetRelid(rel), GetUserId(), ACL_SELECT) == ACLCHECK_OK &&
		check_enable_rls(RelationGetRelid(rel), InvalidOid, true) != RLS_ENABLED;
}


/*
 * What the scope look-up needs of the catalogs to read soa_scope by its
 * index, looked up once per session with the relations locked, and again
 * after any change to them (a relcache invalidation callback clears it)
 */
typedef struct ScopeCatalog
{
	bool		valid;
	bool		fast;			/* false: a relation or column is not as expected */
	Oid			scope_rel;		/* soa_scope */
	Oid			scope_by_name;	/* soa_scope_name_key */
	AttrNumber	scope_id_att;
} ScopeCatalog;

static ScopeCatalog scope_catalog;
static uint64 scope_invalidations = 0;
static bool scope_callback_registered = false;

/* Relcache invalidation: forget the catalog if one of its relations changed */
static void
scope_invalidate(Datum arg pg_attribute_unused(), Oid relid)
{
	scope_invalidations++;
	if (relid == InvalidOid || relid == scope_catalog.scope_rel ||
		relid == scope_catalog.scope_by_name)
		scope_catalog.valid = false;
}

/* Open and lock soa_scope and its index (AccessShareLock, to the end of the transaction) */
static bool
open_scope(const ScopeCatalog *cat, Relation *scope, Relation *by_name)
{
	*scope = OidIsValid(cat->scope_rel) ?
		try_relation_open(cat->scope_rel, AccessShareLock) : NULL;
	*by_name = OidIsValid(cat->scope_by_name) ?
		try_relation_open(cat->scope_by_name, AccessShareLock) : NULL;
	return *scope != NULL && *by_name != NULL;
}

/* Close what open_scope opened (the locks stay) */
static void
close_scope(Relation scope, Relation by_name)
{
	if (scope != NULL)
		relation_close(scope, NoLock);
	if (by_name != NULL)
		relation_close(by_name, NoLock);
}

/* Check the locked relations and read the scope_id column into the catalog */
static bool
describe_scope(ScopeCatalog *cat, Relation scope, Relation by_name)
{
	Oid			type;
	AttrNumber	name_att;

	cat->scope_id_att = soa_column_of(scope, "scope_id", &type);
	if (type != INT8OID)
		return false;
	name_att = soa_column_of(scope, "name", &type);
	return type == TEXTOID && by_name->rd_index->indisunique &&
		soa_index_leads_with(by_name, scope, &name_att, 1);
}

/* The catalog of the scope look-up, looked up again if need be */
static ScopeCatalog *
get_scope_catalog(void)
{
	if (!scope_callback_registered)
	{
		CacheRegisterRelcacheCallback(scope_invalidate, (Datum) 0);
		scope_callback_registered = true;
	}
	for (int attempt = 0; !scope_catalog.valid && attempt < 3; attempt++)
	{
		uint64		seen = scope_invalidations;
		Oid			nsp = get_namespace_oid(SOA_SCHEMA, false);
		Relation	scope;
		Relation	by_name;

		memset(&scope_catalog, 0, sizeof(scope_catalog));
		scope_catalog.scope_rel = get_relname_relid(SOA_SCOPE, nsp);
		scope_catalog.scope_by_name = get_relname_relid(SOA_SCOPE_BY_NAME, nsp);
		scope_catalog.fast = open_scope(&scope_catalog, &scope, &by_name) &&
			describe_scope(&scope_catalog, scope, by_name);
		close_scope(scope, by_name);
		scope_catalog.valid = seen == scope_invalidations;
	}
	return &scope_catalog;
}

/*
 * The scope_id of a name read by the index, where that is what a query
 * would see: *found tells whether the scope exists.  False when the index
 * cannot answer (then the query does).
 */
static bool
scope_by_index(text *scope, int64 *scope_id, bool *found)
{
	ScopeCatalog *cat = get_scope_catalog();
	Relation	rel;
	Relation	by_name;
	bool		done;

	if (!cat->valid || !cat->fast)
		return false;
	done = open_scope(cat, &rel, &by_name) &&
		cat->valid &&			/* nothing changed while locking */
		ActiveSnapshotSet() && soa_reads_all_rows(rel);
	if (done)
	{
		TupleTableSlot *slot = table_slot_create(rel, NULL);
		ScanKeyData key;
		IndexScanDesc scan;

		/* the index's collation, which its equality follows */
		ScanKeyInit(&key, 1, BTEqualStrategyNumber, F_TEXTEQ, PointerGetDatum(scope));
		key.sk_collation = by_name->rd_indcollation[0];
		scan = compat_index_beginscan(rel, by_name, GetActiveSnapshot(), 1, 0);
		index_rescan(scan, &key, 1, NULL, 0);
		*found = false;
		if (index_getnext_slot(scan, ForwardScanDirection, slot))
		{
			bool		isnull;
			Datum		id = slot_getattr(slot, cat->scope_id_att, &isnull);

			*found = !isnull;
			if (*found)
				*scope_id = DatumGetInt64(id);
		}
		index_endscan(scan);
		ExecDropSingleTupleTableSlot(slot);
	}
	close_scope(rel, by_name);
	return done;
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
	int64		scope_id = 0;
	bool		found;

	if (scope_by_index(scope, &scope_id, &found))
	{
		if (found)
			return scope_id;
	}
	else if (query_value(&plan, SCOPE_QUERY, 1, types, args, &id))
		return DatumGetInt64(id);
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("ISMS scope \"%s\" does not exist", text_to_cstring(scope)),
			 errhint("Create it with iso27001.create_scope().")));
	pg_unreachable();
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

/*
 * The query that asks whether the extension holds data: a row of one of
 * its configuration tables that pg_dump would dump (their conditions
 * leave out the built-in behaviour metrics).
 */
#define HOLDS_DATA_QUERY \
	"SELECT pg_catalog.string_agg(pg_catalog.format('SELECT FROM %I.%I %s', n.nspname, c.relname, x.cond)," \
	"                             ' UNION ALL ')" \
	"  FROM pg_catalog.pg_extension e" \
	"  CROSS JOIN LATERAL ROWS FROM (pg_catalog.unnest(e.extconfig), pg_catalog.unnest(e.extcondition))" \
	"       AS x(rel, cond)" \
	"  JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) x.rel" \
	"  JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace" \
	" WHERE e.oid OPERATOR(pg_catalog.=) $1 AND c.relkind OPERATOR(pg_catalog.=) 'r'"

/* Does a configuration table of the extension hold a row to dump? */
static bool
extension_holds_data(Oid ext)
{
	Oid			argtypes[1] = {OIDOID};
	Datum		args[1] = {ObjectIdGetDatum(ext)};
	bool		isnull;
	bool		holds = false;
	Datum		tables;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (SPI_execute_with_args(HOLDS_DATA_QUERY, 1, argtypes, args, NULL, true, 1) != SPI_OK_SELECT ||
		SPI_processed != 1)
		elog(ERROR, "SPI_execute_with_args failed for the configuration tables");
	tables = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	if (!isnull)
	{
		char	   *query = psprintf("SELECT EXISTS (%s)", TextDatumGetCString(tables));
		Datum		exists;

		if (SPI_execute(query, true, 1) != SPI_OK_SELECT || SPI_processed != 1)
			elog(ERROR, "SPI_execute failed for \"%s\"", query);
		exists = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
		holds = !isnull && DatumGetBool(exists);
	}
	SPI_finish();
	return holds;
}

/* Does a list of names (a DropStmt's objects) name this one? */
static bool
names_include(List *objects, const char *name)
{
	ListCell   *cell;

	foreach(cell, objects)
	{
		Node	   *object = (Node *) lfirst(cell);

		if (IsA(object, String) && strcmp(strVal(object), name) == 0)
			return true;
	}
	return false;
}

/* Has the DBA allowed the drop (SET iso27001.allow_drop = on)? */
static bool
drop_allowed(void)
{
	const char *value = GetConfigOption("iso27001.allow_drop", true, false);
	bool		allowed;

	return value != NULL && parse_bool(value, &allowed) && allowed;
}

/*
 * The schema of the extension's comparison operators (the schema CREATE
 * EXTENSION installed into, or public after an update from 0.2.x): that
 * of iso_control's equality, found from the type in the schema "home".
 */
static Oid
operator_schema(Oid home)
{
	Oid			type;
	TypeCacheEntry *cache;
	HeapTuple	tuple;
	Oid			schema;

	type = GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid,
						   CStringGetDatum("iso_control"), ObjectIdGetDatum(home));
	if (!OidIsValid(type))
		return InvalidOid;
	cache = lookup_type_cache(type, TYPECACHE_EQ_OPR);
	if (!OidIsValid(cache->eq_opr))
		return InvalidOid;
	tuple = SearchSysCache1(OPEROID, ObjectIdGetDatum(cache->eq_opr));
	if (!HeapTupleIsValid(tuple))
		return InvalidOid;
	schema = ((Form_pg_operator) GETSTRUCT(tuple))->oprnamespace;
	ReleaseSysCache(tuple);
	return schema;
}

/*
 * soa_guard_drop(): event trigger at ddl_command_start of DROP EXTENSION
 * and DROP SCHEMA.  A drop of this extension, or of one of its two schemas,
 * while its configuration tables hold data (every scope with its
 * append-only history and approved versions, certificates, observations)
 * is refused with 55000, unless iso27001.allow_drop is on.  The extension
 * is the one this function belongs to, its schemas the function's and its
 * operators'.
 */
PG_FUNCTION_INFO_V1(soa_guard_drop);
Datum
soa_guard_drop(PG_FUNCTION_ARGS)
{
	EventTriggerData *trigger;
	DropStmt   *stmt;
	Oid			self = fcinfo->flinfo->fn_oid;
	Oid			ext;
	char	   *ext_name;
	bool		targeted = false;

	if (!CALLED_AS_EVENT_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_EVENT_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("soa_guard_drop() must be called as an event trigger")));
	trigger = (EventTriggerData *) fcinfo->context;
	if (!IsA(trigger->parsetree, DropStmt))
		PG_RETURN_VOID();
	stmt = (DropStmt *) trigger->parsetree;
	ext = getExtensionOfObject(ProcedureRelationId, self);
	if (!OidIsValid(ext))
		PG_RETURN_VOID();
	ext_name = get_extension_name(ext);
	if (stmt->removeType == OBJECT_EXTENSION)
		targeted = names_include(stmt->objects, ext_name);
	else if (stmt->removeType == OBJECT_SCHEMA)
	{
		/* DROP SCHEMA ... CASCADE of either schema drops the extension */
		Oid			home = get_func_namespace(self);
		Oid			operators = operator_schema(home);

		targeted = names_include(stmt->objects, get_namespace_name(home)) ||
			(OidIsValid(operators) &&
			 names_include(stmt->objects, get_namespace_name(operators)));
	}
	if (!targeted || drop_allowed() || !extension_holds_data(ext))
		PG_RETURN_VOID();
	ereport(ERROR,
			(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
			 errmsg("extension \"%s\" holds data and is not dropped", ext_name),
			 errdetail("Dropping it deletes every ISMS scope with its SoA, its append-only history and its approved versions, and the certificates and behaviour observations it holds."),
			 errhint("Keep a dump of it (pg_dump), then SET iso27001.allow_drop = on in the dropping session.")));
	PG_RETURN_VOID();
}
