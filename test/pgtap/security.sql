-- CREATE EXTENSION refuses schemas that another, unprivileged role owns:
-- that role could otherwise replace the extension's functions or
-- operators (say iso27001.title(text), or = of controls) and have other
-- users, superusers included, run its code.  The schema iso27001 is made
-- by the install script itself (plain CREATE SCHEMA); the operators go
-- into the schema CREATE EXTENSION is given.
\set own_install
\ir ../include/preamble.sql

CREATE ROLE iso27001_squatter NOLOGIN;
DO $$ BEGIN
	EXECUTE format('GRANT CREATE ON DATABASE %I TO iso27001_squatter', current_database());
END $$;

SELECT plan(8);

SET ROLE iso27001_squatter;
CREATE SCHEMA iso27001;
CREATE SCHEMA squatted;
RESET ROLE;

SELECT throws_ok('CREATE EXTENSION iso27001', '42P06',
				 'schema "iso27001" already exists',
				 'CREATE EXTENSION refuses a schema iso27001 an unprivileged role created first');
SELECT throws_ok('CREATE EXTENSION iso27001 SCHEMA iso27001', '42501',
				 'schema "iso27001" is owned by role "iso27001_squatter"',
				 'and refuses it when named as the schema to install into');
SELECT throws_ok('CREATE EXTENSION iso27001 SCHEMA squatted', '42501',
				 'schema "squatted" is owned by role "iso27001_squatter"',
				 'and refuses any schema of that role for its operators');
SELECT is_empty($$SELECT FROM pg_catalog.pg_proc
				   WHERE pronamespace IN ('iso27001'::regnamespace, 'squatted'::regnamespace)
				  UNION ALL
				  SELECT FROM pg_catalog.pg_operator
				   WHERE oprnamespace IN ('iso27001'::regnamespace, 'squatted'::regnamespace)$$,
				'and installs nothing into them');

-- a schema of the installing role's own, kept on the search_path
DROP SCHEMA iso27001, squatted;
CREATE SCHEMA extensions;
SELECT lives_ok('CREATE EXTENSION iso27001 SCHEMA extensions',
				'CREATE EXTENSION iso27001 SCHEMA extensions works');
SELECT is((SELECT pg_catalog.string_agg(DISTINCT o.oprnamespace::regnamespace::text, ',') || ' ' || count(*)
			 FROM pg_catalog.pg_depend d
			 JOIN pg_catalog.pg_operator o ON o.oid = d.objid
			WHERE d.classid = 'pg_operator'::regclass AND d.deptype = 'e'
			  AND d.refobjid = (SELECT oid FROM pg_catalog.pg_extension WHERE extname = 'iso27001')),
		  'extensions 12',
		  'its 12 operators (6 of iso_control, 6 of soa_entry) are in schema extensions');
SET LOCAL search_path = "$user", public, extensions;
SELECT is((SELECT title FROM iso27001.annex_a_2022 WHERE control = '6.3'),
		  'Information security awareness, education and training',
		  'with extensions on the search_path, = of a control and a text finds A.6.3');
RESET search_path;
SELECT iso27001.create_scope('acme') AS acme_id \gset
SELECT is((SELECT count(*) FROM iso27001.soa_register r
			WHERE r.scope_id = :acme_id AND r.control OPERATOR(extensions.<) 'A.5.10'),
		  9::bigint,
		  'and the API works with the default search_path: create_scope fills the register, < compares');

SELECT * FROM finish();
ROLLBACK;
