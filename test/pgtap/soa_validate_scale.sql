-- soa_validate on scopes with many organization-defined controls (issue 15
-- item 1).  The duplicate rule used to pair every organization-defined
-- control with every row of its scope (3,000 controls: 32 s and 0.9 GB).
-- Two checks that do not depend on timing:
--   - the work: the rows every node of the validator's plan produced or
--     filtered out, from EXPLAIN ANALYZE, stay within a fixed number per
--     register row of the scope (a pairing makes about as many as the
--     square: 1,500 x 1,593 = 2.4 million, where a grouping stays near
--     20 a row);
--   - the findings on a scope of 20,000 organization-defined controls with
--     duplicates of every kind, worked out by hand: a key repeated up to
--     case, a title repeated up to case and surrounding spaces, an Annex A
--     title, key and title both (one finding), and a group of 12 sharing a
--     title (the first 10 others listed, then one finding with the count).
\ir ../include/preamble.sql
SET LOCAL search_path = public, iso27001;

-- the rows every node of a query's plan produced or removed (by a filter,
-- a join filter or an index recheck), over all its loops: a count of the
-- executor's work that the machine's speed does not change
CREATE FUNCTION pg_temp.rows_touched(query text) RETURNS numeric LANGUAGE plpgsql AS $$
DECLARE
	plan json;
BEGIN
	EXECUTE 'EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) ' || query INTO plan;
	RETURN (SELECT sum(((n->>'Actual Rows')::numeric
						+ coalesce((n->>'Rows Removed by Filter')::numeric, 0)
						+ coalesce((n->>'Rows Removed by Join Filter')::numeric, 0)
						+ coalesce((n->>'Rows Removed by Index Recheck')::numeric, 0))
					   * (n->>'Actual Loops')::numeric)
			  FROM jsonb_path_query(plan::jsonb, 'strict $.**?(exists (@."Actual Loops"))') AS n);
END $$;

SELECT plan(9);

-- 1,500 organization-defined controls, decided, justified, with evidence,
-- all titles distinct: no finding on them
SELECT create_scope('wide') \g /dev/null
INSERT INTO soa_register (scope_id, control_key, title, entry, justification, evidence)
SELECT soa_scope_id('wide'), 'W-' || i, 'Wide control ' || i,
	   'applicable, implemented (legal)', 'Ours.', ARRAY['https://e/' || i]
  FROM generate_series(1, 1500) AS i;
ANALYZE soa_register;

SELECT cmp_ok(pg_temp.rows_touched($$SELECT * FROM iso27001.soa_validate('wide')$$),
			  '<', 40 * 1593::numeric,
			  'soa_validate on 1,500 organization-defined controls: fewer than 40 rows of work a register row (pairing them: 2.4 million)');

-- 20,000 organization-defined controls C-00001 ... C-20000 ("Control
-- 00001" ...), and the duplicates; loaded as a restore does, the register's
-- triggers off (they take a lock per row, more than one transaction holds)
SELECT create_scope('big') \g /dev/null
SET LOCAL session_replication_role = replica;
INSERT INTO soa_register (scope_id, control_key, title, entry, justification, evidence)
SELECT soa_scope_id('big'), k, t, 'applicable, implemented (legal)', 'Ours.', ARRAY['https://e/' || k]
  FROM (SELECT 'C-' || lpad(i::text, 5, '0'), 'Control ' || lpad(i::text, 5, '0')
		  FROM generate_series(1, 20000) AS i
		UNION ALL
		VALUES ('c-00001', 'Lower-case twin'),		-- the key of C-00001 up to case
			   ('T-1', '  control 00005  '),	-- the title of C-00005 up to case and spaces
			   ('S-1', ' SCREENING'),			-- the title of A.6.1
			   ('B-1', 'Both'), ('b-1', 'both')	-- key and title: one finding each
		UNION ALL
		SELECT 'G-' || lpad(i::text, 2, '0'), 'Group' FROM generate_series(1, 12) AS i) AS c(k, t);
RESET session_replication_role;
ANALYZE soa_register;

-- a work_mem as small as can be: every sort and hash spills to disk.
-- statement_timeout: this takes well under a second here and a few seconds
-- on a slow machine; pairing the controls took 119 s for 6,000 of them,
-- so about 20 minutes for these 20,000 (and tens of GB): 60 s never trips
-- on the grouping and stops the pairing early.
SET LOCAL work_mem = '64kB';
SET LOCAL statement_timeout = '60s';
CREATE TEMP TABLE found AS SELECT * FROM soa_validate('big');
RESET statement_timeout;

SELECT results_eq($$SELECT rule, count(*) FROM found GROUP BY rule ORDER BY rule$$,
				  $$VALUES ('DUPLICATE', 139::bigint), ('UNDECIDED', 93)$$,
				  'the 93 undecided Annex A controls, and 2 + 2 + 1 + 2 + 12 x 11 duplicates');
SELECT bag_eq($$SELECT control_key, severity, message FROM found
				 WHERE rule = 'DUPLICATE' AND control_key NOT LIKE 'G-%'$$,
			  $$VALUES ('C-00001', 'warning', 'Organization-defined control C-00001 duplicates c-00001.'),
					   ('c-00001', 'warning', 'Organization-defined control c-00001 duplicates C-00001.'),
					   ('C-00005', 'warning', 'Organization-defined control C-00005 duplicates T-1.'),
					   ('T-1', 'warning', 'Organization-defined control T-1 duplicates C-00005.'),
					   ('S-1', 'warning', 'Organization-defined control S-1 duplicates A.6.1.'),
					   ('B-1', 'warning', 'Organization-defined control B-1 duplicates b-1.'),
					   ('b-1', 'warning', 'Organization-defined control b-1 duplicates B-1.')$$,
			  'a key up to case, a title up to case and spaces, an Annex A title, both at once: found exactly, once each');
SELECT results_eq($$SELECT message FROM soa_validate('big') WHERE control_key = 'G-05'$$,
				  $$SELECT 'Organization-defined control G-05 duplicates ' || k || '.'
					  FROM unnest(ARRAY['G-01', 'G-02', 'G-03', 'G-04', 'G-06', 'G-07', 'G-08',
										'G-09', 'G-10', 'G-11']) AS k
					UNION ALL
					VALUES ('Organization-defined control G-05 duplicates 11 controls in all; the first 10 are listed.')$$,
				  'a group of 12 with one title: the first 10 others by key, then their count, in that order');
SELECT is((SELECT count(*) FROM found WHERE rule = 'DUPLICATE' AND control_key LIKE 'G-%'
			 AND message LIKE '% 11 controls in all; the first 10 are listed.'),
		  12::bigint, 'each of the 12 gets its count');
SELECT is((SELECT count(DISTINCT control_key) FROM found WHERE rule = 'DUPLICATE' AND control_key LIKE 'G-%'),
		  12::bigint, 'each of the 12 is reported');

-- the other paths that run the validator: approval, the BI view
SELECT throws_ok($$SELECT soa_approve('big')$$, '23514',
				 'the SoA of scope "big" has 93 error(s) and cannot be approved',
				 'soa_approve validates the big scope and counts its errors');
SELECT is((SELECT count(*) FROM iso27001_bi.soa_finding WHERE scope = 'big'), 232::bigint,
		  'iso27001_bi.soa_finding lists the big scope''s 232 findings');
SELECT is((SELECT count(*) FROM soa_validate() WHERE scope IN ('wide', 'big')), 325::bigint,
		  'soa_validate() of every scope: the same findings (93 for wide, 232 for big)');

SELECT * FROM finish();
ROLLBACK;
