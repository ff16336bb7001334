-- Extension-script security, after contrib/seg's security test: a hostile
-- role that planted functions and operators in schema public, named and
-- typed exactly like those the extension calls, cannot get them run by
-- CREATE EXTENSION or by the extension's functions, even when the session
-- that runs them puts public before pg_catalog.  Also: a squatted
-- iso27001_bi schema stops the installation; the extension is not
-- trusted, so an ordinary role cannot install it.
\set own_install
\ir ../include/preamble.sql
SET LOCAL client_min_messages = warning;

CREATE ROLE iso27001_hostile NOLOGIN;
GRANT CREATE ON SCHEMA public TO iso27001_hostile;
DO $$ BEGIN
	EXECUTE format('GRANT CREATE ON DATABASE %I TO iso27001_hostile', current_database());
END $$;
CREATE TABLE public.hostile_log (called text);
GRANT INSERT, SELECT ON public.hostile_log TO PUBLIC;

-- the trap: same names and argument types as pg_catalog's, each logging its call
SET ROLE iso27001_hostile;
DO $$
DECLARE
	f text;
BEGIN
	FOREACH f IN ARRAY ARRAY[
		'lower(text) RETURNS text', 'btrim(text) RETURNS text', 'replace(text, text, text) RETURNS text',
		'format(text) RETURNS text', 'to_char(timestamp, text) RETURNS text',
		'to_char(double precision, text) RETURNS text', 'encode(bytea, text) RETURNS text',
		'sha256(bytea) RETURNS bytea', 'convert_to(text, name) RETURNS bytea',
		'array_to_string(anyarray, text) RETURNS text', 'jsonb_strip_nulls(jsonb) RETURNS jsonb',
		'jsonb_array_length(jsonb) RETURNS integer', 'current_setting(text) RETURNS text',
		'sqrt(double precision) RETURNS double precision', 'power(double precision, double precision) RETURNS double precision',
		'round(numeric, integer) RETURNS numeric', 'isfinite(date) RETURNS boolean',
		'cardinality(anyarray) RETURNS integer', 'textlen(text) RETURNS integer',
		'hashtextextended(text, bigint) RETURNS bigint', 'pg_advisory_xact_lock(bigint) RETURNS integer',
		'clock_timestamp() RETURNS timestamptz', 'now() RETURNS timestamptz',
		'enum_range(anyenum) RETURNS anyarray', 'make_interval(integer, integer, integer, integer, integer, integer, double precision) RETURNS interval',
		'texteq(text, text) RETURNS boolean', 'trim_scale(numeric) RETURNS numeric'] LOOP
		EXECUTE format($f$CREATE FUNCTION public.%s LANGUAGE plpgsql AS $b$
			BEGIN INSERT INTO public.hostile_log VALUES (%L); RETURN NULL; END $b$ $f$,
			f, split_part(f, ' RETURNS', 1));
	END LOOP;
END $$;
CREATE FUNCTION public.hostile_eq(text, text) RETURNS boolean LANGUAGE plpgsql AS $$
	BEGIN INSERT INTO public.hostile_log VALUES ('= (text, text)'); RETURN true; END $$;
CREATE OPERATOR public.= (LEFTARG = text, RIGHTARG = text, PROCEDURE = public.hostile_eq);
CREATE FUNCTION public.hostile_cat(text, text) RETURNS text LANGUAGE plpgsql AS $$
	BEGIN INSERT INTO public.hostile_log VALUES ('|| (text, text)'); RETURN 'hostile'; END $$;
CREATE OPERATOR public.|| (LEFTARG = text, RIGHTARG = text, PROCEDURE = public.hostile_cat);
RESET ROLE;

SELECT plan(8);

-- a superuser installs, and uses every part of the extension, with public
-- before pg_catalog in its search_path (pgTAP's own functions are not safe
-- from the trap, so they run only after the search_path is reset)
SET search_path = public, pg_catalog;
CREATE EXTENSION iso27001;
SELECT count(*) AS installed_with_trap FROM public.hostile_log \gset
SELECT iso27001.create_scope('acme') \g /dev/null
SELECT iso27001.soa_set('acme', 'A.6.3', 'applicable, implemented (risk treatment)', 'RA-1.', evidence => '{https://e/1}') \g /dev/null
SELECT iso27001.soa_set_custom('acme', 'ORG-1', 'Own', 'excluded', 'None.') \g /dev/null
SELECT iso27001.soa_add_evidence('acme', 'A.6.3', 'https://e/2') \g /dev/null
SELECT count(*) FROM iso27001.soa_validate('acme') \g /dev/null
SELECT count(*) FROM iso27001.soa_coverage('acme') \g /dev/null
SELECT count(*) FROM iso27001.soa_coverage_by_attribute('acme') \g /dev/null
SELECT iso27001.soa_export_json('acme') \g /dev/null
SELECT count(*) FROM iso27001.soa_as_of('acme', 'infinity') \g /dev/null
INSERT INTO iso27001.certificate VALUES (iso27001.soa_scope_id('acme'), '2025-03-14');
INSERT INTO iso27001.behaviour_observation (scope_id, metric, observed_at, events, trials)
SELECT iso27001.soa_scope_id('acme'), 'phishing_click_rate', '2025-01-06'::timestamptz + i * interval '7 days', 20 - i, 100
  FROM generate_series(0, 9) i;
SELECT iso27001.evidence_pack('acme', 'phishing_click_rate') \g /dev/null
SELECT iso27001.evidence_chart('acme', 'phishing_click_rate') \g /dev/null
SELECT iso27001.oscal_catalog(2022), iso27001.oscal_catalog(2013), iso27001.oscal_ssp('acme'),
	   iso27001.oscal_profile('acme'), iso27001.oscal_mapping_2013_2022() \g /dev/null
SELECT count(*) FROM iso27001.certification_cycle('2025-03-14') \g /dev/null
SELECT count(*) FROM iso27001.certification_next_due('2025-03-14', '{}') \g /dev/null
SELECT count(*) FROM iso27001.isms_audit_time(450) \g /dev/null
SELECT iso27001.create_scope('legacy', 2013) \g /dev/null
SELECT count(*) FROM iso27001.soa_migrate_2013_to_2022('legacy', 'legacy-2022') \g /dev/null
SELECT (SELECT count(*) FROM iso27001_bi.soa_entry) + (SELECT count(*) FROM iso27001_bi.behaviour_trend)
	 + (SELECT count(*) FROM iso27001_bi.certification_calendar) + (SELECT count(*) FROM iso27001_bi.soa_finding)
	 + (SELECT count(*) FROM iso27001_bi.soa_coverage_by_theme) + (SELECT count(*) FROM iso27001_bi.annex_a_control) \g /dev/null
SELECT count(*) AS used_with_trap FROM public.hostile_log \gset
-- the trap works: a call that resolves through this session's path is caught
SELECT lower('X') \g /dev/null
SELECT count(*) AS caught FROM public.hostile_log \gset
RESET search_path;

SELECT is(:installed_with_trap::bigint, 0::bigint,
		  'CREATE EXTENSION, by a superuser with public first in its path, runs none of the planted objects');
SELECT is(:used_with_trap::bigint, 0::bigint,
		  'nor do the API functions, the evidence and OSCAL exports and the BI views');
SELECT is(:caught::bigint, 1::bigint, 'an unqualified call from that session is caught by the trap (the check can fail)');
SELECT is((SELECT count(*) FROM iso27001.soa_register WHERE scope_id = iso27001.soa_scope_id('acme')), 94::bigint,
		  'and the calls did their work');

-- not trusted: installing needs a superuser (it creates a cluster-wide role
-- and configuration tables that pg_dump keeps)
SELECT is((SELECT bool_or(trusted) FROM pg_available_extension_versions WHERE name = 'iso27001'), false,
		  'the extension is not marked trusted');
-- a schema iso27001_bi squatted by another role stops the installation
-- (the register holds data: the DBA allows the drop)
SET LOCAL iso27001.allow_drop = on;
DROP EXTENSION iso27001;
SET ROLE iso27001_hostile;
CREATE SCHEMA iso27001_bi;
RESET ROLE;
SELECT throws_ok('CREATE EXTENSION iso27001', '42P06', 'schema "iso27001_bi" already exists',
				 'a squatted iso27001_bi schema stops CREATE EXTENSION');
SELECT is_empty($$SELECT FROM pg_catalog.pg_extension WHERE extname = 'iso27001'$$, 'and nothing is installed');
DROP SCHEMA iso27001_bi;
SET ROLE iso27001_hostile;
SELECT throws_ok('CREATE EXTENSION iso27001', '42501', NULL,
				 'an ordinary role with CREATE on the database cannot install it');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
