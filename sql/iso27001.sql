-- iso27001: the schemas (src/iso27001.c is the module).  First of the SQL
-- sources that the Makefile concatenates into the install script; see
-- SQL_SOURCES there for the order.
--
-- Two schemas (docs/security.md §5): everything lives in the fixed
-- schema iso27001, which this script creates, except the comparison
-- operators and min/max of iso_control and soa_entry.  Those go into the
-- schema CREATE EXTENSION installs into (@extschema@: public by default, or
-- SCHEMA x), so that a user on the default search_path can write
-- WHERE control = 'A.5.7'.

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION iso27001" to load this file. \quit

-- The operators live in @extschema@, and the owner of a schema can drop
-- what is in it, then put look-alikes in their place: refuse a schema that
-- neither the installing role, nor a superuser, nor the database's owner
-- (pg_database_owner owns public from PostgreSQL 15) owns.  A schema where
-- everybody may create is accepted with a warning, as for public on a
-- cluster upgraded from PostgreSQL 14.
DO $$
DECLARE
	owner pg_catalog.name;
BEGIN
	SELECT r.rolname INTO owner
	  FROM pg_catalog.pg_namespace n
	  JOIN pg_catalog.pg_roles r ON r.oid OPERATOR(pg_catalog.=) n.nspowner
	 WHERE n.nspname OPERATOR(pg_catalog.=) '@extschema@'
	   AND r.rolname OPERATOR(pg_catalog.<>) CURRENT_USER
	   AND r.rolname OPERATOR(pg_catalog.<>) 'pg_database_owner'
	   AND NOT r.rolsuper;
	IF FOUND THEN
		RAISE EXCEPTION 'schema "@extschema@" is owned by role "%"', owner
			USING ERRCODE = 'insufficient_privilege',
				  DETAIL = 'The owner of the schema could replace the operators of the extension.',
				  HINT = 'Install into a schema that the installing role or a superuser owns: CREATE EXTENSION iso27001 SCHEMA ...';
	END IF;
	IF pg_catalog.has_schema_privilege('public', '@extschema@', 'CREATE') THEN
		RAISE WARNING 'every role may create objects in schema "@extschema@"'
			USING DETAIL = 'The operators of iso27001 are installed there; a role could add look-alikes that other roles'' queries would pick.',
				  HINT = 'REVOKE CREATE ON SCHEMA @extschema@ FROM PUBLIC, as PostgreSQL 15 does for public.';
	END IF;
END
$$;

-- Plain CREATE: a schema somebody created beforehand is refused, not
-- taken.  But for CREATE EXTENSION iso27001 SCHEMA iso27001, which is how
-- pg_dump restores a database updated from 0.2.x (its extension stays
-- recorded in iso27001): that schema passed the owner check above, and
-- sql/search_path.sql then puts the operators where the update put them.
DO $$
BEGIN
	IF '@extschema@' OPERATOR(pg_catalog.<>) 'iso27001' THEN
		CREATE SCHEMA iso27001;
	END IF;
END
$$;
COMMENT ON SCHEMA iso27001 IS
	'ISO/IEC 27001 information security management: Annex A controls of both editions and their catalogues';
GRANT USAGE ON SCHEMA iso27001 TO PUBLIC;
