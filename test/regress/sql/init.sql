--
-- init: install the extension for the regression tests that follow
--
CREATE EXTENSION iso27001;

-- the extension is recorded in the schema it was installed into (public,
-- which holds its operators; the rest is in schema iso27001), at the
-- control file's version
SELECT e.extname, n.nspname, e.extversion, e.extrelocatable
  FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
 WHERE e.extname = 'iso27001';

-- it cannot be moved to another schema
CREATE SCHEMA elsewhere;
ALTER EXTENSION iso27001 SET SCHEMA elsewhere;
DROP SCHEMA elsewhere;
