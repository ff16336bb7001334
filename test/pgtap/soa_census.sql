-- soa_census_agg, the validator's pass over the register: the counts by
-- edition and the entries kept, with their problem bits, worked out by hand
-- from the rules (1 undecided, 2 decided without justification, 4
-- (partially) implemented without evidence, 8 flagged for review, 16
-- organization-defined); the same through a parallel plan, where the state
-- is serialized, passed between processes and combined.
\ir ../include/preamble.sql
SET LOCAL search_path = public, iso27001;

CREATE TEMP TABLE rows_ (control_key text, control iso_control, title text, entry soa_entry,
						 justification text, evidence text[], needs_review boolean);
INSERT INTO rows_ VALUES
	('A.5.1', 'A.5.1', NULL, 'applicable, implemented (legal)', 'Policy.', '{https://e/1}', false),
	('A.5.2', 'A.5.2', NULL, NULL, NULL, '{}', false),
	('A.5.3', 'A.5.3', NULL, 'excluded', E' \t', '{}', false),
	('A.5.4', 'A.5.4', NULL, 'applicable, implemented (legal)', 'Done.', '{}', false),
	('A.5.5', 'A.5.5', NULL, 'applicable, partially implemented (legal)', NULL, NULL, false),
	('A.5.6', 'A.5.6', NULL, 'applicable, planned (legal)', 'Next year.', '{}', false),
	('A.5.7', 'A.5.7', NULL, 'applicable, implemented (legal)', 'Feeds.', '{https://e/7}', true),
	('ORG-1', NULL, 'Own control', 'excluded', 'Ours.', '{}', false),
	('A.7.2.2', 'A.7.2.2', NULL, 'applicable, implemented (legal)', 'Old.', '{https://e/8}', false),
	('A.5.8', 'A.5.8', NULL, 'applicable, planned (legal, risk treatment)', 'Plan.', '{}', false),
	('A.6.1.1', 'A.6.1.1', NULL, 'applicable, partially implemented (risk treatment)', 'RA.', '{https://e/9}', false),
	('ORG-2', NULL, 'Own risk control', 'applicable, implemented (risk treatment)', 'RA.', '{https://e/10}', false);

CREATE TEMP TABLE census AS
SELECT soa_census_agg(control_key, control, title, entry, justification, evidence, needs_review) AS c
  FROM rows_;

-- the JSON plan of a query, run
CREATE FUNCTION pg_temp.explain_analyze(query text) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	plan json;
BEGIN
	EXECUTE 'EXPLAIN (ANALYZE, FORMAT JSON) ' || query INTO plan;
	RETURN plan::jsonb;
END $$;

SELECT plan(14);

SELECT results_eq($$SELECT (c).annex_2022, (c).annex_2013 FROM census$$,
				  $$VALUES (8::bigint, 2::bigint)$$,
				  'eight 2022 controls and two 2013 controls; the organization-defined ones are neither');
SELECT results_eq(
	$$SELECT k, ctl, t, e::text, p
		FROM census, ROWS FROM (unnest((c).control_key), unnest((c).control), unnest((c).title),
								unnest((c).entry), unnest((c).problems)) AS x(k, ctl, t, e, p)
	   ORDER BY k$$,
	$$VALUES ('A.5.2', 'A.5.2'::iso_control, NULL::text, NULL::text, 1),
			 ('A.5.3', 'A.5.3', NULL, 'excluded', 2),
			 ('A.5.4', 'A.5.4', NULL, 'applicable, implemented (legal)', 4),
			 ('A.5.5', 'A.5.5', NULL, 'applicable, partially implemented (legal)', 6),
			 ('A.5.7', 'A.5.7', NULL, 'applicable, implemented (legal)', 8),
			 ('ORG-1', NULL, 'Own control', 'excluded', 16),
			 ('ORG-2', NULL, 'Own risk control', 'applicable, implemented (risk treatment)', 16)$$,
	'the kept entries: undecided 1, blank justification 2, no evidence 4, both 6, flagged 8, organization-defined 16; a planned control needs no evidence');
SELECT results_eq(
	$$SELECT annex_a_members((c).risk_treatment), annex_a_members((c).excluded),
			 annex_a_members((c).implemented), annex_a_members((c).partially_implemented)
		FROM census$$,
	$$VALUES ('{A.5.8,A.6.1.1}'::iso_control[], '{A.5.3}'::iso_control[],
			  '{A.5.1,A.5.4,A.5.7,A.7.2.2}'::iso_control[], '{A.5.5,A.6.1.1}'::iso_control[])$$,
	'the sets of Annex A controls: for risk treatment (planned or not), excluded, implemented, partially; undecided and organization-defined ones in none');
SELECT results_eq(
	$$SELECT (c).annex_2022, (c).annex_2013, cardinality((c).control_key), cardinality((c).problems)
		FROM (SELECT soa_census_agg(control_key, control, title, entry, justification, evidence, needs_review) AS c
				FROM rows_ WHERE false) e$$,
	$$VALUES (0::bigint, 0::bigint, 0, 0)$$,
	'no rows: nothing counted, nothing kept');
SELECT throws_ok(
	$$SELECT soa_census_agg(NULL, 'A.5.1', NULL, 'excluded', 'x', '{}', false)$$,
	'22004', 'control_key of soa_census_agg must not be null', 'a row without a key is refused');

-- evidence arrays as they come: stored out of line (TOAST), and expanded
-- (a PL/pgSQL array variable)
CREATE TEMP TABLE long_evidence (control_key text, entry soa_entry, evidence text[]);
INSERT INTO long_evidence VALUES
	('A.5.1', 'applicable, implemented (legal)',
	 ARRAY(SELECT 'https://evidence.example/' || md5(g::text) || md5((g * 7)::text) FROM generate_series(1, 400) g)),
	('A.5.2', 'applicable, implemented (legal)', '{}');
SELECT results_eq(
	$$SELECT control_key, pg_column_size(evidence) > 8000, soa_entry_problems(entry, 'Why.', evidence)
		FROM long_evidence ORDER BY 1$$,
	$$VALUES ('A.5.1', true, 0), ('A.5.2', false, 4)$$,
	'a long evidence array stored out of line counts as evidence, an empty one does not');
CREATE FUNCTION pg_temp.problems_of_variable(n int) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
	links text[] := '{}';
BEGIN
	FOR i IN 1..n LOOP
		links := links || ('https://e/' || i);
	END LOOP;
	RETURN iso27001.soa_entry_problems('applicable, implemented (legal)', 'Why.', links);
END $$;
SELECT results_eq($$SELECT pg_temp.problems_of_variable(0), pg_temp.problems_of_variable(3)$$,
				  $$VALUES (4, 0)$$,
				  'an array variable of PL/pgSQL (expanded) is read too');

-- 30,000 rows in three groups, through a parallel plan (a plain table:
-- workers cannot read temporary ones); what is kept is worked out
-- independently with plain SQL
CREATE TABLE public.big AS
SELECT g % 3 AS grp, 'K-' || g AS control_key,
	   CASE WHEN g % 1000 = 0 THEN NULL
			WHEN g % 2 = 0 THEN 'A.5.1' ELSE 'A.6.1.1' END::iso_control AS control,
	   CASE WHEN g % 1000 = 0 THEN 'Title ' || g END AS title,
	   CASE WHEN g % 100 = 0 THEN NULL
			WHEN g % 7 = 0 AND (g % 3 = 0 OR (g % 3 = 1 AND g % 2 = 1)) THEN 'applicable, implemented (risk treatment)'
			ELSE 'applicable, implemented (contractual)' END::soa_entry AS entry,
	   CASE WHEN g % 70 = 0 THEN '' ELSE 'Why.' END AS justification,
	   CASE WHEN g % 90 = 0 THEN '{}' ELSE '{https://e/x}' END::text[] AS evidence,
	   g % 250 = 0 AS needs_review
  FROM generate_series(1, 30000) g;
ANALYZE public.big;
CREATE TEMP TABLE big_expected AS
SELECT grp, control_key,
	   (CASE WHEN g % 100 = 0 THEN 1 ELSE 0 END
		| CASE WHEN g % 100 <> 0 AND g % 70 = 0 THEN 2 ELSE 0 END
		| CASE WHEN g % 100 <> 0 AND g % 90 = 0 THEN 4 ELSE 0 END
		| CASE WHEN g % 250 = 0 THEN 8 ELSE 0 END
		| CASE WHEN g % 1000 = 0 THEN 16 ELSE 0 END) AS problems
  FROM (SELECT g, g % 3 AS grp, 'K-' || g AS control_key FROM generate_series(1, 30000) g) s;
DELETE FROM big_expected WHERE problems = 0;

SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL parallel_leader_participation = off;
SELECT cmp_ok(pg_catalog.jsonb_path_query_first(pg_temp.explain_analyze(
					$$SELECT grp, soa_census_agg(control_key, control, title, entry, justification, evidence, needs_review)
						FROM big GROUP BY grp$$), 'strict $.**."Workers Launched"')::int,
			  '>=', 1, 'the aggregate runs in parallel workers, its partial states sent to the leader');
CREATE TEMP TABLE big_census AS
SELECT grp, soa_census_agg(control_key, control, title, entry, justification, evidence, needs_review) AS c
  FROM big GROUP BY grp;
-- an empty key (top-level statements only: a subquery runs no workers)
UPDATE public.big SET control_key = '' WHERE control_key = 'K-3000';
CREATE TEMP TABLE empty_key_census AS
SELECT grp, soa_census_agg(control_key, control, title, entry, justification, evidence, needs_review) AS c
  FROM public.big GROUP BY grp;
SELECT ok((SELECT bool_or('' = ANY ((c).control_key)) FROM empty_key_census),
		  'an empty key passes between workers too');
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;

SELECT results_eq($$SELECT grp, (c).annex_2022, (c).annex_2013 FROM big_census ORDER BY grp$$,
				  $$SELECT g % 3, count(*) FILTER (WHERE g % 1000 <> 0 AND g % 2 = 0),
						   count(*) FILTER (WHERE g % 1000 <> 0 AND g % 2 = 1)
					  FROM generate_series(1, 30000) g GROUP BY 1 ORDER BY 1$$,
				  'the counts of each group, combined from the workers');
SELECT set_eq($$SELECT grp, k, p FROM big_census,
					 ROWS FROM (unnest((c).control_key), unnest((c).problems)) AS x(k, p)$$,
			  $$SELECT grp, control_key, problems FROM big_expected$$,
			  'the kept entries of each group, combined from the workers');
SELECT set_eq($$SELECT grp, m FROM big_census, unnest(annex_a_members((c).risk_treatment)) m$$,
			  $$SELECT DISTINCT g % 3, CASE WHEN g % 2 = 0 THEN 'A.5.1' ELSE 'A.6.1.1' END::iso_control
				  FROM generate_series(1, 30000) g
				 WHERE g % 100 <> 0 AND g % 7 = 0 AND (g % 3 = 0 OR (g % 3 = 1 AND g % 2 = 1))$$,
			  'the sets of each group, combined from the workers: both controls in one, A.6.1.1 in another, none in the third');
SELECT is((SELECT count(*) FROM big_expected), 988::bigint,
		  'of which there are 988 (counted again in Python)');
SELECT set_eq($$SELECT k, t FROM big_census,
					 ROWS FROM (unnest((c).control_key), unnest((c).title)) AS x(k, t)
				WHERE t IS NOT NULL$$,
			  $$SELECT 'K-' || g AS k, 'Title ' || g AS t FROM generate_series(1000, 30000, 1000) g$$,
			  'the titles of the organization-defined entries survive the trip');

SELECT * FROM finish();
ROLLBACK;
