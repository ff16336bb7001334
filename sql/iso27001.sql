-- iso27001: the schema (src/iso27001.c is the module).  First of the SQL
-- sources that the Makefile concatenates into the install script; see
-- SQL_SOURCES there for the order.

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION iso27001" to load this file. \quit

-- The control file names the schema, and CREATE EXTENSION installs into it
-- even when somebody else created it beforehand.  Its owner could then
-- replace the extension's functions under the users' feet: refuse a schema
-- that neither the installing role nor a superuser owns.
DO $$
DECLARE
	owner pg_catalog.name;
BEGIN
	SELECT r.rolname INTO owner
	  FROM pg_catalog.pg_namespace n
	  JOIN pg_catalog.pg_roles r ON r.oid OPERATOR(pg_catalog.=) n.nspowner
	 WHERE n.nspname OPERATOR(pg_catalog.=) '@extschema@'
	   AND r.rolname OPERATOR(pg_catalog.<>) CURRENT_USER
	   AND NOT r.rolsuper;
	IF FOUND THEN
		RAISE EXCEPTION 'schema "@extschema@" is owned by role "%"', owner
			USING ERRCODE = 'insufficient_privilege',
				  DETAIL = 'The owner of the schema could replace the functions of the extension.',
				  HINT = 'Drop the schema, or give it to the installing role, before CREATE EXTENSION iso27001.';
	END IF;
END
$$;

COMMENT ON SCHEMA @extschema@ IS
	'ISO/IEC 27001 information security management: Annex A controls of both editions and their catalogues';
GRANT USAGE ON SCHEMA @extschema@ TO PUBLIC;
