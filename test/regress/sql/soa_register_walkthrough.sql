--
-- soa_register: a small organization's Statement of Applicability, its
-- versions, history, validation, coverage, migration and export
--
SET search_path = iso27001, public;
\set SHOW_CONTEXT never

-- everything runs as a GRC application role with the grants README gives
CREATE ROLE iso27001_app NOLOGIN;
GRANT SELECT, INSERT, UPDATE (description) ON soa_scope TO iso27001_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON soa_register TO iso27001_app;
GRANT SELECT, INSERT ON soa_history, soa_version, soa_version_entry TO iso27001_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON risk, risk_scale TO iso27001_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON evidence, evidence_requirement TO iso27001_app;
SET ROLE iso27001_app;

-- a scope starts with an undecided entry for each Annex A control
SELECT create_scope('acme', description => 'ACME Ltd, all operations') > 0 AS created;
SELECT count(*) AS entries, count(entry) AS decided, count(DISTINCT control) AS controls
  FROM soa_register WHERE scope_id = soa_scope_id('acme');
SELECT create_scope('acme');
SELECT create_scope('other', 2019);
SELECT create_scope(NULL);

-- decisions for all 93 controls, many at once from a query: the Physical
-- theme excluded (a remote company), 5.7 planned, 8.11 partial, the rest
-- implemented with evidence (but 5.37)
CREATE TEMP TABLE decisions AS
SELECT control,
	   CASE WHEN theme = 'Physical' THEN 'excluded'
			WHEN control = 'A.5.7' THEN 'applicable, planned (risk treatment)'
			WHEN control = 'A.8.11' THEN 'applicable, partially implemented (legal)'
			WHEN control = 'A.6.3' THEN 'applicable, implemented (risk treatment, contractual)'
			WHEN theme = 'Technological' THEN 'applicable, implemented (risk treatment)'
			ELSE 'applicable, implemented (best practice)' END::soa_entry AS entry,
	   CASE WHEN theme = 'Physical' THEN 'No premises: the company works remotely.'
			ELSE 'Risk assessment RA-2026 treats risks this control addresses.' END AS justification,
	   CASE WHEN theme = 'Physical' OR control IN ('A.5.7', 'A.8.11', 'A.5.37') THEN NULL
			ELSE ARRAY['https://evidence.example/' || control] END AS evidence
  FROM annex_a_2022;
SELECT count(soa_set('acme', control, entry, justification, owner => 'CISO', evidence => evidence))
  FROM decisions;
SELECT (soa_summary(entry)).* FROM soa_register WHERE scope_id = soa_scope_id('acme');

-- bad input is refused with a clear error, and changes nothing
SELECT count(*) AS history_before FROM soa_history \gset
SELECT soa_set('nope', 'A.5.1', 'excluded', 'Not needed.');
SELECT soa_set('acme', 'A.7.2.2', 'excluded', 'Not needed.');
SELECT soa_set('acme', 'A.5.1', 'excluded', '   ');
SELECT soa_set('acme', 'A.5.1', 'excluded', NULL);
SELECT soa_set('acme', 'A.5.38', 'excluded', 'Not needed.');
SELECT soa_set('acme', 'A.5.1', 'excluded, planned', 'Not needed.');
SELECT soa_as_of_version('acme', 1);
SELECT soa_set_custom('acme', 'A.5.1', 'Policies', 'excluded', 'Not needed.');
SELECT soa_add_evidence('acme', 'A.5.99', 'https://evidence.example/x');
SELECT count(*) = :history_before AS nothing_changed FROM soa_history;

-- the same rules hold for plain SQL on the register, even for a role with
-- more privileges than it needs
RESET ROLE;
GRANT UPDATE, DELETE, TRUNCATE ON soa_register, soa_history TO iso27001_app;
SET ROLE iso27001_app;
UPDATE soa_register SET justification = '' WHERE control_key = 'A.5.1';
UPDATE soa_register SET control_key = 'A.5.2' WHERE control_key = 'A.5.1';
DELETE FROM soa_register WHERE control_key = 'A.5.1';
INSERT INTO soa_register (scope_id, control_key, entry, justification)
VALUES (soa_scope_id('acme'), 'A.7.2.2', 'excluded', 'x');
TRUNCATE soa_register;
-- an update that changes nothing records nothing
UPDATE soa_register SET owner = owner WHERE scope_id = soa_scope_id('acme');
SELECT count(*) = :history_before AS nothing_changed FROM soa_history;

-- the history cannot be rewritten, nor forged
UPDATE soa_history SET justification = 'rewritten';
DELETE FROM soa_history;
TRUNCATE soa_history;
INSERT INTO soa_history (scope_id, control_key, entry, justification, changed_at, changed_by)
VALUES (soa_scope_id('acme'), 'A.5.1', 'excluded', 'forged', now(), 'mallory');
INSERT INTO soa_history (scope_id, control_key, removed, changed_at, changed_by)
VALUES (soa_scope_id('acme'), 'A.5.1', true, now(), 'mallory');
INSERT INTO soa_history (scope_id, control_key, removed, changed_at, changed_by)
VALUES (soa_scope_id('acme'), 'NEVER-THERE', true, now(), 'mallory');
-- Annex A titles come from the catalogue (terse: the detail shows a time)
\set VERBOSITY terse
UPDATE soa_register SET title = 'Forged title' WHERE control_key = 'A.5.1';
\set VERBOSITY default
SELECT count(*) = :history_before AS nothing_changed FROM soa_history;
RESET ROLE;
REVOKE UPDATE, DELETE, TRUNCATE ON soa_register, soa_history FROM iso27001_app;
GRANT UPDATE, DELETE ON soa_register TO iso27001_app;
SET ROLE iso27001_app;

-- what the auditor would find: warnings only, so it can be approved
SELECT rule, severity, control_key, message FROM soa_validate('acme');
SELECT soa_approve(NULL);
-- an approval sees every committed change: READ COMMITTED only
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT soa_approve('acme');
ROLLBACK;
-- a statement that changes the SoA while approving it is refused
WITH u AS (UPDATE soa_register SET entry = NULL, justification = NULL
			WHERE scope_id = soa_scope_id('acme') AND control_key = 'A.5.2' RETURNING 1)
INSERT INTO soa_version (scope_id, version) VALUES (soa_scope_id('acme'), 1);
SELECT soa_approve('acme', approved_by => 'Jane Doe, CISO', note => 'Initial certification');
-- a version's entries cannot be added to afterwards, even in its transaction
BEGIN;
SELECT soa_approve('acme', 'Mallory') AS version \gset
SELECT (soa_set_custom('acme', 'LATE-1', 'Added after approval', 'excluded', 'Late.')).control_key;
INSERT INTO soa_version_entry (scope_id, version, control_key, changed_at, changed_by)
VALUES (soa_scope_id('acme'), :version, 'LATE-1', now(), 'mallory');
ROLLBACK;

-- coverage of version 1, as plain columns for BI
SELECT theme, controls, undecided, excluded, applicable, implemented, implemented_share
  FROM soa_coverage('acme');
SELECT attribute, value, controls, excluded, applicable, implemented, implemented_share
  FROM soa_coverage_by_attribute('acme')
 WHERE attribute IN ('control_type', 'cybersecurity_concepts');

-- changes after the approval, then version 2
SELECT (soa_set('acme', '5.7', 'applicable, implemented (risk treatment)',
				'Threat intelligence feed contracted.', evidence => '{https://evidence.example/A.5.7}')).entry;
SELECT (soa_set('acme', '7.4', 'excluded', 'No premises; co-working spaces are monitored by their operators.')).entry;
SELECT (soa_set('acme', '8.11', 'applicable, implemented (legal)',
				'Risk assessment RA-2026 treats risks this control addresses.')).entry;
SELECT soa_add_evidence('acme', '5.37', 'https://evidence.example/A.5.37');
SELECT (soa_set_custom('acme', 'ORG-1', 'Quarterly phishing simulation',
					   'applicable, implemented (risk treatment)', 'Risk R-12: phishing.',
					   owner => 'Security awareness', evidence => '{https://evidence.example/ORG-1}')).control_key;
SELECT soa_approve('acme', 'Jane Doe, CISO', 'Surveillance audit 1');
SELECT scope, version, approved_by, note FROM soa_versions WHERE scope = 'acme' ORDER BY version;

-- what changed between the versions: what an auditor asks
SELECT control_key, title, change, old_entry, new_entry FROM soa_diff('acme', 1, 2);
SELECT count(*) FROM soa_diff('acme', 2, 1) WHERE change = 'removed';

-- as of a version, as of a time
SELECT count(*) AS v1_entries, count(*) FILTER (WHERE control IS NULL) AS v1_custom
  FROM soa_as_of_version('acme', 1);
SELECT control_key, entry FROM soa_as_of_version('acme', 1) WHERE control_key IN ('A.5.7', 'A.8.11');
SELECT control_key, entry FROM soa_as_of_version('acme', 2) WHERE control_key IN ('A.5.7', 'A.8.11', 'ORG-1');
SELECT count(*) FROM soa_as_of('acme', '-infinity');
SELECT count(*) FROM soa_as_of('acme', 'infinity');
SELECT count(*), count(*) FILTER (WHERE change = 'added') FROM soa_diff_at('acme', '-infinity', 'infinity');

-- organization-defined controls can be removed; the history keeps them
-- (removing it again is a retry: nothing happens, the history keeps one
-- removal)
SELECT soa_remove_custom('acme', 'ORG-1');
SELECT soa_remove_custom('acme', 'ORG-1');
SELECT control_key, change FROM soa_diff_at('acme', soa_version_time('acme', 2), 'infinity');
SELECT control_key, removed, entry FROM soa_history
 WHERE control_key = 'ORG-1' ORDER BY change_id;

-- the validator: every rule
SELECT create_scope('draft') > 0 AS created;
SELECT (soa_set('draft', '5.1', 'applicable, implemented (legal)', 'Policy set approved.')).entry;
SELECT (soa_set_custom('draft', 'ORG-1', 'Screening', 'applicable, planned (legal)', 'Contract.')).entry;
SELECT (soa_set_custom('draft', 'org-1', 'Supplier audits', 'applicable, planned (legal)', 'Contract.')).entry;
SELECT (soa_set('draft', '5.2', NULL, NULL, needs_review => true)).needs_review;
-- rows that bypassed the triggers (a restore with triggers disabled, say)
RESET ROLE;
SET session_replication_role = replica;
DELETE FROM soa_register WHERE scope_id = soa_scope_id('draft') AND control_key = 'A.5.3';
UPDATE soa_register SET entry = 'excluded', justification = NULL
 WHERE scope_id = soa_scope_id('draft') AND control_key = 'A.5.4';
UPDATE soa_register SET entry = 'applicable, planned (legal)', justification = ' '
 WHERE scope_id = soa_scope_id('draft') AND control_key = 'A.5.5';
INSERT INTO soa_register (scope_id, control_key, control, entry, justification)
VALUES (soa_scope_id('draft'), 'A.7.2.2', 'A.7.2.2', 'excluded', 'Old edition.');
RESET session_replication_role;
SET ROLE iso27001_app;
SELECT rule, severity, control_key, message FROM soa_validate('draft')
 WHERE rule <> 'UNDECIDED' OR control_key IN ('A.5.2', 'A.5.6');
SELECT rule, count(*) FROM soa_validate('draft') GROUP BY rule ORDER BY rule;
SELECT soa_approve('draft');
SELECT scope, count(*) FROM soa_validate() GROUP BY scope ORDER BY scope;
SELECT soa_validate('nope');

-- migration of a 2013 SoA: agreed decisions carried over, new controls
-- undecided, disagreeing merges flagged
SELECT create_scope('legacy', 2013) > 0 AS created;
UPDATE soa_register
   SET entry = CASE control_key WHEN 'A.16.1.3' THEN 'excluded'
								WHEN 'A.11.2.5' THEN 'applicable, planned (legal)'
								WHEN 'A.13.2.1' THEN 'applicable, implemented (contractual)'
								ELSE 'applicable, implemented (legal)' END::soa_entry,
	   justification = 'Legacy decision on ' || control_key,
	   evidence = ARRAY['https://legacy.example/' || control_key]
 WHERE scope_id = soa_scope_id('legacy');
SELECT outcome, count(*) FROM soa_migrate_2013_to_2022('legacy', 'acme-2022')
 GROUP BY outcome ORDER BY outcome;
SELECT control, outcome, predecessors, detail FROM soa_migrate_2013_to_2022('legacy', 'acme-2022b')
 WHERE outcome = 'conflict' OR control IN ('A.5.14', 'A.6.3', 'A.5.7');
SELECT control_key, entry, justification, evidence, needs_review FROM soa_register
 WHERE scope_id = soa_scope_id('acme-2022') AND control_key IN ('A.5.14', 'A.6.3', 'A.6.8', 'A.5.7')
 ORDER BY control;
SELECT rule, count(*) FROM soa_validate('acme-2022') GROUP BY rule ORDER BY rule;
SELECT soa_migrate_2013_to_2022('acme', 'x');
SELECT soa_migrate_2013_to_2022('legacy', 'acme');

-- export: CSV through COPY, and one jsonb document
COPY (SELECT control, title, theme, applicable, implementation, implemented, reasons,
			 justification, owner, evidence
		FROM soa_export('acme', 2)
	   WHERE control IN ('A.5.7', 'A.6.3', 'A.7.4', 'ORG-1'))
  TO STDOUT WITH (FORMAT csv, HEADER);
SELECT count(*), count(DISTINCT version) FROM soa_export('acme');
SELECT j->>'scope' AS scope, j->>'standard' AS standard, j->>'version' AS version,
	   j->>'approved_by' AS approved_by, j->'summary' AS summary,
	   jsonb_array_length(j->'controls') AS controls
  FROM soa_export_json('acme', 2) AS j;
SELECT jsonb_pretty((j->'controls'->0) - 'changed_at') FROM soa_export_json('acme', 2) AS j;
SELECT soa_export_json('acme', 7);

-- deleting a scope removes its SoA, history and versions: administrators only
SELECT delete_scope('acme-2022b');
RESET ROLE;
SELECT delete_scope('acme-2022b');
SELECT delete_scope('acme');
SELECT count(*) FROM soa_history WHERE scope_id NOT IN (SELECT scope_id FROM soa_scope);
SELECT count(*) FROM soa_version_entry WHERE scope_id NOT IN (SELECT scope_id FROM soa_scope);
DROP OWNED BY iso27001_app;
DROP ROLE iso27001_app;
