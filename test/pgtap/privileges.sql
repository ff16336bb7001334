-- Reference data is read-only for ordinary users and is left to
-- CREATE EXTENSION by pg_dump.
\ir ../include/preamble.sql

CREATE TEMP TABLE ref_tables (name text);
INSERT INTO ref_tables VALUES ('iso27001.ref_control_2022'),
	('iso27001.ref_clause_2013'), ('iso27001.ref_objective_2013'),
	('iso27001.ref_control_2013'), ('iso27001.ref_correspondence'),
	('iso27001.isms_audit_time_band'), ('iso27001.ref_isms_clause_2022');
CREATE TEMP TABLE ref_views (name text);
INSERT INTO ref_views VALUES ('iso27001.annex_a_2022'),
	('iso27001.annex_a_2013'), ('iso27001.correspondence'), ('iso27001.isms_clauses_2022');
GRANT SELECT ON ref_tables, ref_views TO PUBLIC;

CREATE ROLE iso27001_test_user NOLOGIN;

SELECT plan(67);

-- pg_dump dumps the SoA register (user data), never the reference tables
SELECT set_eq(
	$$SELECT c::regclass::text FROM pg_catalog.pg_extension e, unnest(e.extconfig) AS c
	   WHERE e.extname = 'iso27001'$$,
	ARRAY['iso27001.soa_scope', 'iso27001.soa_register', 'iso27001.soa_history',
		  'iso27001.soa_version', 'iso27001.soa_version_entry', 'iso27001.soa_scope_scope_id_seq',
		  'iso27001.soa_history_change_id_seq', 'iso27001.certificate', 'iso27001.certification_audit', 'iso27001.certificate_event', 'iso27001.nonconformity',
		  'iso27001.internal_audit_programme', 'iso27001.internal_audit', 'iso27001.risk_scale', 'iso27001.risk',
		  'iso27001.management_review', 'iso27001.management_review_action',
		  'iso27001.evidence', 'iso27001.evidence_evidence_id_seq', 'iso27001.evidence_requirement',
		  'iso27001.behaviour_metric', 'iso27001.behaviour_observation', 'iso27001.behaviour_target'],
	'pg_dump keeps the SoA register, certificates, nonconformities, internal audits, risks, management reviews and behaviour data, and none of the reference tables');

SET ROLE iso27001_test_user;

-- an ordinary user reads the catalogue ...
SELECT lives_ok(format('SELECT count(*) FROM %s', name), format('%s is readable', name))
  FROM (SELECT name FROM ref_views UNION ALL SELECT name FROM ref_tables) AS r;
SELECT is(iso27001.title('A.6.3'),
		  'Information security awareness, education and training',
		  'an ordinary user can call the look-up functions');

-- ... and cannot change it
SELECT throws_ok(format(stmt, name), '42501', NULL, format(stmt, name) || ' is refused')
  FROM ref_tables,
	   unnest(ARRAY['INSERT INTO %s SELECT * FROM %1$s', 'UPDATE %s SET title = title',
					'DELETE FROM %s', 'TRUNCATE %s']) AS stmt
 WHERE stmt NOT LIKE 'UPDATE%' OR name NOT IN ('iso27001.ref_correspondence', 'iso27001.isms_audit_time_band');
SELECT throws_ok($$UPDATE iso27001.ref_correspondence SET control_2022 = control_2022$$,
				 '42501', NULL, 'UPDATE of ref_correspondence is refused');
SELECT throws_ok($$UPDATE iso27001.isms_audit_time_band SET initial_days = 1$$,
				 '42501', NULL, 'UPDATE of isms_audit_time_band is refused');

RESET ROLE;

-- SELECT is the only privilege ordinary users have on reference data
SELECT table_privs_are(split_part(name, '.', 1), split_part(name, '.', 2),
					   'iso27001_test_user', ARRAY['SELECT'],
					   format('ordinary users may only SELECT from %s', name))
  FROM (SELECT name FROM ref_views UNION ALL SELECT name FROM ref_tables) AS r;

-- BI readers: grant_reader gives exactly USAGE on schema iso27001_bi and
-- SELECT on its views and on the tables under them (not the change
-- history), in this database; revoke_reader takes it all back
CREATE ROLE iso27001_test_reader NOLOGIN;
CREATE TEMP VIEW reader_privs AS
SELECT c.oid::regclass::text AS rel, p.privilege_type
  FROM pg_catalog.pg_class c, aclexplode(c.relacl) p
 WHERE p.grantee = (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = 'iso27001_test_reader')
   AND c.relnamespace IN (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname IN ('iso27001', 'iso27001_bi'))
UNION ALL
SELECT 'schema ' || n.nspname, p.privilege_type
  FROM pg_catalog.pg_namespace n, aclexplode(n.nspacl) p
 WHERE p.grantee = (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = 'iso27001_test_reader');
SELECT lives_ok($$SELECT iso27001.grant_reader('iso27001_test_reader')$$, 'grant_reader makes a role a reader');
SELECT set_eq(
	'SELECT * FROM reader_privs',
	$$SELECT 'iso27001.' || t AS rel, 'SELECT' AS privilege_type FROM unnest(ARRAY['soa_scope', 'soa_register', 'soa_version',
			  'soa_version_entry', 'certificate', 'certification_audit', 'behaviour_observation',
			  'behaviour_target', 'certificate_event', 'nonconformity', 'internal_audit_programme', 'internal_audit',
			  'risk', 'risk_scale', 'management_review', 'management_review_action',
			  'evidence', 'evidence_requirement']) t
	  UNION ALL SELECT c.oid::regclass::text, 'SELECT' FROM pg_catalog.pg_class c
	   WHERE c.relnamespace = 'iso27001_bi'::regnamespace
	  UNION ALL SELECT 'schema iso27001_bi', 'USAGE'$$,
	'exactly USAGE on iso27001_bi and SELECT on its views and the eighteen tables under them (not soa_history)');
SELECT lives_ok($$SELECT iso27001.revoke_reader('iso27001_test_reader')$$, 'revoke_reader');
SELECT is_empty('SELECT * FROM reader_privs', 'takes every one of them back');
SELECT throws_ok($$SELECT iso27001.grant_reader(NULL)$$, '22004', 'reader role must not be null',
				 'grant_reader(NULL) is refused');
SELECT throws_ok($$SELECT iso27001.grant_reader('pg_monitor')$$, '22023', 'role "pg_monitor" is a predefined role',
				 'a predefined role, whose members the DBA does not choose, is refused');
SET ROLE iso27001_test_user;
SELECT throws_ok($$SELECT iso27001.grant_reader('iso27001_test_reader')$$, '42501',
				 'permission denied to grant or revoke iso27001''s reader privileges',
				 'a role that may not grant the privileges is refused before anything is granted');
RESET ROLE;
-- internal functions: no trigger function is executable by PUBLIC (a
-- trigger fires without EXECUTE on its function), and the advisory lock
-- key of the register is gone
CREATE TEMP TABLE ext_functions AS
SELECT p.oid, p.oid::regprocedure::text AS signature, p.prorettype
  FROM pg_catalog.pg_proc p
  JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid
  JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid
 WHERE d.deptype = 'e' AND e.extname = 'iso27001';
SELECT is((SELECT count(*) FROM ext_functions
			WHERE prorettype IN ('trigger'::regtype, 'event_trigger'::regtype)), 25::bigint,
		  'twenty-five trigger functions: eight of the register, the row checks of the scope, the certificate, its audits, the metrics, observations, targets, nonconformities, the internal audit programme and its audits, the risk scale and risks, the management reviews and their actions, the evidence records'' three, and the guard of DROP EXTENSION');
SELECT is_empty($$SELECT signature FROM ext_functions
				   WHERE prorettype IN ('trigger'::regtype, 'event_trigger'::regtype)
					 AND (pg_catalog.has_function_privilege('iso27001_test_user', oid, 'EXECUTE')
						  OR pg_catalog.has_function_privilege('public', oid, 'EXECUTE'))$$,
				'no trigger function is executable by PUBLIC or an ordinary user');
SELECT hasnt_function('iso27001', 'soa_lock_key', 'soa_lock_key is gone (no advisory lock key any role can take)');
-- the helpers the triggers and the API call as the caller stay executable
-- by everyone (no SECURITY DEFINER: a role granted the tables must be able
-- to run them); each answers a question about the caller's own session
SELECT ok(pg_catalog.has_function_privilege('iso27001_test_user', f, 'EXECUTE'),
		  format('%s stays executable: the triggers or API functions call it with the caller''s rights', f))
  FROM unnest(ARRAY['iso27001.soa_restoring()', 'iso27001.soa_administrator()',
					'iso27001.soa_written_by_current_transaction(xid)',
					'iso27001.evidence_control_keys(bigint,text[])', 'iso27001.validation_date(date)']) AS f;

SELECT * FROM finish();
ROLLBACK;
