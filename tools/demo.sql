-- The iso27001 demo, run by tools/demo.sh on a throwaway cluster.
\pset null '(null)'

\echo
\echo '== 1. Install the extension =='
\echo 'CREATE EXTENSION iso27001;   -- everything lives in schema iso27001'
CREATE EXTENSION iso27001;
SET search_path = public, iso27001;

\echo
\echo '== 2. ISO/IEC 27001:2022 Annex A: 93 controls in four themes =='
SELECT theme, count(*) AS controls, min(control) AS first, max(control) AS last
  FROM annex_a_2022 GROUP BY theme ORDER BY theme;

\echo
\echo '== 3. A few controls with their ISO/IEC 27002:2022 attributes =='
SELECT control, title, control_type, cybersecurity_concepts, security_domains
  FROM annex_a_2022
 WHERE control IN ('5.7', '6.3', '6.8', '8.8', '8.16')
 ORDER BY control;

\echo
\echo '== 4. Attributes are typed and filterable: every control tagged #Respond =='
SELECT control, title FROM annex_a_2022
 WHERE 'Respond' = ANY (cybersecurity_concepts) ORDER BY control;

\echo
\echo '== 5. From ISO/IEC 27001:2013 to 2022: where A.7.2.2, A.16.1.2 and A.12.6.1 went =='
SELECT c.control_2013, c.title_2013, c.control_2022, c.title_2022, c.kind,
	   (SELECT string_agg(p::text, ', ') FROM predecessors(c.control_2022) AS p)
		   AS all_2013_predecessors
  FROM correspondence c
 WHERE c.control_2013 IN ('A.7.2.2', 'A.16.1.2', 'A.12.6.1')
 ORDER BY c.control_2013;

\echo
\echo '== 6. The 11 controls new in 2022 (no 2013 predecessor) =='
SELECT control, theme, title FROM annex_a_2022 WHERE is_new ORDER BY control;

\echo
\echo '== 7. The iso_control type: any spelling in, canonical out, natural order =='
SELECT input, input::iso_control AS control, edition(input::iso_control)
  FROM (VALUES ('5.10'), ('a.5.9'), (' A.6.1 '), ('8.34'), ('A.7.2.2'),
			   ('05.1.1')) AS t(input)
 ORDER BY control;

\echo
\echo '== 8. Controls that do not exist are errors that say why (SQLSTATE 22P02) =='
\set ON_ERROR_STOP 0
\set VERBOSITY default
SELECT 'A.5.38'::iso_control;
SELECT 'A.9.5.1'::iso_control;
SELECT 'A.12.6'::iso_control;
\set ON_ERROR_STOP 1

\echo
\echo '== 9. Your own tables use the type and join the catalogue =='
CREATE TABLE risk_treatment (control iso_control PRIMARY KEY, owner text);
INSERT INTO risk_treatment VALUES ('A.8.8', 'IT operations'), ('6.3', 'HR'),
	('5.10', 'Legal'), ('5.9', 'Asset owners');
SELECT r.control, a.theme, a.title, r.owner
  FROM risk_treatment r JOIN annex_a_2022 a USING (control)
 ORDER BY r.control;
\echo
