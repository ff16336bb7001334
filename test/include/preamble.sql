-- The start of every pgTAP test (\ir ../include/preamble.sql): psql quiet
-- and stopping at the first error, one transaction that the test rolls
-- back at its end, pgTAP, and the extension.  A test that installs the
-- extension its own way sets own_install first.
\set QUIET 1
\set ON_ERROR_STOP 1
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
\if :{?own_install}
\else
CREATE EXTENSION iso27001;
\endif
