--
-- iso_control: input, output, order, hashing, casts and functions
--
SET search_path = iso27001, public;
SET client_encoding = UTF8;

-- Report what a string reads as: the canonical control, or the SQLSTATE
-- with the error's detail and hint.
CREATE FUNCTION pg_temp.outcome(input text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	detail text;
	hint text;
BEGIN
	RETURN input::iso27001.iso_control::text;
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS detail = PG_EXCEPTION_DETAIL, hint = PG_EXCEPTION_HINT;
	RETURN SQLSTATE || ': ' || detail || coalesce(' Hint: ' || nullif(hint, ''), '');
END $$;

-- accepted forms: the number of parts decides the edition
SELECT input, pg_temp.outcome(input)
  FROM (VALUES ('5.7'), ('A.5.7'), ('a.5.7'), ('  A.5.7  '), (E'\tA.8.34\n'),
			   ('5.07'), ('05.7'), ('A.05.07'), ('6.1'), ('7.14'), ('8.34'),
			   ('A.7.2.2'), ('7.2.2'), ('a.7.2.2'), ('05.1.1'), ('A.18.2.3'),
			   ('A.12.7.1'), ('A.11.2.9')) AS t(input);

-- rejected: controls that do not exist in their edition
SELECT input, pg_temp.outcome(input)
  FROM (VALUES ('5.38'), ('6.9'), ('7.15'), ('8.35'), ('5.0'), ('4.1'),
			   ('0.1'), ('9.1'), ('A.12.6'), ('A.9.5.1'), ('A.19.1.1'),
			   ('A.4.1.1'), ('A.7.3.2'), ('A.16.1.8'), ('A.10.2.1'),
			   ('A.5.1.0'), ('0.0.0')) AS t(input);

-- rejected: malformed strings
SELECT input, pg_temp.outcome(input)
  FROM (VALUES (''), ('   '), ('A'), ('A.'), ('A..5.7'), ('5..7'), ('5.7.'),
			   ('.5.7'), ('5'), ('A.5'), ('5.7.1.1'), ('A5.7'), ('A 5.7'),
			   ('5 .7'), ('5. 7'), ('B.5.7'), ('A.A.5.7'), ('5,7'), ('-5.7'),
			   ('+5.7'), ('5.7a'), ('５.7'), ('5.７'), ('5.007'), ('005.7'),
			   ('A.7.2.002'), ('5.7 x'), ('x'), ('Annex A.5.7')) AS t(input);

-- overlong input
SELECT pg_temp.outcome(repeat('5', 1000) || '.7'),
	   pg_temp.outcome('5.' || repeat('7', 1000)),
	   pg_temp.outcome(repeat('A.5.7', 200)),
	   pg_temp.outcome(repeat(' ', 10000) || 'A.5.7' || repeat(' ', 10000));

-- the error as a user sees it
SELECT 'A.5.38'::iso_control;
SELECT 'A.9.5.1'::iso_control;
SELECT 'A.12.6'::iso_control;
SELECT '5..7'::iso_control;

-- a failed cast in a statement changes nothing
CREATE TABLE ctl (c iso_control);
INSERT INTO ctl VALUES ('A.5.7');
INSERT INTO ctl SELECT unnest(ARRAY['A.5.8', 'A.5.38']);
SELECT * FROM ctl;

-- NULL in, NULL out
SELECT NULL::iso_control, edition(NULL), title(NULL);

-- natural order: A.5.9 < A.5.10 < A.6.1, 2013 controls the same way, and
-- every 2013 control before every 2022 control
SELECT 'A.5.9'::iso_control < 'A.5.10', 'A.5.10'::iso_control < 'A.6.1',
	   'A.8.9'::iso_control < 'A.8.10', 'A.5.37'::iso_control < 'A.6.1',
	   'A.9.4.5'::iso_control < 'A.10.1.1', 'A.12.1.4'::iso_control < 'A.12.2.1',
	   'A.18.2.3'::iso_control < 'A.5.1';
SELECT c FROM unnest('{A.5.10,A.6.1,A.5.9,A.10.1.1,A.9.4.5,A.5.1,A.8.34,A.5.1.1,A.18.2.3,A.5.2}'::iso_control[]) AS c
 ORDER BY c;
SELECT max(c), min(c)
  FROM unnest('{A.5.10,A.6.1,A.5.9,A.8.34,A.8.9}'::iso_control[]) AS c;

-- operators, equal spellings are equal
SELECT 'A.5.7'::iso_control = '5.07', 'A.5.7'::iso_control <> 'A.5.8',
	   'A.5.7'::iso_control <= 'A.5.7', 'A.5.7'::iso_control >= 'A.5.7',
	   'A.5.7'::iso_control > 'A.5.6', 'A.7.2.2'::iso_control = '7.2.2',
	   iso_control_cmp('A.5.9', 'A.5.10'), iso_control_cmp('A.5.10', 'A.5.9'),
	   iso_control_cmp('A.5.7', '5.7');

-- hashing: equal values hash alike
SELECT iso_control_hash('A.5.7') = iso_control_hash('05.07'),
	   iso_control_hash_extended('A.5.7', 42) = iso_control_hash_extended('5.7', 42),
	   iso_control_hash_extended('A.5.7', 0) <> iso_control_hash_extended('A.5.7', 1);

-- casts to and from text, and assignment from text
SELECT 'A.5.7'::text::iso_control, ('A.5.7'::iso_control)::text,
	   pg_typeof(('A.5.7'::iso_control)::text);
INSERT INTO ctl VALUES ('8.28'::text);
SELECT * FROM ctl ORDER BY c;

-- edition and validity without an error
SELECT edition('A.5.7'), edition('A.7.2.2'), is_valid_control('A.5.7'),
	   is_valid_control('A.7.2.2'), is_valid_control('A.5.38'),
	   is_valid_control(''), is_valid_control('5..7');

-- catalogue look-ups, NULL or no rows for the other edition
SELECT title('A.5.7'), theme('A.5.7'), is_new('A.5.7'), is_new('A.6.3'),
	   clause('A.5.7'), objective('A.5.7');
SELECT title('A.7.2.2'), theme('A.7.2.2'), is_new('A.7.2.2'),
	   clause('A.7.2.2'), objective('A.7.2.2');
SELECT successors('A.7.2.2');
SELECT successors('A.18.2.3');
SELECT predecessors('A.6.8');
SELECT predecessors('A.7.10');
SELECT count(*) FROM predecessors('A.5.7');
SELECT count(*) FROM successors('A.6.3');
SELECT count(*) FROM predecessors('A.7.2.2');

-- indexes: btree and hash are used, and B-tree deduplication is on
CREATE TABLE many AS
SELECT ('A.' || t || '.' || n)::iso_control AS c
  FROM generate_series(5, 8) AS t, generate_series(1, 8) AS n,
	   generate_series(1, 300) AS r;
CREATE INDEX many_btree ON many (c);
CREATE INDEX many_hash ON many USING hash (c);
ANALYZE many;
SET enable_seqscan = off;
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM many WHERE c = 'A.6.2';
SELECT count(*) FROM many WHERE c = 'A.6.2';
EXPLAIN (COSTS OFF) SELECT count(*) FROM many WHERE c BETWEEN 'A.5.7' AND 'A.6.2';
SELECT count(*) FROM many WHERE c BETWEEN 'A.5.7' AND 'A.6.2';
CREATE EXTENSION pageinspect;
SELECT allequalimage FROM bt_metap('many_btree');
DROP EXTENSION pageinspect;
DROP INDEX many_btree;
EXPLAIN (COSTS OFF) SELECT count(*) FROM many WHERE c = 'A.6.2';
SELECT count(*) FROM many WHERE c = 'A.6.2';
RESET enable_seqscan;
RESET enable_bitmapscan;
SELECT i.indexrelid::regclass, a.amname, o.opcname, o.opcdefault
  FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
  JOIN pg_am a ON a.oid = c.relam
  JOIN pg_opclass o ON o.oid = i.indclass[0]
 WHERE i.indrelid = 'many'::regclass;

-- hash aggregation and hash join
SET enable_sort = off;
EXPLAIN (COSTS OFF) SELECT c, count(*) FROM many GROUP BY c;
SELECT c, count(*) FROM many GROUP BY c ORDER BY c LIMIT 3;
RESET enable_sort;
SET enable_mergejoin = off;
SET enable_nestloop = off;
EXPLAIN (COSTS OFF)
SELECT count(*) FROM many m JOIN annex_a_2022 a ON a.control = m.c;
SELECT count(*) FROM many m JOIN annex_a_2022 a ON a.control = m.c;
RESET enable_mergejoin;
RESET enable_nestloop;
DROP TABLE many, ctl;
