-- Run by bench/iso_control.sh; see there.
CREATE EXTENSION iso27001;
SET search_path = public, iso27001;
\ir common.sql
SET work_mem = '512MB';
SET maintenance_work_mem = '512MB';

-- The same random controls in every form: canonical text, iso_control,
-- and an int4 holding the control's position in the catalogue.
CREATE TABLE ids AS
SELECT row_number() OVER (ORDER BY control)::int4 AS n, control::text AS t
  FROM annex_a_2022;
CREATE TABLE data AS
SELECT ids.t AS t, ids.n::text AS n_text, ids.t::iso_control AS c, ids.n AS n
  FROM generate_series(1, :rows) AS g
  JOIN ids ON ids.n = 1 + (hashint4(g) & 2147483647) % 93;
VACUUM ANALYZE data;

CREATE TEMP TABLE result (measure text, kind text, value numeric);

-- parsing text: the input function of each type over a text column
INSERT INTO result VALUES
	('parse from text (ms)', 'iso_control', bench('SELECT count(t::iso_control) FROM data', :runs)),
	('parse from text (ms)', 'int4', bench('SELECT count(n_text::int4) FROM data', :runs)),
	('parse from text (ms)', 'text idiom', bench($$SELECT count(string_to_array(ltrim(t, 'A.'), '.')::int[]) FROM data$$, :runs));

-- sorting all rows in memory (OFFSET past the end: the whole sort, no output)
INSERT INTO result VALUES
	('ORDER BY (ms)', 'iso_control', bench(format('SELECT c FROM data ORDER BY c OFFSET %s', :rows), :runs)),
	('ORDER BY (ms)', 'int4', bench(format('SELECT n FROM data ORDER BY n OFFSET %s', :rows), :runs)),
	('ORDER BY (ms)', 'text idiom', bench(format($$SELECT t FROM data ORDER BY string_to_array(ltrim(t, 'A.'), '.')::int[] OFFSET %s$$, :rows), :runs));

-- B-tree index sizes
CREATE INDEX data_c ON data (c);
CREATE INDEX data_n ON data (n);
CREATE INDEX data_t ON data (t);
CREATE INDEX data_idiom ON data ((string_to_array(ltrim(t, 'A.'), '.')::int[]));
INSERT INTO result VALUES
	('B-tree index (kB)', 'iso_control', pg_relation_size('data_c') / 1024),
	('B-tree index (kB)', 'int4', pg_relation_size('data_n') / 1024),
	('B-tree index (kB)', 'text', pg_relation_size('data_t') / 1024),
	('B-tree index (kB)', 'text idiom', pg_relation_size('data_idiom') / 1024);

SELECT format('iso_control benchmark: %s rows, median of %s runs, PostgreSQL %s',
			  :rows, :runs, current_setting('server_version')) AS title \gset
\echo
\echo :title
SELECT r.measure, r.kind, r.value,
	   round(r.value / i.value, 2) AS "ratio to int4"
  FROM result r JOIN result i ON i.measure = r.measure AND i.kind = 'int4'
 ORDER BY r.measure DESC, r.kind <> 'iso_control', r.kind <> 'int4', r.kind;

SELECT 'sort: iso_control / int4 (target <= 1.3)' AS target,
	   round(c.value / i.value, 2) AS ratio
  FROM result c, result i
 WHERE c.measure = 'ORDER BY (ms)' AND c.kind = 'iso_control' AND i.measure = c.measure AND i.kind = 'int4'
UNION ALL
SELECT 'sort: text idiom / iso_control (target >= 3)',
	   round(t.value / c.value, 2)
  FROM result c, result t
 WHERE c.measure = 'ORDER BY (ms)' AND c.kind = 'iso_control' AND t.measure = c.measure AND t.kind = 'text idiom'
UNION ALL
SELECT 'index: iso_control / int4 (target = 1)',
	   round(c.value / i.value, 2)
  FROM result c, result i
 WHERE c.measure = 'B-tree index (kB)' AND c.kind = 'iso_control' AND i.measure = c.measure AND i.kind = 'int4';
