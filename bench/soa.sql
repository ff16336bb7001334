-- Run by bench/soa.sh; see there.
CREATE EXTENSION iso27001;
SET search_path = public, iso27001;
\ir common.sql
SET work_mem = '256MB';

-- 10,000 scopes x 93 decided entries.  Loaded in bulk with the triggers
-- off (the history is not read by these queries); a few entries per scope
-- are left for the validator to find.
INSERT INTO soa_scope (name) SELECT 'scope-' || g FROM generate_series(1, :scopes) AS g;
SET session_replication_role = replica;
INSERT INTO soa_register (scope_id, control_key, control, entry, justification, owner, evidence)
SELECT s.scope_id, c.control::text, c.control,
	   CASE WHEN (s.scope_id + c.n) % 97 = 0 THEN NULL
			WHEN c.theme = 'Physical' AND s.scope_id % 3 = 0 THEN 'excluded'
			WHEN (s.scope_id + c.n) % 11 = 0 THEN 'applicable, planned (risk treatment)'
			ELSE 'applicable, implemented (risk treatment, contractual)' END::soa_entry,
	   CASE WHEN (s.scope_id + c.n) % 89 = 0 THEN NULL ELSE 'Risk assessment RA-' || s.scope_id END,
	   'CISO',
	   CASE WHEN (s.scope_id + c.n) % 53 = 0 THEN '{}'::text[]
			ELSE ARRAY['https://evidence.example/' || s.scope_id || '/' || c.control] END
  FROM soa_scope s,
	   (SELECT control, theme, row_number() OVER (ORDER BY control) AS n FROM annex_a_2022) c;
RESET session_replication_role;

-- the same data in a plain-text-column schema, as an application keeps it
CREATE TABLE plain_soa (
	scope_id bigint, control text, applicable boolean, implementation text,
	reasons text[], justification text, owner text, evidence text[],
	PRIMARY KEY (scope_id, control));
INSERT INTO plain_soa
SELECT scope_id, control_key, is_applicable(entry), implementation(entry), reasons(entry),
	   justification, owner, evidence
  FROM soa_register;
CREATE TABLE plain_catalogue AS SELECT control::text, theme::text, title FROM annex_a_2022;
VACUUM ANALYZE;

CREATE TEMP TABLE result (measure text, kind text, value numeric);

-- validation of every scope: the extension's validator; the same rules
-- over the plain schema; one sequential scan of the register (in turn)
SELECT bench_interleaved(ARRAY[
	'SELECT count(*) FROM soa_validate()',
	$$SELECT count(*) FROM (
		SELECT scope_id, control FROM plain_soa WHERE applicable IS NULL
		UNION ALL SELECT scope_id, control FROM plain_soa
		 WHERE applicable IS NOT NULL AND btrim(coalesce(justification, '')) = ''
		UNION ALL SELECT scope_id, control FROM plain_soa
		 WHERE implementation IN ('implemented', 'partially implemented') AND cardinality(evidence) = 0
		UNION ALL SELECT s.scope_id, c.control FROM soa_scope s CROSS JOIN plain_catalogue c
		 WHERE NOT EXISTS (SELECT FROM plain_soa p WHERE p.scope_id = s.scope_id AND p.control = c.control)) f$$,
	'SELECT count(justification) FROM soa_register'], :runs) AS t \gset v_
INSERT INTO result
SELECT 'validate 10,000 scopes (ms)', k, (:'v_t'::numeric[])[i]
  FROM unnest(ARRAY['iso27001 soa_validate()', 'plain text schema, same rules',
					'one sequential scan of the register']) WITH ORDINALITY AS u(k, i);

-- coverage by theme of every scope
SELECT bench_interleaved(ARRAY[
	'SELECT count(*) FROM soa_coverage()',
	$$SELECT count(*) FROM (
		SELECT p.scope_id, c.theme, count(*),
			   count(*) FILTER (WHERE p.applicable IS NULL),
			   count(*) FILTER (WHERE NOT p.applicable),
			   count(*) FILTER (WHERE p.applicable),
			   count(*) FILTER (WHERE p.implementation = 'not implemented'),
			   count(*) FILTER (WHERE p.implementation = 'planned'),
			   count(*) FILTER (WHERE p.implementation = 'partially implemented'),
			   count(*) FILTER (WHERE p.implementation = 'implemented')
		  FROM plain_soa p JOIN plain_catalogue c USING (control)
		 GROUP BY 1, 2) g$$,
	'SELECT count(justification) FROM soa_register'], :runs) AS t \gset c_
INSERT INTO result
SELECT 'coverage of 10,000 scopes (ms)', k, (:'c_t'::numeric[])[i]
  FROM unnest(ARRAY['iso27001 soa_coverage()', 'plain text schema, same counts',
					'one sequential scan of the register']) WITH ORDINALITY AS u(k, i);

-- one scope with 50 approved versions of history: every version changes
-- every entry of the scope through the API (with its triggers)
SELECT create_scope('history') AS hid \gset
DO $$
BEGIN
	FOR v IN 1..50 LOOP
		PERFORM soa_set('history', control,
						CASE WHEN v % 2 = 0 THEN 'applicable, implemented (legal)'
							 ELSE 'applicable, planned (legal)' END::soa_entry,
						'Decision of round ' || v, evidence => ARRAY['https://e/' || v])
		  FROM annex_a_2022;
		PERFORM soa_approve('history', 'bench');
	END LOOP;
END $$;
ANALYZE;
-- every row with every column is read (bench_interleaved() discards
-- them): counting rows would let the plain read answer from the index
-- alone.  Each read is run 2,000 times, in turn with the others.
SELECT bench_interleaved(ARRAY[
	$$SELECT * FROM soa_as_of_version('history', 25)$$,
	$$SELECT * FROM soa_as_of('history', now())$$,
	format('SELECT * FROM soa_as_of(%L, %L)', 'history', soa_version_time('history', 26) - interval '1 microsecond'),
	$$SELECT * FROM soa_version_entries WHERE scope = 'history' AND version = 25 ORDER BY control, control_key$$,
	format('SELECT * FROM soa_version_entry WHERE scope_id = %s AND version = 25', :hid),
	format('SELECT * FROM plain_soa WHERE scope_id = %s', :scopes / 2)], :runs * 400) AS t \gset a_
INSERT INTO result
SELECT 'one scope, 50 versions (ms)', k, (:'a_t'::numeric[])[i]
  FROM unnest(ARRAY['iso27001 soa_as_of_version(scope, 25)', 'iso27001 soa_as_of(scope, now())',
					'iso27001 soa_as_of(scope, just before version 26: 25 and 93 changes)',
					'iso27001 view soa_version_entries (scope name, version)',
					'iso27001 table soa_version_entry by primary key',
					'plain table: current 93 rows by primary key']) WITH ORDINALITY AS u(k, i);

-- the same, as an application sends it: prepared once, executed many
-- times (planning left out on both sides)
SELECT format('PREPARE p_plain AS SELECT * FROM plain_soa WHERE scope_id = %s', :scopes / 2) \gexec
PREPARE p_version AS SELECT * FROM soa_as_of_version('history', 25);
PREPARE p_asof AS SELECT * FROM soa_as_of('history', now());
SELECT bench_interleaved(ARRAY['EXECUTE p_version', 'EXECUTE p_asof', 'EXECUTE p_plain'],
						 :runs * 400) AS t \gset p_
INSERT INTO result
SELECT 'one scope, 50 versions, prepared (ms)', k, (:'p_t'::numeric[])[i]
  FROM unnest(ARRAY['iso27001 soa_as_of_version(scope, 25)', 'iso27001 soa_as_of(scope, now())',
					'plain table: current 93 rows by primary key']) WITH ORDINALITY AS u(k, i);

SELECT format('SoA benchmark: %s scopes x 93 entries (%s register rows), one scope with %s history rows, medians of %s runs (%s for the single-scope reads), each statement in turn with its baseline, PostgreSQL %s',
			  :scopes, (SELECT count(*) FROM soa_register), (SELECT count(*) FROM soa_history WHERE scope_id = :hid),
			  :runs, :runs * 400, current_setting('server_version')) AS title \gset
\echo
\echo :title
SELECT r.measure, r.kind, r.value AS ms,
	   round(r.value / b.value, 2) AS "ratio to baseline"
  FROM result r
  JOIN result b ON b.measure = r.measure
   AND b.kind IN ('one sequential scan of the register', 'plain table: current 93 rows by primary key')
 ORDER BY r.measure DESC, r.kind;
