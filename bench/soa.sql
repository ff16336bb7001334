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
-- over the plain schema; one sequential scan of the register
INSERT INTO result VALUES
	('validate 10,000 scopes (ms)', 'iso27001 soa_validate()',
	 bench('SELECT count(*) FROM soa_validate()', :runs)),
	('validate 10,000 scopes (ms)', 'plain text schema, same rules',
	 bench($$SELECT count(*) FROM (
		SELECT scope_id, control FROM plain_soa WHERE applicable IS NULL
		UNION ALL SELECT scope_id, control FROM plain_soa
		 WHERE applicable IS NOT NULL AND btrim(coalesce(justification, '')) = ''
		UNION ALL SELECT scope_id, control FROM plain_soa
		 WHERE implementation IN ('implemented', 'partially implemented') AND cardinality(evidence) = 0
		UNION ALL SELECT s.scope_id, c.control FROM soa_scope s CROSS JOIN plain_catalogue c
		 WHERE NOT EXISTS (SELECT FROM plain_soa p WHERE p.scope_id = s.scope_id AND p.control = c.control)) f$$, :runs)),
	('validate 10,000 scopes (ms)', 'one sequential scan of the register',
	 bench('SELECT count(justification) FROM soa_register', :runs));

-- coverage by theme of every scope
INSERT INTO result VALUES
	('coverage of 10,000 scopes (ms)', 'iso27001 soa_coverage()',
	 bench('SELECT count(*) FROM soa_coverage()', :runs)),
	('coverage of 10,000 scopes (ms)', 'plain text schema, same counts',
	 bench($$SELECT count(*) FROM (
		SELECT p.scope_id, c.theme, count(*),
			   count(*) FILTER (WHERE p.applicable IS NULL),
			   count(*) FILTER (WHERE NOT p.applicable),
			   count(*) FILTER (WHERE p.applicable),
			   count(*) FILTER (WHERE p.implementation = 'not implemented'),
			   count(*) FILTER (WHERE p.implementation = 'planned'),
			   count(*) FILTER (WHERE p.implementation = 'partially implemented'),
			   count(*) FILTER (WHERE p.implementation = 'implemented')
		  FROM plain_soa p JOIN plain_catalogue c USING (control)
		 GROUP BY 1, 2) g$$, :runs)),
	('coverage of 10,000 scopes (ms)', 'one sequential scan of the register',
	 bench('SELECT count(justification) FROM soa_register', :runs));

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
-- every row with every column is read (bench() discards them): counting
-- rows would let the plain read answer from the index alone
INSERT INTO result VALUES
	('one scope, 50 versions (ms)', 'iso27001 soa_as_of_version(scope, 25)',
	 bench($$SELECT * FROM soa_as_of_version('history', 25)$$, :runs * 20)),
	('one scope, 50 versions (ms)', 'iso27001 soa_as_of(scope, now())',
	 bench($$SELECT * FROM soa_as_of('history', now())$$, :runs * 20)),
	('one scope, 50 versions (ms)', 'iso27001 view soa_version_entries (scope name, version)',
	 bench($$SELECT * FROM soa_version_entries WHERE scope = 'history' AND version = 25 ORDER BY control, control_key$$, :runs * 20)),
	('one scope, 50 versions (ms)', 'iso27001 table soa_version_entry by primary key',
	 bench(format('SELECT * FROM soa_version_entry WHERE scope_id = %s AND version = 25', :hid), :runs * 20)),
	('one scope, 50 versions (ms)', 'plain table: current 93 rows by primary key',
	 bench(format('SELECT * FROM plain_soa WHERE scope_id = %s', :scopes / 2), :runs * 20));

-- the same, as an application sends it: prepared once, executed many
-- times (planning left out on both sides)
SELECT format('PREPARE p_plain AS SELECT * FROM plain_soa WHERE scope_id = %s', :scopes / 2) \gexec
PREPARE p_version AS SELECT * FROM soa_as_of_version('history', 25);
PREPARE p_asof AS SELECT * FROM soa_as_of('history', now());
INSERT INTO result VALUES
	('one scope, 50 versions, prepared (ms)', 'iso27001 soa_as_of_version(scope, 25)',
	 bench('EXECUTE p_version', :runs * 20)),
	('one scope, 50 versions, prepared (ms)', 'iso27001 soa_as_of(scope, now())',
	 bench('EXECUTE p_asof', :runs * 20)),
	('one scope, 50 versions, prepared (ms)', 'plain table: current 93 rows by primary key',
	 bench('EXECUTE p_plain', :runs * 20));

SELECT format('SoA benchmark: %s scopes x 93 entries (%s register rows), one scope with %s history rows, median of %s runs, PostgreSQL %s',
			  :scopes, (SELECT count(*) FROM soa_register), (SELECT count(*) FROM soa_history WHERE scope_id = :hid),
			  :runs, current_setting('server_version')) AS title \gset
\echo
\echo :title
SELECT r.measure, r.kind, r.value AS ms,
	   round(r.value / b.value, 2) AS "ratio to baseline"
  FROM result r
  JOIN result b ON b.measure = r.measure
   AND b.kind IN ('one sequential scan of the register', 'plain table: current 93 rows by primary key')
 ORDER BY r.measure DESC, r.kind;
