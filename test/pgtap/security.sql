-- CREATE EXTENSION refuses a schema "iso27001" that another, unprivileged
-- role created beforehand: that role could otherwise replace the
-- extension's functions (say iso27001.title(text)) and have other users,
-- superusers included, run its code.
\set own_install
\ir ../include/preamble.sql

CREATE ROLE iso27001_squatter NOLOGIN;
DO $$ BEGIN
	EXECUTE format('GRANT CREATE ON DATABASE %I TO iso27001_squatter', current_database());
END $$;

SELECT plan(4);

SET ROLE iso27001_squatter;
CREATE SCHEMA iso27001;
RESET ROLE;

SELECT throws_ok('CREATE EXTENSION iso27001', '42501',
				 'schema "iso27001" is owned by role "iso27001_squatter"',
				 'CREATE EXTENSION refuses a schema an unprivileged role created first');
SELECT is_empty($$SELECT FROM pg_catalog.pg_proc
				   WHERE pronamespace = 'iso27001'::regnamespace$$,
				'and installs nothing into it');

-- a schema the installing role created itself is fine
DROP SCHEMA iso27001;
CREATE SCHEMA iso27001;
SELECT lives_ok('CREATE EXTENSION iso27001',
				'CREATE EXTENSION accepts a schema the installing role owns');
SELECT is(iso27001.title('A.6.3'),
		  'Information security awareness, education and training',
		  'and the extension works');

SELECT * FROM finish();
ROLLBACK;
