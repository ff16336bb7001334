-- Issue 16 item 1: after a plain CREATE EXTENSION iso27001, with the
-- default search_path ("$user", public), controls and decisions compare
-- as written: the operators and min/max of iso_control and soa_entry are
-- in the schema CREATE EXTENSION installs into (public here), everything
-- else in schema iso27001 (docs/security.md §5).  Expected counts are from
-- the catalogue: theme 5 has 37 controls, 8 has 34.
\ir ../include/preamble.sql
RESET search_path;

SELECT plan(14);

SELECT is(current_setting('search_path'), '"$user", public', 'the default search_path');
SELECT is((SELECT title FROM iso27001.annex_a_2022 WHERE control = 'A.5.7'), 'Threat intelligence',
		  'WHERE control = ''A.5.7''');
SELECT is((SELECT count(*) FROM iso27001.annex_a_2022 WHERE control IN ('A.5.7', '8.8', 'a.6.3')), 3::bigint,
		  'IN (...) of texts');
SELECT is((SELECT count(*) FROM iso27001.annex_a_2022 WHERE control < 'A.6.1'), 37::bigint,
		  '< in natural order: the 37 controls of theme 5 come before A.6.1');
SELECT is((SELECT count(*) FROM iso27001.annex_a_2022 WHERE control >= '8.1' AND control <> 'A.8.34'), 33::bigint,
		  '>= and <>');
SELECT is((SELECT count(*) FROM iso27001.annex_a_2022 WHERE control BETWEEN 'A.5.9' AND 'A.5.10'), 2::bigint,
		  'BETWEEN in natural order (A.5.9, A.5.10)');
SELECT is((SELECT min(control)::text || ' ' || max(control)::text FROM iso27001.annex_a_2022), 'A.5.1 A.8.34',
		  'min and max');
SELECT is((SELECT count(*) FROM iso27001.correspondence c JOIN iso27001.annex_a_2013 a ON a.control = c.control_2013
			WHERE c.control_2022 = 'A.6.8'), 2::bigint,
		  'a join of two iso_control columns: A.6.8 has two 2013 predecessors (A.16.1.2, A.16.1.3)');

CREATE TABLE public.risk_treatment (control iso27001.iso_control PRIMARY KEY, decided iso27001.soa_entry);
INSERT INTO public.risk_treatment
SELECT control, CASE WHEN theme = 'Physical' THEN 'excluded' ELSE 'applicable, planned (risk treatment)' END
  FROM iso27001.annex_a_2022;
SELECT is((SELECT count(*) FROM public.risk_treatment WHERE decided = 'excluded'), 14::bigint,
		  '= of a decision and a text (the 14 physical controls)');
SELECT is((SELECT count(*) FROM public.risk_treatment r JOIN iso27001.annex_a_2022 a USING (control)
			WHERE a.theme = 'Technological'), 34::bigint,
		  'JOIN ... USING (control)');
CREATE FUNCTION pg_temp.plan_of(query text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	line text;
	plan text := '';
BEGIN
	FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || query LOOP
		plan := plan || line || E'\n';
	END LOOP;
	RETURN plan;
END
$$;
SET LOCAL enable_seqscan = off;
SELECT matches(pg_temp.plan_of($$SELECT * FROM public.risk_treatment WHERE control = '8.8'$$),
			   'Index (Only )?Scan using risk_treatment_pkey',
			   'the primary key index serves = of the default search_path''s operator');
RESET enable_seqscan;
SELECT is(pg_catalog.string_agg(o.oprnamespace::regnamespace::text, ',' ORDER BY o.oprname) FILTER (WHERE o.oprname = '='),
		  'public,public', 'both = operators are in public')
  FROM pg_catalog.pg_operator o
 WHERE o.oprleft IN ('iso27001.iso_control'::regtype, 'iso27001.soa_entry'::regtype);
SELECT results_eq(
	$$SELECT pg_catalog.pg_describe_object(d.classid, d.objid, 0)
		FROM pg_catalog.pg_depend d
		LEFT JOIN pg_catalog.pg_operator o ON d.classid = 'pg_operator'::regclass AND o.oid = d.objid
		LEFT JOIN pg_catalog.pg_proc p ON d.classid = 'pg_proc'::regclass AND p.oid = d.objid
	   WHERE d.deptype = 'e'
		 AND d.refobjid = (SELECT oid FROM pg_catalog.pg_extension WHERE extname = 'iso27001')
		 AND coalesce(o.oprnamespace, p.pronamespace) = 'public'::regnamespace
	   ORDER BY 1$$,
	$$VALUES ('function max(iso27001.iso_control)'), ('function min(iso27001.iso_control)'),
			 ('operator <(iso27001.iso_control,iso27001.iso_control)'), ('operator <(iso27001.soa_entry,iso27001.soa_entry)'),
			 ('operator <=(iso27001.iso_control,iso27001.iso_control)'), ('operator <=(iso27001.soa_entry,iso27001.soa_entry)'),
			 ('operator <>(iso27001.iso_control,iso27001.iso_control)'), ('operator <>(iso27001.soa_entry,iso27001.soa_entry)'),
			 ('operator =(iso27001.iso_control,iso27001.iso_control)'), ('operator =(iso27001.soa_entry,iso27001.soa_entry)'),
			 ('operator >(iso27001.iso_control,iso27001.iso_control)'), ('operator >(iso27001.soa_entry,iso27001.soa_entry)'),
			 ('operator >=(iso27001.iso_control,iso27001.iso_control)'), ('operator >=(iso27001.soa_entry,iso27001.soa_entry)')$$,
	'in public: the 12 operators and min/max, nothing else of the extension');
SELECT is((SELECT count(*) FROM iso27001.annex_a_2022 WHERE control::text = 'A.8.8'), 1::bigint,
		  'control::text compares with the canonical text');

SELECT * FROM finish();
ROLLBACK;
