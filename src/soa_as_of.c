/*-------------------------------------------------------------------------
 *
 * soa_as_of.c
 *	  soa_as_of_version(scope, version): an approved version of a scope's
 *	  Statement of Applicability, in catalogue order.
 *
 *	  A version's entries are rows of soa_version_entry, copied at approval,
 *	  and the index soa_version_entry_order holds them in catalogue order.
 *	  The scope is looked up as everywhere else (soa_scope_lookup); then
 *	  the fast path reads the entries through that index directly, one
 *	  copy of each row and no plan, sort or interpreter on the way: the one
 *	  read a GRC application repeats most.  It is taken only where a query
 *	  would return exactly those rows, as PostgreSQL's own
 *	  referential-integrity checks decide their shortcut: the caller may
 *	  SELECT from the table and no row-level security applies to it.
 *	  Otherwise (a policy, column privileges only, no privilege at all) the
 *	  same query runs through SPI.  No rows: the version's look-up raises
 *	  the error of a version that does not exist.
 *
 * src/soa_as_of.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/detoast.h"
#include "access/genam.h"
#include "access/stratnum.h"
#include "access/relation.h"
#include "access/tableam.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/fmgroids.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/tuplestore.h"

#include "compat.h"
#include "iso27001.h"
#include "soa_register.h"

/* The result's columns, as soa_version_entry names them, in order */
#define AS_OF_NCOLUMNS 10
static const char *const as_of_columns[AS_OF_NCOLUMNS] = {
	"control_key", "control", "title", "entry", "justification", "owner",
	"evidence", "needs_review", "changed_at", "changed_by"
};

/* The same rows through the executor: row-level security and privileges apply */
#define AS_OF_QUERY \
	"SELECT e.control_key, e.control, e.title, e.entry, e.justification, e.owner," \
	"       e.evidence, e.needs_review, e.changed_at, e.changed_by" \
	"  FROM " SOA_VERSION_ENTRY_TABLE " e" \
	" WHERE e.scope_id OPERATOR(pg_catalog.=) $1" \
	"   AND e.version OPERATOR(pg_catalog.=) $2" \
	" ORDER BY e.control, e.control_key"

/*
 * What the fast path needs of the catalogs, looked up once per session
 * with the relations locked, and looked up again after any change to the
 * two tables or their indexes (a relcache invalidation callback clears it)
 */
typedef struct AsOfCatalog
{
	bool		valid;
	bool		fast;			/* false: a relation or column is not as expected */
	Oid			entry_rel;		/* soa_version_entry */
	Oid			entry_in_order; /* soa_version_entry_order */
	AttrNumber	columns[AS_OF_NCOLUMNS];	/* in soa_version_entry */
	Oid			types[AS_OF_NCOLUMNS];	/* their types, which the result has */
	Oid			checked_function;	/* declared with these types */
} AsOfCatalog;

static AsOfCatalog catalog;
static uint64 invalidations = 0;	/* relcache invalidations seen */
static bool callback_registered = false;

/* The saved plan of the SPI path, made on first use */
static SPIPlanPtr as_of_plan = NULL;

/* Relcache invalidation: forget the catalog if one of its relations changed */
static void
as_of_invalidate(Datum arg pg_attribute_unused(), Oid relid)
{
	invalidations++;
	if (relid == InvalidOid || relid == catalog.entry_rel ||
		relid == catalog.entry_in_order)
		catalog.valid = false;
}

/* The two relations of the fast path, locked; NULL where one is missing */
typedef struct AsOfRelations
{
	Relation	entry;
	Relation	entry_in_order;
} AsOfRelations;

/* Open and lock the relations (AccessShareLock, kept to the end of the transaction) */
static bool
open_relations(const AsOfCatalog *cat, AsOfRelations *rels)
{
	rels->entry = OidIsValid(cat->entry_rel) ?
		try_relation_open(cat->entry_rel, AccessShareLock) : NULL;
	rels->entry_in_order = OidIsValid(cat->entry_in_order) ?
		try_relation_open(cat->entry_in_order, AccessShareLock) : NULL;
	return rels->entry != NULL && rels->entry_in_order != NULL;
}

/* Close what open_relations opened (the locks stay) */
static void
close_relations(AsOfRelations *rels)
{
	if (rels->entry != NULL)
		relation_close(rels->entry, NoLock);
	if (rels->entry_in_order != NULL)
		relation_close(rels->entry_in_order, NoLock);
}

/* Check the locked relations and read their columns into the catalog */
static bool
describe_relations(AsOfCatalog *cat, const AsOfRelations *rels)
{
	Oid			type;
	AttrNumber	order_keys[4];

	for (int i = 0; i < AS_OF_NCOLUMNS; i++)
		if ((cat->columns[i] = soa_column_of(rels->entry, as_of_columns[i], &cat->types[i])) ==
			InvalidAttrNumber)
			return false;
	/* scope_id, version, control, control_key: a version, in catalogue order */
	order_keys[0] = soa_column_of(rels->entry, "scope_id", &type);
	if (type != INT8OID)
		return false;
	order_keys[1] = soa_column_of(rels->entry, "version", &type);
	if (type != INT4OID)
		return false;
	order_keys[2] = cat->columns[1];
	order_keys[3] = cat->columns[0];
	return soa_index_leads_with(rels->entry_in_order, rels->entry, order_keys, 4);
}

/*
 * The relations and columns of the fast path, looked up if need be.  The
 * relations are locked while they are described; should an invalidation
 * arrive meanwhile, the look-up starts again.
 */
static AsOfCatalog *
as_of_catalog(void)
{
	if (!callback_registered)
	{
		CacheRegisterRelcacheCallback(as_of_invalidate, (Datum) 0);
		callback_registered = true;
	}
	for (int attempt = 0; !catalog.valid && attempt < 3; attempt++)
	{
		uint64		seen = invalidations;
		Oid			nsp = get_namespace_oid(SOA_SCHEMA, false);
		AsOfRelations rels;

		memset(&catalog, 0, sizeof(catalog));
		catalog.entry_rel = get_relname_relid(SOA_VERSION_ENTRY, nsp);
		catalog.entry_in_order = get_relname_relid(SOA_VERSION_ENTRY_ORDER, nsp);
		catalog.fast = open_relations(&catalog, &rels) && describe_relations(&catalog, &rels);
		close_relations(&rels);
		catalog.valid = seen == invalidations;
	}
	return &catalog;
}

/*
 * Is the function declared to return the columns' types?  Checked once per
 * function: the rows of the fast path are made of the table's columns.
 */
static bool
returns_columns(FunctionCallInfo fcinfo, TupleDesc desc, AsOfCatalog *cat)
{
	if (cat->checked_function == fcinfo->flinfo->fn_oid)
		return true;
	if (desc->natts != AS_OF_NCOLUMNS)
		return false;
	for (int i = 0; i < AS_OF_NCOLUMNS; i++)
		if (TupleDescAttr(desc, i)->atttypid != cat->types[i])
			return false;
	cat->checked_function = fcinfo->flinfo->fn_oid;
	return true;
}

/* Put a version's entries into the store in index order; returns how many */
static int64
read_version(const AsOfCatalog *cat, const AsOfRelations *rels, int64 scope_id,
			 int32 version, TupleDesc desc, Tuplestorestate *store)
{
	TupleTableSlot *slot = table_slot_create(rels->entry, NULL);
	ScanKeyData keys[2];
	IndexScanDesc scan;
	Datum		values[AS_OF_NCOLUMNS];
	bool		nulls[AS_OF_NCOLUMNS];
	int64		n = 0;

	ScanKeyInit(&keys[0], 1, BTEqualStrategyNumber, F_INT8EQ, Int64GetDatum(scope_id));
	ScanKeyInit(&keys[1], 2, BTEqualStrategyNumber, F_INT4EQ, Int32GetDatum(version));
	scan = compat_index_beginscan(rels->entry, rels->entry_in_order, GetActiveSnapshot(), 2, 0);
	index_rescan(scan, keys, 2, NULL, 0);
	while (index_getnext_slot(scan, ForwardScanDirection, slot))
	{
		bool		fetched[AS_OF_NCOLUMNS] = {false};

		slot_getallattrs(slot);
		for (int i = 0; i < AS_OF_NCOLUMNS; i++)
		{
			int			att = cat->columns[i] - 1;

			values[i] = slot->tts_values[att];
			nulls[i] = slot->tts_isnull[att];
			/* the store outlives the scan: fetch what is kept out of line */
			if (!nulls[i] && TupleDescAttr(desc, i)->attlen == -1 &&
				VARATT_IS_EXTERNAL(DatumGetPointer(values[i])))
			{
				values[i] = PointerGetDatum(detoast_external_attr((struct varlena *) DatumGetPointer(values[i])));
				fetched[i] = true;
			}
		}
		tuplestore_putvalues(store, desc, values, nulls);
		for (int i = 0; i < AS_OF_NCOLUMNS; i++)
			if (fetched[i])
				pfree(DatumGetPointer(values[i]));
		n++;
	}
	index_endscan(scan);
	ExecDropSingleTupleTableSlot(slot);
	return n;
}

/*
 * The fast path: false when it cannot answer (then the query does).  The
 * relations are locked before anything is checked, so that the catalog,
 * the privileges and the policies are those of the rows read.
 */
static bool
read_version_by_index(FunctionCallInfo fcinfo, int64 scope_id, int32 version,
					  TupleDesc desc, Tuplestorestate *store, int64 *n)
{
	AsOfCatalog *cat = as_of_catalog();
	AsOfRelations rels;
	bool		done;

	if (!cat->valid || !cat->fast || !returns_columns(fcinfo, desc, cat))
		return false;
	done = open_relations(cat, &rels) &&
		cat->valid &&			/* nothing changed while locking */
		ActiveSnapshotSet() && soa_reads_all_rows(rels.entry);
	if (done)
		*n = read_version(cat, &rels, scope_id, version, desc, store);
	close_relations(&rels);
	return done;
}

/* Have two row descriptors the same column types? */
static bool
same_column_types(TupleDesc a, TupleDesc b)
{
	if (a->natts != b->natts)
		return false;
	for (int i = 0; i < a->natts; i++)
		if (TupleDescAttr(a, i)->atttypid != TupleDescAttr(b, i)->atttypid)
			return false;
	return true;
}

/* The SPI path: the same rows by the query; returns how many */
static int64
read_version_by_query(int64 scope_id, int32 version, TupleDesc desc,
					  Tuplestorestate *store)
{
	Oid			types[2] = {INT8OID, INT4OID};
	Datum		args[2] = {Int64GetDatum(scope_id), Int32GetDatum(version)};
	int64		n;
	int			rc;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	rc = SPI_execute_plan(soa_saved_plan(&as_of_plan, AS_OF_QUERY, 2, types),
						  args, NULL, true, 0);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "reading an SoA version failed: %s", SPI_result_code_string(rc));
	if (!same_column_types(SPI_tuptable->tupdesc, desc))
		elog(ERROR, "the SoA version query returns other columns than the function");
	for (uint64 i = 0; i < SPI_processed; i++)
		tuplestore_puttuple(store, SPI_tuptable->vals[i]);
	n = (int64) SPI_processed;
	SPI_finish();
	return n;
}

/*
 * soa_as_of_version(scope text, version integer): the entries of an
 * approved version, in catalogue order (organization-defined controls
 * last, by key).
 */
PG_FUNCTION_INFO_V1(soa_as_of_version);
Datum
soa_as_of_version(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	text	   *scope = PG_GETARG_TEXT_PP(0);
	int32		version = PG_GETARG_INT32(1);
	int64		scope_id;
	int64		n;
	TupleDesc	desc;
	Tuplestorestate *store;
	MemoryContext old;

	if (rsinfo == NULL || !IsA(rsinfo, ReturnSetInfo) ||
		(rsinfo->allowedModes & SFRM_Materialize) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("set-valued function called in context that cannot accept a set")));
	scope_id = soa_scope_lookup(scope);

	old = MemoryContextSwitchTo(rsinfo->econtext->ecxt_per_query_memory);
	desc = rsinfo->expectedDesc != NULL ? rsinfo->expectedDesc : iso27001_result_desc(fcinfo);
	store = tuplestore_begin_heap((rsinfo->allowedModes & SFRM_Materialize_Random) != 0,
								  false, work_mem);
	MemoryContextSwitchTo(old);
	rsinfo->returnMode = SFRM_Materialize;
	rsinfo->setResult = store;
	/* the executor describes the rows itself when it gave expectedDesc */
	rsinfo->setDesc = rsinfo->expectedDesc != NULL ? NULL : desc;

	if (!read_version_by_index(fcinfo, scope_id, version, desc, store, &n))
		n = read_version_by_query(scope_id, version, desc, store);
	/* every version holds the Annex A controls: no rows, perhaps no version */
	if (n == 0)
		(void) soa_version_lookup(scope, scope_id, version);
	return (Datum) 0;
}
