/*-------------------------------------------------------------------------
 *
 * soa_register.h
 *	  The SoA register as C sees it: the names of the SQL objects that C
 *	  reads directly, and the look-ups of a scope and of an approved version
 *	  by name, which raise the register's errors.
 *
 *	  sql/soa_register.sql declares every object named here under this very
 *	  name (no name that PostgreSQL generates); renaming one there means
 *	  renaming it here.  test/pgtap/soa_as_of.sql fails when the fast path
 *	  of soa_as_of_version stops being taken.
 *
 * src/soa_register.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef ISO27001_SOA_REGISTER_H
#define ISO27001_SOA_REGISTER_H

#include "fmgr.h"
#include "datatype/timestamp.h"
#include "executor/spi.h"
#include "utils/relcache.h"

/* The extension's schema: fixed, the extension is not relocatable */
#define SOA_SCHEMA					"iso27001"

/* Tables and indexes; the tables also with the schema, for queries */
#define SOA_SCOPE					"soa_scope"
#define SOA_SCOPE_TABLE				SOA_SCHEMA "." SOA_SCOPE
#define SOA_VERSION_TABLE			SOA_SCHEMA ".soa_version"
#define SOA_VERSION_ENTRY			"soa_version_entry"
#define SOA_VERSION_ENTRY_TABLE		SOA_SCHEMA "." SOA_VERSION_ENTRY

/* The unique index of soa_scope on name */
#define SOA_SCOPE_BY_NAME			"soa_scope_name_key"

/* The index of soa_version_entry on (scope_id, version, control, control_key) */
#define SOA_VERSION_ENTRY_ORDER		"soa_version_entry_order"

extern int64 soa_scope_lookup(text *scope);
extern TimestampTz soa_version_lookup(text *scope, int64 scope_id, int32 version);
extern AttrNumber soa_column_of(Relation rel, const char *name, Oid *type);
extern bool soa_index_leads_with(Relation index, Relation rel, const AttrNumber *atts,
								 int natts);
extern bool soa_reads_all_rows(Relation rel);
extern SPIPlanPtr soa_saved_plan(SPIPlanPtr *plan, const char *query, int nargs,
								 Oid *types);

#endif							/* ISO27001_SOA_REGISTER_H */
