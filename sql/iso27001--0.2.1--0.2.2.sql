/* sql/iso27001--0.2.1--0.2.2.sql: update a 0.2.1 database to 0.2.2 */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION iso27001 UPDATE TO '0.2.2'" to load this file. \quit

-- 0.2.2 changes where things live, not what they do (see CHANGELOG.md).
-- The look-ups of a scope and of an approved version by name, with their
-- errors, move from PL/pgSQL to C (src/soa_register.c), where
-- soa_as_of_version uses them too: same results, SQLSTATEs, messages and
-- hints, without the PL/pgSQL context line.  Many functions depend on
-- them, so they are replaced in place.

CREATE OR REPLACE FUNCTION @extschema@.soa_scope_id(scope text)
	RETURNS bigint
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;

CREATE OR REPLACE FUNCTION @extschema@.soa_version_time(scope text, version integer)
	RETURNS timestamptz
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
