-- bench/history.sh: the SoA history of :additions evidence links added to
-- one control, against a plain log of the same links
\ir common.sql
CREATE EXTENSION IF NOT EXISTS iso27001;
SET search_path = public, iso27001;
SELECT create_scope('bench-history') IS NOT NULL AS created \gset
SELECT soa_set('bench-history', 'A.5.1', 'applicable, implemented (legal)', 'Policy.',
			   evidence => '{https://evidence.example/seed}') IS NOT NULL AS seeded \gset
CREATE TABLE evidence_log (scope_id bigint, control_key text, link text,
						   added_at timestamptz DEFAULT clock_timestamp());

-- the calls, each timed; the baseline log gets the same links
CREATE TEMP TABLE call_time (i int, ms numeric);
SELECT set_config('bench.additions', :'additions', false) IS NOT NULL AS set \gset
DO $$
DECLARE
	t0 timestamptz;
	n int := current_setting('bench.additions')::int;
BEGIN
	FOR i IN 1..n LOOP
		t0 := clock_timestamp();
		PERFORM iso27001.soa_add_evidence('bench-history', 'A.5.1', 'https://evidence.example/' || i);
		INSERT INTO call_time VALUES (i, extract(epoch FROM clock_timestamp() - t0) * 1000);
		INSERT INTO evidence_log (scope_id, control_key, link)
		VALUES (iso27001.soa_scope_id('bench-history'), 'A.5.1', 'https://evidence.example/' || i);
	END LOOP;
END $$;
VACUUM ANALYZE iso27001.soa_history, evidence_log;

SELECT :additions AS additions,
	   (SELECT count(*) FROM soa_history h JOIN soa_scope s USING (scope_id)
		 WHERE s.name = 'bench-history' AND h.control_key = 'A.5.1') AS history_rows,
	   (SELECT sum(coalesce(cardinality(h.evidence), 0) + coalesce(cardinality(h.evidence_added), 0))
		  FROM soa_history h JOIN soa_scope s USING (scope_id)
		 WHERE s.name = 'bench-history' AND h.control_key = 'A.5.1') AS links_stored,
	   (SELECT count(*) FROM evidence_log) AS links_logged,
	   pg_size_pretty(pg_total_relation_size('iso27001.soa_history')) AS history_size,
	   pg_size_pretty(pg_total_relation_size('evidence_log')) AS log_size,
	   round(pg_total_relation_size('iso27001.soa_history')::numeric
			 / pg_total_relation_size('evidence_log'), 1) AS size_ratio,
	   (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) FROM call_time WHERE i <= 100)::numeric(10, 3)
		   AS first_100_ms,
	   (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) FROM call_time
		 WHERE i > :additions - 100)::numeric(10, 3) AS last_100_ms,
	   round((SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) FROM call_time
			   WHERE i > :additions - 100)::numeric
			 / (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) FROM call_time WHERE i <= 100)::numeric, 2)
		   AS time_ratio
\gx
