--
-- catalogue: the seeded Annex A catalogues and their correspondence
--
-- (test/pgtap/catalogue_csv.sql compares them with the reference CSVs row by row;
-- this file checks the published totals and known facts)
--
SET search_path = iso27001, public;

-- 93 = 37 + 8 + 14 + 34 controls in four themes
SELECT theme, count(*), min(control), max(control)
  FROM annex_a_2022 GROUP BY theme ORDER BY theme;

-- 114 controls in 14 clauses and 35 objectives
SELECT count(*) AS controls, count(DISTINCT clause) AS clauses,
	   count(DISTINCT objective) AS objectives
  FROM annex_a_2013;
SELECT clause, clause_title, count(*) FROM annex_a_2013
 GROUP BY clause, clause_title
 ORDER BY min(control);

-- 115 correspondence pairs; 58 one-to-one; 24 2022 controls merge several
-- 2013 controls; A.18.2.3 is the only split
SELECT count(*) AS pairs,
	   count(DISTINCT control_2013) AS controls_2013,
	   count(DISTINCT control_2022) AS controls_2022
  FROM correspondence;
SELECT kind, count(*) FROM correspondence GROUP BY kind ORDER BY kind;
SELECT count(*) AS merged_2022 FROM (
	SELECT control_2022 FROM correspondence
	 GROUP BY control_2022 HAVING count(*) > 1) AS m;
SELECT control_2013, array_agg(control_2022 ORDER BY control_2022)
  FROM correspondence GROUP BY control_2013 HAVING count(*) > 1;

-- the 11 controls new in 2022
SELECT control, title FROM annex_a_2022 WHERE is_new ORDER BY control;

-- known facts of the correspondence
SELECT control_2013, control_2022, kind, title_2022 FROM correspondence
 WHERE control_2013 IN ('A.7.2.2', 'A.16.1.2', 'A.16.1.3', 'A.18.2.3',
						'A.12.6.1', 'A.6.2.2')
 ORDER BY control_2013, control_2022;
SELECT control_2022, array_agg(control_2013 ORDER BY control_2013)
  FROM correspondence
 WHERE control_2022 IN ('A.5.14', 'A.7.10', 'A.8.1', 'A.8.32')
 GROUP BY control_2022 ORDER BY control_2022;

-- attributes of a few controls (ISO/IEC 27002:2022 Table A.1)
SELECT control, control_type, security_properties, cybersecurity_concepts,
	   operational_capabilities, security_domains
  FROM annex_a_2022
 WHERE control IN ('A.5.7', 'A.5.22', 'A.5.30', 'A.6.3', 'A.8.13', 'A.8.17')
 ORDER BY control;

-- attribute totals: 83 preventive, 13 detective, 14 corrective
SELECT t, count(*) FROM annex_a_2022, unnest(control_type) AS t
 GROUP BY t ORDER BY t;
SELECT control FROM annex_a_2022 WHERE 'Corrective' = ANY (control_type)
 ORDER BY control;
SELECT count(*) AS respond FROM annex_a_2022
 WHERE cybersecurity_concepts @> '{Respond}';

-- attributes are typed: a misspelt tag is an error, not an empty result
SELECT count(*) FROM annex_a_2022 WHERE 'Detectve' = ANY (control_type);

-- the titles quoted by data/SOURCES.md
SELECT control, title FROM annex_a_2022
 WHERE control IN ('A.5.21', 'A.5.34', 'A.8.1', 'A.7.6', 'A.8.25', 'A.8.17')
 ORDER BY control;
SELECT control, objective, objective_title, title FROM annex_a_2013
 WHERE control IN ('A.12.6.1', 'A.13.2.4', 'A.11.2.7')
 ORDER BY control;

-- user tables join the catalogue through the iso_control type
CREATE TABLE my_controls (control iso_control, owner text);
INSERT INTO my_controls VALUES ('6.3', 'HR'), ('A.8.8', 'IT'), ('5.7', 'SOC');
SELECT m.control, a.theme, a.title, m.owner
  FROM my_controls m JOIN annex_a_2022 a USING (control) ORDER BY control;
DROP TABLE my_controls;
