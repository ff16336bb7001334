-- iso27001: last of the install script's sources.  The comparison
-- operators and min/max of iso_control and soa_entry went into @extschema@,
-- the schema CREATE EXTENSION was given.  When that is iso27001 itself —
-- pg_dump's CREATE EXTENSION iso27001 WITH SCHEMA iso27001 for a database
-- updated from 0.2.x, where the update moved them to public — they move
-- to public as the update did, and the functions' pinned search_path
-- names public, so that the restored database is the updated one
-- (docs/security.md §5; test/shell/upgrade.sh restores such a dump).
DO $$
DECLARE
	item text;
BEGIN
	IF '@extschema@' OPERATOR(pg_catalog.<>) 'iso27001' THEN
		RETURN;
	END IF;
	-- as in the update: only to a public that is safe to put them in
	IF NOT EXISTS (SELECT FROM pg_catalog.pg_namespace n
					 JOIN pg_catalog.pg_roles r ON r.oid OPERATOR(pg_catalog.=) n.nspowner
					WHERE n.nspname OPERATOR(pg_catalog.=) 'public'
					  AND (r.rolname OPERATOR(pg_catalog.=) CURRENT_USER
						   OR r.rolname OPERATOR(pg_catalog.=) 'pg_database_owner' OR r.rolsuper)) THEN
		RAISE WARNING 'the operators of iso27001 stay in schema iso27001'
			USING DETAIL = 'This database has no schema public that the installing role, a superuser or the database''s owner owns.',
				  HINT = 'Queries comparing controls need schema iso27001 on their search_path (docs/security.md §5).';
		RETURN;
	END IF;
	FOR item IN
		SELECT o.oid::pg_catalog.regoperator::text
		  FROM pg_catalog.pg_operator o
		 WHERE o.oprnamespace OPERATOR(pg_catalog.=) 'iso27001'::pg_catalog.regnamespace
		   AND o.oprleft IN ('iso27001.iso_control'::pg_catalog.regtype, 'iso27001.soa_entry'::pg_catalog.regtype)
	LOOP
		EXECUTE pg_catalog.format('ALTER OPERATOR %s SET SCHEMA public', item);
	END LOOP;
	ALTER AGGREGATE iso27001.min(iso27001.iso_control) SET SCHEMA public;
	ALTER AGGREGATE iso27001.max(iso27001.iso_control) SET SCHEMA public;
	FOR item IN
		SELECT p.oid::pg_catalog.regprocedure::text
		  FROM pg_catalog.pg_proc p
		 WHERE p.pronamespace IN ('iso27001'::pg_catalog.regnamespace, 'iso27001_bi'::pg_catalog.regnamespace)
		   AND p.proconfig OPERATOR(pg_catalog.@>) ARRAY['search_path=pg_catalog, iso27001, iso27001, pg_temp']
	LOOP
		EXECUTE pg_catalog.format('ALTER FUNCTION %s SET search_path = pg_catalog, iso27001, public, pg_temp', item);
	END LOOP;
END
$$;
