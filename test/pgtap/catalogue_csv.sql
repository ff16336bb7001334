-- The seeded catalogues equal the reference CSVs in data/ row by row.
-- Run from the top of the repository (the \copy paths are relative).
\ir ../include/preamble.sql
SET LOCAL search_path = iso27001, public;

CREATE TEMP TABLE csv_2022 (
	id text, theme text, title text, control_type text,
	security_properties text, cybersecurity_concepts text,
	operational_capabilities text, security_domains text);
\copy csv_2022 FROM 'data/iso27001_2022_annex_a.csv' WITH (FORMAT csv, HEADER true)
CREATE TEMP TABLE csv_2013 (
	id text, clause text, clause_title text, objective text, title text);
\copy csv_2013 FROM 'data/iso27001_2013_annex_a.csv' WITH (FORMAT csv, HEADER true)
CREATE TEMP TABLE csv_objectives (objective text, clause text, title text);
\copy csv_objectives FROM 'data/iso27001_2013_objectives.csv' WITH (FORMAT csv, HEADER true)
CREATE TEMP TABLE csv_map (id_2013 text, id_2022 text);
\copy csv_map FROM 'data/iso27001_2013_to_2022.csv' WITH (FORMAT csv, HEADER true)
CREATE TEMP TABLE csv_isms (clause text, title text);
\copy csv_isms FROM 'data/iso27001_2022_clauses.csv' WITH (FORMAT csv, HEADER true)

SELECT plan(25);

-- the reference files are whole
SELECT is(count(*), 93::bigint, 'data/iso27001_2022_annex_a.csv has 93 rows') FROM csv_2022;
SELECT is(count(*), 114::bigint, 'data/iso27001_2013_annex_a.csv has 114 rows') FROM csv_2013;
SELECT is(count(*), 35::bigint, 'data/iso27001_2013_objectives.csv has 35 rows') FROM csv_objectives;
SELECT is(count(*), 115::bigint, 'data/iso27001_2013_to_2022.csv has 115 rows') FROM csv_map;

-- 2022: every control, theme, title and attribute
SELECT is(count(*), 93::bigint, 'annex_a_2022 has 93 rows') FROM annex_a_2022;
SELECT set_eq(
	$$SELECT 'A.' || id, theme, title, control_type, security_properties,
			 cybersecurity_concepts, operational_capabilities, security_domains
		FROM csv_2022$$,
	$$SELECT control::text, theme::text, title,
			 array_to_string(control_type, '|') AS control_type,
			 array_to_string(security_properties, '|') AS security_properties,
			 array_to_string(cybersecurity_concepts, '|') AS cybersecurity_concepts,
			 array_to_string(operational_capabilities, '|') AS operational_capabilities,
			 array_to_string(security_domains, '|') AS security_domains
		FROM annex_a_2022$$,
	'annex_a_2022 equals data/iso27001_2022_annex_a.csv row by row');
SELECT results_eq(
	$$SELECT theme::text, count(*) FROM annex_a_2022 GROUP BY theme ORDER BY theme$$,
	$$VALUES ('Organizational', 37::bigint), ('People', 8), ('Physical', 14),
			 ('Technological', 34)$$,
	'93 = 37 + 8 + 14 + 34 controls by theme');
SELECT is_empty(
	$$SELECT control FROM annex_a_2022
	   WHERE theme <> (enum_range(NULL::annex_a_theme))[split_part(control::text, '.', 2)::int - 4]$$,
	'each 2022 control is in the theme its first number names');

-- 2013: every control, clause, objective and title
SELECT is(count(*), 114::bigint, 'annex_a_2013 has 114 rows') FROM annex_a_2013;
SELECT set_eq(
	$$SELECT id, clause, clause_title, objective, title FROM csv_2013$$,
	$$SELECT control::text, clause, clause_title, objective, title FROM annex_a_2013$$,
	'annex_a_2013 equals data/iso27001_2013_annex_a.csv row by row');
SELECT set_eq(
	$$SELECT objective, clause, title FROM csv_objectives$$,
	$$SELECT DISTINCT objective, clause, objective_title FROM annex_a_2013$$,
	'the objectives of annex_a_2013 equal data/iso27001_2013_objectives.csv');
SELECT is_empty(
	$$SELECT control FROM annex_a_2013
	   WHERE objective <> substr(control::text, 1, length(control::text) - length(split_part(control::text, '.', 4)) - 1)
		  OR clause <> 'A.' || split_part(control::text, '.', 2)$$,
	'each 2013 control is in the objective and clause its numbers name');

-- the correspondence, and its derived kinds
SELECT is(count(*), 115::bigint, 'correspondence has 115 pairs') FROM correspondence;
SELECT set_eq(
	$$SELECT id_2013, 'A.' || id_2022 FROM csv_map$$,
	$$SELECT control_2013::text, control_2022::text FROM correspondence$$,
	'correspondence equals data/iso27001_2013_to_2022.csv pair by pair');
SELECT is_empty(
	$$SELECT control FROM annex_a_2013 EXCEPT SELECT control_2013 FROM correspondence$$,
	'every 2013 control has a successor');
SELECT set_eq(
	$$SELECT control::text FROM annex_a_2022 WHERE is_new$$,
	ARRAY['A.5.7', 'A.5.23', 'A.5.30', 'A.7.4', 'A.8.9', 'A.8.10', 'A.8.11',
		  'A.8.12', 'A.8.16', 'A.8.23', 'A.8.28'],
	'the 11 controls new in 2022');
SELECT results_eq(
	$$SELECT control_2022::text FROM correspondence WHERE control_2013 = 'A.7.2.2'$$,
	ARRAY['A.6.3'], 'A.7.2.2 -> A.6.3');
SELECT set_eq(
	$$SELECT control_2013::text FROM correspondence WHERE control_2022 = 'A.6.8'$$,
	ARRAY['A.16.1.2', 'A.16.1.3'], 'A.16.1.2, A.16.1.3 -> A.6.8');
SELECT set_eq(
	$$SELECT control_2022::text, kind::text FROM correspondence WHERE control_2013 = 'A.18.2.3'$$,
	$$VALUES ('A.5.36', 'split-merge'), ('A.8.8', 'split-merge')$$,
	'A.18.2.3 -> A.5.36, A.8.8, the only split');
SELECT set_eq(
	$$SELECT control_2022::text FROM correspondence GROUP BY control_2022 HAVING count(*) > 1$$,
	ARRAY['A.5.1', 'A.5.8', 'A.5.9', 'A.5.10', 'A.5.14', 'A.5.15', 'A.5.17',
		  'A.5.18', 'A.5.22', 'A.5.29', 'A.5.31', 'A.5.36', 'A.6.8', 'A.7.2',
		  'A.7.10', 'A.8.1', 'A.8.8', 'A.8.15', 'A.8.19', 'A.8.24', 'A.8.26',
		  'A.8.29', 'A.8.31', 'A.8.32'],
	'the 24 2022 controls that merge several 2013 controls');
SELECT set_eq(
	$$SELECT kind::text, count(*) FROM correspondence GROUP BY kind$$,
	$$VALUES ('one-to-one', 58::bigint), ('merge', 55), ('split-merge', 2)$$,
	'kinds: 58 one-to-one, 55 merge pairs (24 controls), 2 split-merge pairs');

-- the clauses 4 to 10 of ISO/IEC 27001:2022: 7 main clauses, 4 with
-- subclauses of their own (6.1, 7.5, 9.2, 9.3), 30 requirements: 4.1-4.4,
-- 5.1-5.3, 6.1.1-6.1.3 6.2 6.3, 7.1-7.4 7.5.1-7.5.3, 8.1-8.3, 9.1 9.2.1
-- 9.2.2 9.3.1-9.3.3, 10.1 10.2
SELECT is(count(*), 41::bigint, 'data/iso27001_2022_clauses.csv has 41 rows') FROM csv_isms;
SELECT set_eq($$SELECT clause, title FROM csv_isms$$, $$SELECT clause, title FROM isms_clauses_2022$$,
			  'isms_clauses_2022 equals data/iso27001_2022_clauses.csv row by row');
SELECT results_eq(
	$$SELECT section, count(*) FROM isms_clauses_2022 WHERE is_requirement GROUP BY 1 ORDER BY 1$$,
	$$VALUES (4, 4::bigint), (5, 3), (6, 5), (7, 7), (8, 3), (9, 6), (10, 2)$$,
	'30 requirements: 4 + 3 + 5 + 7 + 3 + 6 + 2 by main clause');
SELECT is((SELECT array_agg(clause || ' ' || sort_key ORDER BY sort_key) FROM isms_clauses_2022 WHERE clause IN ('10.1', '9.3.3', '6.3', '6.1.2', '4', '9.2')),
		  ARRAY['4 40000', '6.1.2 60102', '6.3 60300', '9.2 90200', '9.3.3 90303', '10.1 100100'],
		  'sort_key: 6.1.2 60102 and so on, the standard''s order (10.1 after 9.3.3)');

SELECT * FROM finish();
ROLLBACK;
