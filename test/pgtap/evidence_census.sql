-- evidence_census_agg, the validator's pass over evidence records, and the
-- sets of Annex A controls (annex_a_bits, annex_a_members) it and the risk
-- rules compare: the stale controls of a small example worked out by hand
-- from the rule (no record collected by the day is valid on it, and one
-- was collected, or current evidence is required), the day's edges, bad
-- input; and the same over 30,000 records through a parallel plan, against
-- the rule written in plain SQL.
\ir ../include/preamble.sql
SET LOCAL search_path = public, iso27001;
SET LOCAL TimeZone = 'UTC';

-- the JSON plan of a query, run
CREATE FUNCTION pg_temp.explain_analyze(query text) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	plan json;
BEGIN
	EXECUTE 'EXPLAIN (ANALYZE, FORMAT JSON) ' || query INTO plan;
	RETURN plan::jsonb;
END $$;

SELECT plan(20);

-- Sets: one bit a control, the 93 of 2022 (A.5.1 first, A.8.34 at 93), then
-- the 114 of 2013 (A.5.1.1 at 94, A.18.2.3 last, at 207)
SELECT is(annex_a_bits(ARRAY['A.5.1', 'A.8.34', 'A.5.1.1', 'A.18.2.3']),
		  (B'1' || repeat('0', 91)::bit varying || B'11' || repeat('0', 112)::bit varying || B'1'),
		  'annex_a_bits: A.5.1, A.8.34, A.5.1.1 and A.18.2.3 are bits 1, 93, 94 and 207 of 207');
SELECT is(annex_a_bits(ARRAY['a.5.1', ' A.5.1', 'A.05.1', '5.1', 'ORG-1', 'A.5.38', NULL]),
		  repeat('0', 207)::bit varying,
		  'only register keys (the canonical text) are Annex A: lower case, blanks, zeros, bare numbers, own keys, A.5.38 and NULL are not');
SELECT is(annex_a_members(annex_a_bits(ARRAY['A.18.2.3', 'A.8.1', 'A.5.37', 'A.6.1', 'A.12.6.1', 'A.7.14', 'A.6.8', 'A.5.1.1'])),
		  '{A.5.37,A.6.1,A.6.8,A.7.14,A.8.1,A.5.1.1,A.12.6.1,A.18.2.3}'::iso_control[],
		  'annex_a_members: the controls of a set, in catalogue order (2022, then 2013), theme and clause edges included');
SELECT is((SELECT count(*) FROM annex_a_titles t
			WHERE (annex_a_members(annex_a_bits(ARRAY[t.control::text])))[1] = t.control),
		  207::bigint, 'every control of both catalogues goes in and out of a set as itself');
SELECT throws_ok($$SELECT annex_a_members(B'101')$$, '22023',
				 'a set of Annex A controls has 207 bits, not 3', 'a bit string of another length is not a set');

SELECT is((SELECT annex_a_set_agg(k) FROM (VALUES ('{A.5.1,ORG-1}'::text[]), (NULL), ('{A.8.34,A.5.1}'), ('{}')) v(k)),
		  annex_a_bits('{A.5.1,A.8.34}'), 'annex_a_set_agg: the union of the rows'' sets; NULL and empty arrays add nothing');
SELECT is(annex_a_set_accum(annex_a_bits('{A.5.2}'), '{A.5.3}'), annex_a_bits('{A.5.2,A.5.3}'),
		  'its transition called by hand adds to a copy of the set');

-- Records of one scope, validated on 2026-06-30 (UTC)
CREATE TEMP TABLE records (control_keys text[], collected_at timestamptz, valid_until date, required boolean);
INSERT INTO records VALUES
	('{A.5.1}', '2026-01-01', '2026-12-31', false),			-- valid
	('{A.5.1,A.5.2}', '2025-01-01', '2025-12-31', false),	-- expired: A.5.1 has a valid one
	('{A.5.2}', '2024-01-01', '2024-12-31', false),			-- older
	('{A.5.3}', '2026-07-01 00:00', '2027-06-30', false),	-- collected after the day: not read
	('{A.5.3}', '2026-06-30 23:59:59', '2026-06-29', false),	-- collected on the day, expired
	('{A.5.4}', '2026-06-30 12:00', '2026-06-30', false),	-- valid on its last day
	('{ORG-1,A.5.5}', '2025-06-01', '2026-05-31', false),
	('{ORG-1}', '2025-01-01', '2025-06-30', false),
	('{ORG-2}', '2026-06-01', '2026-07-31', false),
	('{A.12.6.1,NULL}', '2025-01-01', NULL, false),			-- no validity: not read
	('{A.5.1}', NULL, NULL, true),							-- requirements
	('{A.5.6}', NULL, NULL, true),
	('{ORG-2}', NULL, NULL, true),
	('{A.5.2}', NULL, NULL, true),
	('{ORG-3}', NULL, NULL, true);
SELECT results_eq(
	$$SELECT k, d, r
		FROM (SELECT evidence_census_agg(control_keys, collected_at, valid_until, required, '2026-06-30') AS v
				FROM records) c,
			 ROWS FROM (unnest((v).control_key), unnest((v).last_valid), unnest((v).required)) WITH ORDINALITY x(k, d, r, i)
	   ORDER BY i$$,
	$$VALUES ('A.5.2', '2025-12-31'::date, true), ('A.5.3', '2026-06-29', false), ('A.5.5', '2026-05-31', false),
			 ('A.5.6', NULL, true), ('ORG-1', '2026-05-31', false), ('ORG-3', NULL, true)$$,
	'stale on 2026-06-30: the latest expiry, required or not; Annex A in catalogue order, then own keys');
SELECT results_eq(
	$$SELECT (v).control_key
		FROM (SELECT evidence_census_agg(control_keys, collected_at, valid_until, required, '2026-07-01') AS v
				FROM records) c$$,
	$$VALUES ('{A.5.2,A.5.4,A.5.5,A.5.6,ORG-1,ORG-3}'::text[])$$,
	'on 2026-07-01: A.5.3''s record collected that day is read, and valid; A.5.4''s expired the day before');
SELECT results_eq(
	$$SELECT (v).control_key, (v).last_valid, (v).required
		FROM (SELECT evidence_census_agg(control_keys, collected_at, valid_until, required, '2026-06-30') AS v
				FROM records WHERE false) c$$,
	$$VALUES ('{}'::text[], '{}'::date[], '{}'::boolean[])$$,
	'no rows: nothing stale');
-- 5,000 records of three own keys in one scope: the list is folded every
-- time it fills up; the latest expiry and validity survive the folds
SELECT results_eq(
	$$SELECT (v).control_key, (v).last_valid
		FROM (SELECT evidence_census_agg(ARRAY['K-' || (g % 3)], timestamptz '2026-01-01' + g * interval '1 minute',
										 CASE WHEN g % 3 = 2 AND g = 4997 THEN date '2026-07-01'
											  ELSE date '2026-01-01' + g % 97 END, false, '2026-06-30') AS v
				FROM generate_series(1, 5000) g) c$$,
	$$VALUES ('{K-0,K-1}'::text[], ARRAY[date '2026-01-01' + 96, date '2026-01-01' + 96])$$,
	'5,000 records of three own keys: K-0 and K-1 stale (the latest expiry 96 days in), K-2 valid by its one current record');
SELECT throws_ok($$SELECT evidence_census_agg('{A.5.1}', now(), '2030-01-01', false, NULL)$$,
				 '22004', 'as_of of evidence_census_agg must not be null', 'as_of NULL');
SELECT throws_ok($$SELECT evidence_census_agg('{A.5.1}', now(), '2030-01-01', false, 'infinity')$$,
				 '22008', 'as_of must be a finite date', 'as_of infinite');
SELECT throws_ok($$SELECT evidence_census_agg(control_keys, collected_at, valid_until, required,
											  CASE WHEN required THEN date '2026-06-30' ELSE date '2026-07-01' END)
					 FROM records$$,
				 '22023', 'as_of of evidence_census_agg must be the same for every row', 'as_of changing from row to row');

-- 30,000 records of three scopes, through a parallel plan (a plain table:
-- workers cannot read temporary ones), against the rule in SQL
CREATE TABLE public.many AS
WITH catalogue AS (SELECT array_agg(control::text ORDER BY control) AS keys FROM annex_a_titles)
SELECT g % 3 AS grp,
	   ARRAY[CASE WHEN g % 3 = 0 THEN c.keys[1 + g % 207] ELSE 'ORG-' || (g % 4000) END,
			 CASE WHEN g % 5 = 0 THEN 'A.8.' || (1 + g % 34) END] AS control_keys,
	   timestamptz '2026-06-30 12:00' - (g % 700) * interval '1 day' AS collected_at,
	   date '2026-06-30' - (g % 700) + (g % 4) * 150 AS valid_until,
	   false AS required
  FROM generate_series(1, 30000) g, catalogue c
UNION ALL
SELECT grp, ARRAY[k], NULL, NULL, true
  FROM generate_series(0, 2) grp, unnest(ARRAY['A.5.1', 'A.6.1.1', 'ORG-1', 'ORG-99999']) k;
ANALYZE public.many;
CREATE TEMP TABLE many_expected AS
WITH pairs AS (
	SELECT m.grp, k, m.collected_at, m.valid_until, m.required
	  FROM public.many m CROSS JOIN LATERAL unnest(m.control_keys) k
	 WHERE k IS NOT NULL)
SELECT grp, k,
	   max(valid_until) FILTER (WHERE NOT required AND collected_at < '2026-07-01' AND valid_until < '2026-06-30') AS last_valid,
	   bool_or(required) AS required
  FROM pairs
 GROUP BY grp, k
HAVING NOT coalesce(bool_or(NOT required AND collected_at < '2026-07-01' AND valid_until >= '2026-06-30'), false)
   AND (bool_or(required)
		OR bool_or(NOT required AND collected_at < '2026-07-01' AND valid_until < '2026-06-30'));

SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL parallel_leader_participation = off;
SELECT cmp_ok(jsonb_path_query_first(pg_temp.explain_analyze(
					$$SELECT grp, evidence_census_agg(control_keys, collected_at, valid_until, required, '2026-06-30')
						FROM public.many GROUP BY grp$$), 'strict $.**."Workers Launched"')::int,
			  '>=', 1, 'the aggregate runs in parallel workers, its partial states sent to the leader');
CREATE TEMP TABLE many_sets AS
SELECT grp, annex_a_set_agg(control_keys) AS s FROM public.many GROUP BY grp;
CREATE TEMP TABLE many_census AS
SELECT grp, evidence_census_agg(control_keys, collected_at, valid_until, required, '2026-06-30') AS v
  FROM public.many GROUP BY grp;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;

SELECT set_eq($$SELECT grp, k, d, r FROM many_census,
					 ROWS FROM (unnest((v).control_key), unnest((v).last_valid), unnest((v).required)) x(k, d, r)$$,
			  $$SELECT grp, k, last_valid, required FROM many_expected$$,
			  'the stale controls of each scope, combined from the workers, are those of the rule in SQL');
SELECT set_eq($$SELECT grp, s FROM many_sets$$,
			  $$SELECT grp, bit_or(annex_a_bits(control_keys))::bit varying FROM public.many GROUP BY grp$$,
			  'annex_a_set_agg of each scope, combined from the workers, is bit_or of annex_a_bits');
SELECT cmp_ok((SELECT count(*) FROM many_expected), '>', 100::bigint,
			  'of which there are many');
SELECT is((SELECT count(*) - count(DISTINCT (grp, k)) FROM many_census, unnest((v).control_key) k),
		  0::bigint, 'each stale control is listed once');
SELECT ok((SELECT bool_and(k IN ('A.5.1', 'A.6.1.1', 'ORG-1', 'ORG-99999')) FROM many_expected WHERE required)
		  AND (SELECT count(*) FROM many_expected WHERE required AND last_valid IS NULL) >= 3,
		  'required controls are among them, some without any record (ORG-99999)');

SELECT * FROM finish();
ROLLBACK;
